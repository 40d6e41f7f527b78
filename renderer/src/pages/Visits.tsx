// 来访登记 list: walk-ins, calls, letters; filter by category and 未息访; paged on the server.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, DatePicker, Input, Select, Table, Tag } from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { Visit } from '../../../domain/records';
import { VISIT_CATEGORIES, VISIT_CHANNELS, VISIT_HANDLINGS, labelOf, type VisitCategory } from '../../../domain/vocab';
import { api } from '../api';
import { usePagedSearch } from '../components/usePagedSearch';
import { PageTitle } from '../components/PageTitle';
import { rowLink } from '../components/rowNav';
import { chinaTime } from '../format';
import { href, Link } from '../components/routing';

type Filters = { q: string; category?: VisitCategory; unsettled: boolean; from?: string; to?: string };
let lastFilters: Filters = { q: '', unsettled: false };
let lastPage = { current: 1, pageSize: 20 };

const columns: ColumnsType<Visit> = [
  {
    title: '来访时间',
    dataIndex: 'visitedAt',
    width: 150,
    render: (_: string, v) => (
      <span className="nowrap">
        {v.visitDate} {chinaTime(v.visitedAt)}
        {v.backfilled && (
          <Tag color="purple" style={{ marginInlineStart: 4 }}>
            补录
          </Tag>
        )}
      </span>
    ),
  },
  {
    title: '来访人',
    dataIndex: 'visitorName',
    width: 120,
    render: (n: string, v) => (
      <Link to={`/visits/${v.id}`}>
        {n}
        {v.visitorCount > 1 ? `等${v.visitorCount}人` : ''}
      </Link>
    ),
  },
  { title: '渠道', dataIndex: 'channel', width: 80, render: (c: string) => labelOf(VISIT_CHANNELS, c) },
  {
    title: '类别',
    dataIndex: 'category',
    width: 96,
    render: (c: string) => <Tag color={c === 'complaint' || c === 'dispute' ? 'volcano' : 'blue'}>{labelOf(VISIT_CATEGORIES, c)}</Tag>,
  },
  { title: '事由', dataIndex: 'summary', ellipsis: { showTitle: true } },
  { title: '处理方式', dataIndex: 'handling', width: 112, render: (h: string) => labelOf(VISIT_HANDLINGS, h) },
  {
    title: '息访',
    dataIndex: 'settledDate',
    width: 118,
    render: (d: string | null) => (d ? <span className="nowrap">{d}</span> : <Tag color="orange">未息访</Tag>),
  },
  {
    title: '代办件',
    dataIndex: 'caseNo',
    width: 100,
    render: (no: string | null, v) =>
      no && v.caseId ? (
        <Link to={`/cases/${v.caseId}`} title={no}>
          …{no.slice(-12)}
        </Link>
      ) : (
        <span className="text-muted">—</span>
      ),
  },
];

export function VisitsPage() {
  const [filters, setFilters] = useState<Filters>(lastFilters);
  const [qInput, setQInput] = useState(filters.q);
  const [page, setPage] = useState(lastPage);

  const { data, loading } = usePagedSearch(
    filters,
    page,
    (f: Filters, offset: number, limit: number) =>
      api.searchVisits({
        q: f.q.trim(),
        category: f.category,
        unsettled: f.unsettled || undefined,
        from: f.from,
        to: f.to,
        offset,
        limit,
      }),
    '查询来访登记失败',
  );

  useEffect(() => {
    lastFilters = filters;
    lastPage = page;
  }, [filters, page]);

  useEffect(() => {
    if (qInput === filters.q) return;
    const t = window.setTimeout(() => update({ q: qInput }), 450);
    return () => window.clearTimeout(t);
  });

  function update(patch: Partial<Filters>) {
    setFilters((f) => ({ ...f, ...patch }));
    setPage((p) => ({ ...p, current: 1 }));
  }

  return (
    <div>
      <PageTitle
        title="来访登记"
        extra={
          <Button type="primary" size="large" icon={<PlusOutlined />} href={href('/visits/new')} data-testid="new-visit">
            登记来访
          </Button>
        }
      >
        <span className="text-muted">来访、来电、来信，咨询、求助、投诉、矛盾纠纷都在这里登记</span>
      </PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 10, alignItems: 'center' }}>
          <Input.Search
            aria-label="搜索来访登记"
            allowClear
            placeholder="来访人姓名、拼音或事由关键词"
            style={{ width: 340 }}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => {
              setQInput(v);
              update({ q: v });
            }}
          />
          <Select
            aria-label="类别"
            allowClear
            placeholder="全部类别"
            style={{ width: 150 }}
            value={filters.category}
            onChange={(v: VisitCategory | undefined) => update({ category: v })}
            options={(Object.keys(VISIT_CATEGORIES) as VisitCategory[]).map((k) => ({ value: k, label: VISIT_CATEGORIES[k] }))}
          />
          <DatePicker.RangePicker
            aria-label="来访日期范围"
            placeholder={['来访日期从', '到']}
            style={{ width: 270 }}
            allowEmpty={[true, true]}
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            onChange={(r) => update({ from: r?.[0]?.format('YYYY-MM-DD') ?? undefined, to: r?.[1]?.format('YYYY-MM-DD') ?? undefined })}
          />
          <Checkbox checked={filters.unsettled} onChange={(e) => update({ unsettled: e.target.checked })}>
            仅未息访
          </Checkbox>
        </div>
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<Visit>
          rowKey="id"
          size="middle"
          className="clickable-rows"
          columns={columns}
          dataSource={data.rows}
          loading={loading}
          onRow={rowLink((v) => `/visits/${v.id}`)}
          onChange={(p: TablePaginationConfig) => setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
          locale={{ emptyText: '没有来访登记' }}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (t) => `共 ${t} 条`,
            style: { padding: '0 12px' },
          }}
        />
      </Card>
    </div>
  );
}
