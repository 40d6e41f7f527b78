// 统计 for the county, one township or one village: the village app's statistics page (same figure
// definitions, cards, grouped table, ECharts, figure → its cases) fed by the county API, with township
// and village groupings, xlsx export and the printable monthly county sheet (PDF).
import { useMemo, useState } from 'react';
import { showError, showSuccess } from '../../src/notify';
import { StatisticsPage, type StatisticsSource } from '../../src/reports/StatisticsPage';
import { call, download, type CountyGroupBy } from '../api';
import { PointSelect, TownshipSelect } from '../components/ScopeSelect';
import { useConsole } from '../session';

const COUNTY_GROUP_BYS: Record<CountyGroupBy, string> = { township: '乡镇', village: '村', item: '事项', department: '部门', mode: '办理方式', agent: '代办员' };

export function CountyStatisticsPage() {
  const { me } = useConsole();
  const [townshipCode, setTownship] = useState<string | undefined>();
  const [pointCode, setPoint] = useState<string | undefined>();

  const source: StatisticsSource = useMemo(() => {
    const where = { townshipCode, pointCode };
    const groupBys: Partial<Record<CountyGroupBy, string>> = { ...COUNTY_GROUP_BYS };
    // Grouping by township means nothing inside one township, by village nothing inside one village.
    if (me.role === 'township' || townshipCode || pointCode) delete groupBys.township;
    if (pointCode) delete groupBys.village;
    return {
      groupBys: groupBys as Record<string, string>,
      load: (p, groupBy) => call('statistics', { ...where, from: p.from, to: p.to, groupBy: groupBy as CountyGroupBy }),
      poor: (p) => call('statisticsCases', { ...where, from: p.from, to: p.to, figure: 'poor', limit: 50 }),
      cases: (q, figure, offset, limit) =>
        call('statisticsCases', { ...where, from: q.from, to: q.to, figure, group: q.group ? { by: q.group.by as CountyGroupBy, key: q.group.key } : undefined, offset, limit }),
      exportXlsx: (p, groupBy) => download('statisticsXlsx', { ...where, from: p.from, to: p.to, groupBy: groupBy as CountyGroupBy }, '统计.xlsx'),
      printMonthly: (month) => {
        download('printCountyStatistics', { ...where, month }, `月度统计表-${month}.pdf`)
          .then((name) => showSuccess(`已保存 ${name}`))
          .catch((e: unknown) => showError(e, '生成月度统计表失败'));
      },
      toolbar: (
        <>
          {me.role !== 'township' && (
            <TownshipSelect
              value={townshipCode}
              onChange={(v) => {
                setTownship(v);
                setPoint(undefined);
              }}
              style={{ width: 150 }}
              placeholder="全县"
            />
          )}
          <PointSelect value={pointCode} townshipCode={townshipCode} onChange={setPoint} style={{ width: 190 }} placeholder="全部村" />
        </>
      ),
    };
  }, [townshipCode, pointCode, me.role]);

  return <StatisticsPage source={source} />;
}
