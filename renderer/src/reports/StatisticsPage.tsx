// 统计: the point's figures for any month, quarter, year or date range, as defined once in
// domain/statistics.ts (the same figures the monthly sheet prints and the county will see).
// Every number opens the cases behind it.
import { FileExcelOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Empty, Row, Segmented, Space, Spin, Table, Tabs, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { StatCaseRow, StatisticsResult } from '../../../api/reportSchemas';
import type { Page } from '../../../domain/records';
import {
  FIGURE_DEFS,
  GROUP_BYS,
  RATE_PARTS,
  formatRate,
  monthRange,
  periodLabel,
  quarterRange,
  yearRange,
  type CountFigure,
  type GroupBy,
  type RateFigure,
  type StatFigures,
} from '../../../domain/statistics';
import { RATINGS } from '../../../domain/vocab';
import { api } from '../api';
import { PageTitle } from '../components/PageTitle';
import { chinaToday } from '../format';
import { showError, showSuccess } from '../notify';
import { Link, navigate } from '../components/routing';
import { EChart, type ChartOption } from './EChart';
import { FigureCases, type FigureCaseRow, type FigureCasesLoader, type FigureQuery } from './FigureCases';
import { downloadBase64, XLSX_TYPE } from './printing';

type Mode = 'month' | 'quarter' | 'year' | 'range';
type Period = { mode: Mode; from: string; to: string };

function periodOf(mode: Mode, d: Dayjs, end?: Dayjs): Period {
  if (mode === 'month') return { mode, ...monthRange(d.format('YYYY-MM')) };
  if (mode === 'quarter') return { mode, ...quarterRange(d.year(), Math.floor(d.month() / 3) + 1) };
  if (mode === 'year') return { mode, ...yearRange(d.year()) };
  return { mode, from: d.format('YYYY-MM-DD'), to: (end ?? d).format('YYYY-MM-DD') };
}

// Survives leaving the page for a case and coming back.
let remembered: { period: Period; groupBy: string } | null = null;

type PoorRow = FigureCaseRow & { rectification?: StatCaseRow['rectification'] };

/**
 * Where the figures come from. The village app uses its register (the default below); the county
 * console passes its own, scoped to the county, a township or a village, with more groupings.
 */
export type StatisticsSource = {
  /** The groupings offered as tabs (the first is the default), e.g. GROUP_BYS. */
  groupBys: Record<string, string>;
  load: (p: { from: string; to: string }, groupBy: string) => Promise<Pick<StatisticsResult, 'to' | 'ref' | 'totals'> & { groups: { key: string; label: string; figures: StatFigures }[] }>;
  poor: (p: { from: string; to: string }) => Promise<Page<PoorRow>>;
  cases: FigureCasesLoader;
  /** Saves the figures as .xlsx and answers the file name. */
  exportXlsx: (p: { from: string; to: string }, groupBy: string) => Promise<string>;
  /** Opens the printable monthly sheet for 'YYYY-MM'. */
  printMonthly: (month: string) => void;
  /** Extra controls next to the period (the county's township / village pickers). */
  toolbar?: ReactNode;
};

const villageSource: StatisticsSource = {
  groupBys: GROUP_BYS,
  load: (p, groupBy) => api.statistics({ from: p.from, to: p.to, groupBy: groupBy as GroupBy }),
  poor: (p) => api.statisticsCases({ from: p.from, to: p.to, figure: 'poor', limit: 50 }),
  cases: (q, figure, offset, limit) => api.statisticsCases({ from: q.from, to: q.to, figure, group: q.group ? { by: q.group.by as GroupBy, key: q.group.key } : undefined, offset, limit }),
  exportXlsx: async (p) => {
    const f = await api.exportXlsx({ kind: 'statistics', from: p.from, to: p.to });
    downloadBase64(f.fileName, f.base64, XLSX_TYPE);
    return f.fileName;
  },
  printMonthly: (month) => navigate(`/prints?kind=monthlyStats&month=${month}`),
};

export type Card = { key: string; label: string; figure: CountFigure | RateFigure; open: CountFigure[]; tone?: 'red' | 'green' };
export const CARDS: Card[] = [
  { key: 'accepted', label: '受理量', figure: 'accepted', open: ['accepted'] },
  { key: 'refused', label: '不予受理', figure: 'refused', open: ['refused'] },
  { key: 'completed', label: '办结', figure: 'completed', open: ['completed'] },
  { key: 'completionRate', label: '办结率', figure: 'completionRate', open: ['due', 'dueCompleted'] },
  { key: 'onTimeRate', label: '按时办结率', figure: 'onTimeRate', open: ['completed', 'onTime', 'completedLate'] },
  { key: 'overdue', label: '超期', figure: 'overdue', open: ['overdue', 'overdueOpen', 'completedLate'], tone: 'red' },
  { key: 'immediateRate', label: '即办率', figure: 'immediateRate', open: ['completed', 'decidedSameDay'] },
  { key: 'returnVisitRate', label: '回访率', figure: 'returnVisitRate', open: ['completed', 'returnVisited', 'notReturnVisited'] },
  { key: 'satisfactionRate', label: '满意率', figure: 'satisfactionRate', open: ['rated', 'satisfied', 'poor'] },
  { key: 'poor', label: '差评', figure: 'poor', open: ['poor'], tone: 'red' },
];

const isRate = (f: string): f is RateFigure => f in RATE_PARTS;

/** One figure with its parts underneath and its definition as tooltip (shared with the county console). */
export function FigureCard({ card, t, onOpen }: { card: Card; t: StatFigures; onOpen: () => void }) {
  const f = card.figure;
  const value = isRate(f) ? formatRate(t[f]) : String(t[f]);
  const sub = isRate(f)
    ? `${t[RATE_PARTS[f].num]} / ${t[RATE_PARTS[f].den]}`
    : f === 'overdue'
      ? `未办结 ${t.overdueOpen}，超期办结 ${t.completedLate}`
      : '件';
  const red = card.tone === 'red' && !isRate(f) && t[f] > 0;
  return (
    <Tooltip title={FIGURE_DEFS[f].definition} placement="bottom">
      <div
        role="button"
        tabIndex={0}
        className="stat-card"
        data-testid={`figure-${card.key}`}
        onClick={onOpen}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onOpen();
          }
        }}
        style={{
          cursor: 'pointer',
          background: '#fff',
          border: `1px solid ${red ? '#ffa39e' : '#e4e7ec'}`,
          borderRadius: 8,
          padding: '8px 12px',
          minHeight: 88,
        }}
      >
        <div style={{ fontSize: 15, color: '#475467' }}>{card.label}</div>
        <div style={{ fontSize: 26, fontWeight: 700, lineHeight: 1.25, color: red ? '#cf1322' : '#101828' }} data-testid={`figure-${card.key}-value`}>
          {value}
        </div>
        <div className="text-muted" style={{ fontSize: 13 }}>
          {sub}
        </div>
      </div>
    </Tooltip>
  );
}

