// The list of cases behind a figure (受理量, 超期, 差评 …), paged on the server. A rate opens its
// parts side by side (e.g. 办结率: 应办结 / 已办结), so the clerk sees both sides of the division.
import { Drawer, Segmented, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import type { StatCaseRow } from '../../../api/reportSchemas';
import type { Page } from '../../../domain/records';
import { FIGURE_DEFS, GROUP_BYS, type CountFigure, type GroupBy } from '../../../domain/statistics';
import { HANDLING_MODES, RATINGS, labelOf } from '../../../domain/vocab';
import { api } from '../api';
import { StatusTag } from '../format';
import { showError } from '../notify';
import { Link } from '../components/routing';

export type FigureQuery = {
  from: string;
  to: string;
  /** The figures to offer, the first one shown first. */
  figures: CountFigure[];
  /** One group of the grouped table; `by` is a GroupBy (village) or the county's township / village. */
  group?: { by: string; key: string; label: string };
};

/** A row of the list: the village's StatCaseRow; the county console's rows add the village and may lack the comment. */
export type FigureCaseRow = Omit<StatCaseRow, 'ratingComment' | 'rectification' | 'itemCode' | 'department'> & { ratingComment?: string; villageName?: string };

/** Where the rows come from: the village register by default; the county console passes its own (scoped) loader. */
export type FigureCasesLoader = (q: FigureQuery, figure: CountFigure, offset: number, limit: number) => Promise<Page<FigureCaseRow>>;

const villageLoader: FigureCasesLoader = (q, figure, offset, limit) =>
  api.statisticsCases({ from: q.from, to: q.to, figure, group: q.group ? { by: q.group.by as GroupBy, key: q.group.key } : undefined, offset, limit });

const columns: ColumnsType<FigureCaseRow> = [
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
  { title: '申请人', dataIndex: 'applicantName', width: 84, ellipsis: true },
  { title: '事项', dataIndex: 'itemName', width: 200, ellipsis: { showTitle: true } },
  { title: '方式', dataIndex: 'handlingMode', width: 56, render: (v: string) => labelOf(HANDLING_MODES, v) },
  { title: '状态', dataIndex: 'status', width: 96, render: (v: FigureCaseRow['status']) => <StatusTag status={v} /> },
  { title: '受理日期', dataIndex: 'intakeDate', width: 106 },
  { title: '承诺办结', dataIndex: 'dueDate', width: 106 },
  {
    title: '办结日期',
    dataIndex: 'decisionDate',
    width: 130,
    render: (v: string | null, r) =>
      v ? (
        <span className="nowrap">
          {v}
          {v > r.dueDate && (
            <Tag color="red" style={{ marginInlineStart: 4 }}>
              超期
            </Tag>
          )}
        </span>
      ) : (
        <span className="text-muted">未办结</span>
      ),
  },
  { title: '代办员', dataIndex: 'agentName', width: 80 },
  {
    title: '评价',
    dataIndex: 'rating',
    width: 100,
    render: (v: FigureCaseRow['rating'], r) =>
      v ? (
        <span title={r.ratingComment}>
          <Tag color={v >= 4 ? 'red' : 'green'}>{RATINGS[v]}</Tag>
        </span>
      ) : (
        ''
      ),
  },
];

const villageColumn: ColumnsType<FigureCaseRow>[number] = { title: '村', dataIndex: 'villageName', width: 90, ellipsis: true };

export function FigureCases({
  query,
  onClose,
  load = villageLoader,
  groupLabels = GROUP_BYS,
}: {
  query: FigureQuery | null;
  onClose: () => void;
  load?: FigureCasesLoader;
  groupLabels?: Record<string, string>;
}) {
  const [figure, setFigure] = useState<CountFigure | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [data, setData] = useState<Page<FigureCaseRow> | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setFigure(query?.figures[0] ?? null);
    setPage({ current: 1, pageSize: 20 });
  }, [query]);

  useEffect(() => {
    if (!query || !figure) return;
    let cancelled = false;
    setLoading(true);
    load(query, figure, (page.current - 1) * page.pageSize, page.pageSize)
      .then((r) => !cancelled && setData(r))
      .catch((e) => showError(e, '读取代办件失败'))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [query, figure, page, load]);

  const title = query
    ? `${query.group ? `${groupLabels[query.group.by] ?? ''}“${query.group.label}”：` : ''}${figure ? FIGURE_DEFS[figure].label : ''}`
    : '';
  return (
    <Drawer open={!!query} onClose={onClose} width={Math.min(1260, window.innerWidth - 24)} title={title} destroyOnHidden data-testid="figure-cases">
      {query && query.figures.length > 1 && (
        <Segmented
          style={{ marginBottom: 12 }}
          value={figure ?? undefined}
          onChange={(v) => {
            setFigure(v as CountFigure);
            setPage((p) => ({ ...p, current: 1 }));
          }}
          options={query.figures.map((f) => ({ value: f, label: FIGURE_DEFS[f].label }))}
        />
      )}
      {figure && <div className="text-muted" style={{ marginBottom: 8 }}>{FIGURE_DEFS[figure].definition}</div>}
      <Table<FigureCaseRow>
        rowKey="id"
        size="small"
        scroll={{ x: 1180 }}
        columns={data?.rows.some((r) => r.villageName) ? [columns[0], villageColumn, ...columns.slice(1)] : columns}
        dataSource={data?.rows ?? []}
        loading={loading}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: data?.total ?? 0,
          showTotal: (t) => `共 ${t} 件`,
          showSizeChanger: false,
          onChange: (current) => setPage((p) => ({ ...p, current })),
        }}
        locale={{ emptyText: '没有代办件' }}
      />
    </Drawer>
  );
}
