// 全县台账: the village's search box (姓名、拼音、首字母、身份证后4–6位、电话后4位、件号、事项) over every point
// in the account's scope, plus township / village / status / item / date / 超期 filters; paged on the server.
import { SearchOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Input, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type CaseStatus } from '../../../domain/caseStatus';
import { CaseStatusFilter, DeadlineChecks, DueCell, IntakeRangeFilter } from '../../src/components/CaseParts';
import { PageTitle } from '../../src/components/PageTitle';
import { rowLink } from '../../src/components/rowNav';
import { usePagedSearch } from '../../src/components/usePagedSearch';
import { StatusTag } from '../../src/format';
import { call, type CountyCaseRow } from '../api';
import { PointSelect, TownshipSelect } from '../components/ScopeSelect';
import { useConsole } from '../session';

type Filters = {
  q: string;
  townshipCode?: string;
  pointCode?: string;
  status: CaseStatus[];
  itemCode?: string;
  from?: string;
  to?: string;
  overdue: boolean;
  dueSoon: boolean;
  supervised: boolean;
};

const EMPTY: Filters = { q: '', status: [], overdue: false, dueSoon: false, supervised: false };

function fromQuery(q: URLSearchParams): Filters | null {
  const keys = ['q', 'townshipCode', 'pointCode', 'overdue', 'dueSoon', 'supervised'];
  if (!keys.some((k) => q.has(k))) return null;
  return {
    ...EMPTY,
    q: q.get('q') ?? '',
    townshipCode: q.get('townshipCode') ?? undefined,
    pointCode: q.get('pointCode') ?? undefined,
    overdue: q.get('overdue') === '1',
    dueSoon: q.get('dueSoon') === '1',
    supervised: q.get('supervised') === '1',
  };
}

// Survives opening a case and coming back.
let lastFilters: Filters | null = null;
let lastPage = { current: 1, pageSize: 20 };

export const caseColumns: ColumnsType<CountyCaseRow> = [
  {
    title: '件号',
    dataIndex: 'caseNo',
    width: 232,
    render: (v: string, r) => (
      <a href={`#/cases/${encodeURIComponent(r.id)}`} className="nowrap" style={{ fontSize: 14 }}>
        {v}
        {r.supervised && (
          <Tag color="volcano" style={{ marginInlineStart: 4 }}>
            督办
          </Tag>
        )}
      </a>
    ),
  },
  { title: '乡镇', dataIndex: 'townshipName', width: 90, ellipsis: true },
  { title: '村', dataIndex: 'villageName', width: 90, ellipsis: true },
  { title: '申请人', dataIndex: 'applicantName', width: 84, ellipsis: true },
  { title: '电话', dataIndex: 'phoneMasked', width: 122, render: (v: string) => <span className="nowrap">{v}</span> },
  { title: '事项', dataIndex: 'itemName', ellipsis: { showTitle: true } },
  { title: '状态', dataIndex: 'status', width: 96, render: (v: CaseStatus) => <StatusTag status={v} /> },
  { title: '受理日期', dataIndex: 'intakeDate', width: 108 },
  {
    title: '承诺办结',
    dataIndex: 'dueDate',
    width: 176,
    render: (_: string, r) => <DueCell row={r} />,
  },
];