type GroupRow = { key: string; label: string; figures: StatFigures; total?: boolean };

export function StatisticsPage({ source = villageSource }: { source?: StatisticsSource } = {}) {
  const groupBys = source.groupBys;
  const today = chinaToday();
  const [period, setPeriod] = useState<Period>(remembered?.period ?? periodOf('month', dayjs(today)));
  const [groupBy, setGroupBy] = useState<string>(remembered?.groupBy && remembered.groupBy in groupBys ? remembered.groupBy : Object.keys(groupBys)[0]);
  const [stats, setStats] = useState<Awaited<ReturnType<StatisticsSource['load']>> | null>(null);
  const [poor, setPoor] = useState<Page<PoorRow> | null>(null);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [drill, setDrill] = useState<FigureQuery | null>(null);

  useEffect(() => {
    remembered = { period, groupBy };
  }, [period, groupBy]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [s, p] = await Promise.all([
        source.load(period, groupBy),
        source.poor(period),
      ]);
      setStats(s);
      setPoor(p);
    } catch (e) {
      showError(e, '统计失败');
    } finally {
      setLoading(false);
    }
  }, [period, groupBy, source]);

  useEffect(() => {
    void load();
  }, [load]);

  const open = (figures: CountFigure[], group?: GroupRow) =>
    setDrill({ from: period.from, to: period.to, figures, group: group && !group.total ? { by: groupBy, key: group.key, label: group.label } : undefined });

  async function exportXlsx() {
    setExporting(true);
    try {
      showSuccess(`已导出 ${await source.exportXlsx(period, groupBy)}`);
    } catch (e) {
      showError(e, '导出失败');
    } finally {
      setExporting(false);
    }
  }

  const t = stats?.totals;
  const rows: GroupRow[] = useMemo(
    () => (stats && t ? [...stats.groups, { key: '__total', label: '合计', figures: t, total: true }] : []),
    [stats, t],
  );

  const num = (f: CountFigure, figures: CountFigure[] = [f]) => (v: unknown, r: GroupRow) => {
    const n = r.figures[f];
    if (!n) return <span className="text-muted">0</span>;
    return (
      <a
        href="#"
        onClick={(e) => {
          e.preventDefault();
          open(figures, r);
        }}
        style={f === 'overdue' || f === 'poor' ? { color: '#cf1322', fontWeight: 600 } : undefined}
      >
        {n}
      </a>
    );
  };
  const rate = (f: RateFigure) => (v: unknown, r: GroupRow) => (
    <Tooltip title={`${r.figures[RATE_PARTS[f].num]} / ${r.figures[RATE_PARTS[f].den]}`}>
      <span>{formatRate(r.figures[f])}</span>
    </Tooltip>
  );
  const columns: ColumnsType<GroupRow> = [
    {
      title: groupBys[groupBy],
      dataIndex: 'label',
      ellipsis: { showTitle: true },
      render: (v: string, r) => (r.total ? <b>{v}</b> : v),
    },
    { title: '受理', width: 62, align: 'right', render: num('accepted') },
    { title: '不予受理', width: 80, align: 'right', render: num('refused') },
    { title: '办结', width: 62, align: 'right', render: num('completed') },
    { title: '办结率', width: 78, align: 'right', render: rate('completionRate') },
    { title: '按时办结率', width: 92, align: 'right', render: rate('onTimeRate') },
    { title: '超期', width: 62, align: 'right', render: num('overdue', ['overdue', 'overdueOpen', 'completedLate']) },
    { title: '即办率', width: 78, align: 'right', render: rate('immediateRate') },
    { title: '回访率', width: 78, align: 'right', render: rate('returnVisitRate') },
    { title: '满意率', width: 78, align: 'right', render: rate('satisfactionRate') },
    { title: '差评', width: 58, align: 'right', render: num('poor') },
  ];

  const top = (stats?.groups ?? []).slice(0, 12);
  const barOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, textStyle: { fontSize: 13 } },
      grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: top.map((g) => g.label),
        axisLabel: { width: 150, overflow: 'truncate', fontSize: 13 },
      },
      series: [
        { name: '受理', type: 'bar', data: top.map((g) => g.figures.accepted), itemStyle: { color: '#1d6fd8' } },
        { name: '办结', type: 'bar', data: top.map((g) => g.figures.completed), itemStyle: { color: '#2e9d5b' } },
        { name: '超期', type: 'bar', data: top.map((g) => g.figures.overdue), itemStyle: { color: '#d4380d' } },
      ],
    }),
    [top],
  );
  const pieOption: ChartOption = useMemo(() => {
    const unrated = t ? t.completed - t.rated : 0;
    return {
      tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
      legend: { bottom: 0, textStyle: { fontSize: 13 } },
      series: [
        {
          type: 'pie',
          radius: ['38%', '68%'],
          center: ['50%', '44%'],
          label: { formatter: '{b}\n{c} 件', fontSize: 13 },
          data: t
            ? [
                { name: '满意', value: t.satisfied, itemStyle: { color: '#2e9d5b' } },
                { name: '差评', value: t.poor, itemStyle: { color: '#d4380d' } },
                { name: '未评价', value: Math.max(0, unrated), itemStyle: { color: '#c0c6d0' } },
              ]
            : [],
        },
      ],
    };
  }, [t]);

  const picker =
    period.mode === 'range' ? (
      <DatePicker.RangePicker
        allowClear={false}
        value={[dayjs(period.from), dayjs(period.to)]}
        onChange={(v) => v?.[0] && v[1] && setPeriod(periodOf('range', v[0], v[1]))}
        aria-label="统计期"
      />
    ) : (
      <DatePicker
        allowClear={false}
        picker={period.mode}
        value={dayjs(period.from)}
        format={period.mode === 'month' ? 'YYYY年M月' : period.mode === 'quarter' ? 'YYYY年第Q季度' : 'YYYY年'}
        onChange={(d) => d && setPeriod(periodOf(period.mode, d))}
        aria-label="统计期"
        data-testid="period-picker"
      />
    );

  return (
    <div>
      <PageTitle
        title="统计"
        extra={
          <>
            {period.mode === 'month' && (
              <Button icon={<PrinterOutlined />} onClick={() => source.printMonthly(period.from.slice(0, 7))}>
                打印月度统计表
              </Button>
            )}
            <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="export-statistics">
              导出Excel
            </Button>
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size="middle" align="center">
          <Segmented<Mode>
            value={period.mode}
            onChange={(m) => setPeriod(periodOf(m, dayjs(period.from), dayjs(period.to)))}
            options={[
              { value: 'month', label: '月' },
              { value: 'quarter', label: '季度' },
              { value: 'year', label: '年' },
              { value: 'range', label: '自定义' },
            ]}
          />
          {picker}
          <span style={{ fontSize: 16 }} data-testid="period-label">
            统计期：<b>{periodLabel(period.from, period.to)}</b>
            {stats && stats.ref < stats.to && <span className="text-muted">（截至今天 {stats.ref}）</span>}
          </span>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
            刷新
          </Button>
          {source.toolbar}
        </Space>
      </Card>

      <Spin spinning={loading && !stats}>
        {t ? (
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(118px, 1fr))', gap: 8, marginBottom: 12 }}>
            {CARDS.map((c) => (
              <FigureCard key={c.key} card={c} t={t} onOpen={() => open(c.open)} />
            ))}
          </div>
        ) : (
          !loading && <Empty description="没有数据" />
        )}
      </Spin>

      {stats && (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Tabs
              activeKey={groupBy}
              onChange={(k) => setGroupBy(k)}
              items={Object.keys(groupBys).map((k) => ({ key: k, label: `按${groupBys[k]}` }))}
            />
            <Table<GroupRow>
              rowKey="key"
              size="small"
              columns={columns}
              dataSource={rows}
              loading={loading}
              pagination={rows.length > 21 ? { pageSize: 20, showSizeChanger: false } : false}
              locale={{ emptyText: '本期没有代办件' }}
              data-testid="group-table"
            />
          </Card>
          <Row gutter={12}>
            <Col span={15}>
              <Card size="small" title={`受理、办结、超期（按${groupBys[groupBy]}，前12项）`} style={{ marginBottom: 12 }}>
                {top.length ? (
                  <EChart
                    option={barOption}
                    height={Math.max(180, top.length * 34 + 50)}
                    ariaLabel={`按${groupBys[groupBy]}的受理、办结、超期件数柱状图`}
                    testId="chart-groups"
                    onClick={(name) => {
                      const g = stats.groups.find((x) => x.label === name);
                      if (g) open(['accepted', 'completed', 'overdue'], g);
                    }}
                  />
                ) : (
                  <Empty description="本期没有代办件" />
                )}
              </Card>
            </Col>
            <Col span={9}>
              <Card size="small" title="办结件的好差评" style={{ marginBottom: 12 }}>
                <EChart
                  option={pieOption}
                  height={230}
                  ariaLabel="办结件满意、差评、未评价的件数饼图"
                  testId="chart-ratings"
                  onClick={(name) => open(name === '差评' ? ['poor'] : name === '满意' ? ['satisfied'] : ['notReturnVisited', 'completed'])}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}

      {poor && (
        <Card
          size="small"
          title={
            <span>
              差评 <Tag color={poor.total ? 'red' : 'default'}>{poor.total} 件</Tag>
              <span className="text-muted" style={{ fontWeight: 'normal', fontSize: 13 }}>
                每件差评须回访，并在15个工作日内整改
              </span>
            </span>
          }
          data-testid="poor-list"
        >
          <Table<PoorRow>
            rowKey="id"
            size="small"
            dataSource={poor.rows}
            pagination={false}
            locale={{ emptyText: '本期没有差评' }}
            columns={[
              {
                title: '件号',
                dataIndex: 'caseNo',
                width: 236,
                render: (v: string, r) => (
                  <Link to={`/cases/${r.id}`} className="nowrap">
                    {v}
                  </Link>
                ),
              },
              { title: '申请人', dataIndex: 'applicantName', width: 90 },
              { title: '事项', dataIndex: 'itemName', ellipsis: true },
              { title: '办结日期', dataIndex: 'decisionDate', width: 106 },
              { title: '评价', dataIndex: 'rating', width: 100, render: (v: PoorRow['rating']) => (v ? <Tag color="red">{RATINGS[v]}</Tag> : '') },
              { title: '意见', dataIndex: 'ratingComment', ellipsis: true },
              {
                title: '整改',
                dataIndex: 'rectification',
                width: 86,
                render: (v: PoorRow['rectification']) =>
                  v === undefined ? <span className="text-muted">—</span> : v === 'closed' ? <Tag color="green">已整改</Tag> : v === 'open' ? <Tag color="orange">整改中</Tag> : <Tag>未立项</Tag>,
              },
              { title: '代办员', dataIndex: 'agentName', width: 80 },
            ]}
          />
        </Card>
      )}
      <FigureCases query={drill} onClose={() => setDrill(null)} load={source.cases} groupLabels={groupBys} />
    </div>
  );
}