export function CasesPage() {
  const { scope, me } = useConsole();
  const [params] = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => fromQuery(params) ?? lastFilters ?? EMPTY);
  const [qInput, setQInput] = useState(filters.q);
  const [page, setPage] = useState(fromQuery(params) ? { current: 1, pageSize: 20 } : lastPage);

  // Links from 总览 / 督办 (#/cases?townshipCode=…&overdue=1) replace the filters.
  useEffect(() => {
    const f = fromQuery(params);
    if (f) {
      setFilters(f);
      setQInput(f.q);
      setPage((p) => ({ ...p, current: 1 }));
    }
  }, [params]);

  useEffect(() => {
    lastFilters = filters;
    lastPage = page;
  }, [filters, page]);

  useEffect(() => {
    if (qInput === filters.q) return;
    const t = window.setTimeout(() => {
      setFilters((f) => ({ ...f, q: qInput }));
      setPage((p) => ({ ...p, current: 1 }));
    }, 450);
    return () => window.clearTimeout(t);
  }, [qInput, filters.q]);

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage((p) => ({ ...p, current: 1 }));
  };

  const { data, loading } = usePagedSearch(
    filters,
    page,
    (f: Filters, offset: number, limit: number) =>
      call('searchCases', {
        q: f.q.trim(),
        townshipCode: f.townshipCode,
        pointCode: f.pointCode,
        status: f.status.length ? f.status : undefined,
        itemCode: f.itemCode,
        from: f.from,
        to: f.to,
        overdue: f.overdue || undefined,
        dueSoon: f.dueSoon || undefined,
        supervised: f.supervised || undefined,
        offset,
        limit,
      }),
    '查询失败',
  );

  const active =
    (filters.townshipCode ? 1 : 0) +
    (filters.pointCode ? 1 : 0) +
    (filters.status.length ? 1 : 0) +
    (filters.itemCode ? 1 : 0) +
    (filters.from || filters.to ? 1 : 0) +
    (filters.overdue ? 1 : 0) +
    (filters.dueSoon ? 1 : 0) +
    (filters.supervised ? 1 : 0);

  return (
    <div>
      <PageTitle title={me.role === 'township' ? `${me.townshipName ?? ''}台账` : '全县台账'} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label="搜索代办件"
          data-testid="case-search"
          size="large"
          allowClear
          autoFocus
          enterButton={
            <span>
              <SearchOutlined /> 搜索
            </span>
          }
          placeholder="姓名（张三）、拼音（zhangsan / zs）、身份证后4–6位、电话后4位、件号、事项"
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(v) => {
            setQInput(v);
            update({ q: v });
          }}
        />
        <div style={{ marginTop: 10, display: 'flex', flexWrap: 'wrap', gap: 10, alignItems: 'center' }}>
          {me.role !== 'township' && (
            <TownshipSelect value={filters.townshipCode} onChange={(v) => update({ townshipCode: v, pointCode: undefined })} style={{ width: 150 }} />
          )}
          <PointSelect value={filters.pointCode} townshipCode={filters.townshipCode} onChange={(v) => update({ pointCode: v })} style={{ width: 190 }} />
          <CaseStatusFilter value={filters.status} onChange={(v) => update({ status: v })} style={{ minWidth: 160, maxWidth: 300 }} />
          <Select
            aria-label="事项"
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="全部事项"
            style={{ width: 200 }}
            popupMatchSelectWidth={360}
            value={filters.itemCode}
            onChange={(v: string | undefined) => update({ itemCode: v })}
            options={scope.items.map((i) => ({ value: i.code, label: i.name }))}
          />
          <IntakeRangeFilter from={filters.from} to={filters.to} onChange={update} width={250} />
          <DeadlineChecks overdue={filters.overdue} dueSoon={filters.dueSoon} onChange={update} />
          <Checkbox checked={filters.supervised} onChange={(e) => update({ supervised: e.target.checked })}>
            仅督办中
          </Checkbox>
          {active > 0 && (
            <Button
              type="link"
              onClick={() => {
                setQInput('');
                update({ ...EMPTY });
              }}
            >
              清除全部条件
            </Button>
          )}
        </div>
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<CountyCaseRow>
          rowKey="id"
          size="middle"
          className="clickable-rows"
          columns={caseColumns}
          dataSource={data.rows}
          loading={loading}
          onRow={rowLink((r) => `/cases/${encodeURIComponent(r.id)}`)}
          onChange={(p) => setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
          data-testid="county-cases"
          locale={{ emptyText: filters.q || active ? '没有符合条件的代办件' : '还没有代办件' }}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            // The county stops counting at 1000: more than that is "1000+", and a narrower search finds the rest.
            showTotal: (t) => (data.totalCapped ? `超过 ${t} 件，仅列出前 ${t} 件，请缩小查找范围` : `共 ${t} 件`),
            style: { padding: '0 12px' },
          }}
        />
      </Card>
    </div>
  );
}
