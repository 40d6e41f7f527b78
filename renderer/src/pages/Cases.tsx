// 代办件: one search box (姓名、拼音、首字母、身份证号或后4–6位、电话或后4位、件号) plus filters; paged on the server.
import { ClockCircleOutlined, FileAddOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Table, Tag } from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import { useEffect, useState } from 'react';
import type { ApiInput } from '../../../api/contract';
import type { CaseRow } from '../../../domain/records';
import { type CaseStatus } from '../../../domain/caseStatus';
import { api } from '../api';
import { LoadFailed, LoadFailedBar } from '../components/LoadFailed';
import { usePagedSearch } from '../components/usePagedSearch';
import { SEARCH_MAX_CHARS } from '../../../domain/search';
import { CatalogSelect } from '../components/CatalogSelect';
import { CaseStatusFilter, DeadlineChecks, DueCell, IntakeRangeFilter } from '../components/CaseParts';
import { PageTitle } from '../components/PageTitle';
import { rowLink } from '../components/rowNav';
import { clearRecent, loadRecent, pushRecent } from '../localStore';
import { BackfilledTag, StatusTag } from '../format';
import { href, Link, useRoute } from '../components/routing';
import { useSession } from '../session';

type Filters = {
  q: string;
  status: CaseStatus[];
  itemCode?: string;
  agentId?: string;
  from?: string;
  to?: string;
  overdue: boolean;
  dueSoon: boolean;
};

const EMPTY: Filters = { q: '', status: [], overdue: false, dueSoon: false };

/** Only non-identifying searches are remembered: names, pinyin and case numbers, never ID or phone digits. */
function rememberable(q: string): boolean {
  const s = q.trim();
  if (!s) return false;
  if (/^\d{12}-\d{8}-\d{3,}$/.test(s)) return true;
  return !/\d{3,}/.test(s);
}

// Survives navigating to a case and back.
let lastFilters: Filters | null = null;
let lastPage = { current: 1, pageSize: 20 };

const columns: ColumnsType<CaseRow> = [
  {
    title: '件号',
    dataIndex: 'caseNo',
    width: 220,
    render: (v: string, r) => (
      <Link to={`/cases/${r.id}`} style={{ fontSize: 14 }}>
        {v}
      </Link>
    ),
  },
  { title: '申请人', dataIndex: 'applicantName', width: 96, ellipsis: true },
  { title: '电话', dataIndex: 'phoneMasked', width: 122, render: (v: string) => <span className="nowrap">{v}</span> },
  { title: '事项', dataIndex: 'itemName', ellipsis: { showTitle: true } },
  { title: '状态', dataIndex: 'status', width: 96, render: (v: CaseStatus) => <StatusTag status={v} /> },
  {
    title: '受理日期',
    dataIndex: 'intakeDate',
    width: 132,
    render: (v: string, r) => (
      <span className="nowrap">
        {v}
        {r.backfilled && <BackfilledTag />}
      </span>
    ),
  },
  {
    title: '承诺办结',
    dataIndex: 'dueDate',
    width: 186,
    render: (_: string, r) => <DueCell row={r} />,
  },
  { title: '代办员', dataIndex: 'agentName', width: 84, ellipsis: true },
];

export function CasesPage() {
  const { agent, state } = useSession();
  const loc = useRoute();
  const [filters, setFilters] = useState<Filters>(() => {
    const fromUrl = loc.query.get('overdue') === '1' || loc.query.get('dueSoon') === '1' || loc.query.get('q');
    if (fromUrl) {
      return {
        ...EMPTY,
        q: loc.query.get('q') ?? '',
        overdue: loc.query.get('overdue') === '1',
        dueSoon: loc.query.get('dueSoon') === '1',
      };
    }
    return lastFilters ?? EMPTY;
  });
  const [qInput, setQInput] = useState(filters.q);
  const [page, setPage] = useState(lastPage);
  const [recent, setRecent] = useState<string[]>([]);
  const recentKey = `cases:${agent.id}`;

  useEffect(() => {
    void loadRecent(recentKey).then(setRecent);
  }, [recentKey]);

  const { data, loading, error, retry } = usePagedSearch(
    filters,
    page,
    (f: Filters, offset: number, limit: number) => {
      const input: ApiInput<'searchCases'> = {
      q: f.q.trim(),
      status: f.status.length ? f.status : undefined,
      itemCode: f.itemCode,
      agentId: f.agentId,
      from: f.from,
      to: f.to,
      overdue: f.overdue || undefined,
      dueSoon: f.dueSoon || undefined,
      offset,
      limit,
      };
      return api.searchCases(input);
    },
    '查询失败',
  );

  useEffect(() => {
    lastFilters = filters;
    lastPage = page;
  }, [filters, page]);

  // Typing pauses search after a moment; Enter searches at once and remembers the search.
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

  const searchNow = (q: string) => {
    setQInput(q);
    update({ q });
    if (rememberable(q)) void pushRecent(recentKey, q).then(setRecent);
  };

  const activeFilterCount =
    (filters.status.length ? 1 : 0) +
    (filters.itemCode ? 1 : 0) +
    (filters.agentId ? 1 : 0) +
    (filters.from || filters.to ? 1 : 0) +
    (filters.overdue ? 1 : 0) +
    (filters.dueSoon ? 1 : 0);

  const onTable = (p: TablePaginationConfig) => {
    setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 });
  };

  return (
    <div>
      <PageTitle
        title="代办件"
        extra={
          <Button type="primary" icon={<FileAddOutlined />} href={href('/intake')}>
            受理登记
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label="搜索代办件"
          data-testid="case-search"
          maxLength={SEARCH_MAX_CHARS}
          size="large"
          allowClear
          autoFocus
          enterButton={
            <span>
              <SearchOutlined /> 搜索
            </span>
          }
          placeholder="姓名（张三）、拼音（zhangsan / zs）、身份证号或后4–6位、电话或后4位、件号"
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(v) => searchNow(v)}
        />
        {recent.length > 0 && (
          <div style={{ marginTop: 8, display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 6 }}>
            <span className="text-muted">
              <ClockCircleOutlined /> 最近搜索：
            </span>
            {recent.map((r) => (
              <Tag.CheckableTag
                key={r}
                className="recent-search"
                checked={filters.q === r}
                onChange={() => searchNow(r)}
                style={{ fontSize: 15, border: '1px solid #d0d5dd' }}
              >
                <span title={r}>{r}</span>
              </Tag.CheckableTag>
            ))}
            <Button
              type="link"
              size="small"
              onClick={() => {
                void clearRecent(recentKey);
                setRecent([]);
              }}
            >
              清除
            </Button>
          </div>
        )}
        <div style={{ marginTop: 10, display: 'flex', flexWrap: 'wrap', gap: 10, alignItems: 'center' }}>
          <CaseStatusFilter value={filters.status} onChange={(v) => update({ status: v })} style={{ minWidth: 200, maxWidth: 360 }} />
          <CatalogSelect value={filters.itemCode} onChange={(v) => update({ itemCode: v })} style={{ width: 220 }} popupWidth={360} />
          <Select
            aria-label="代办员"
            allowClear
            placeholder="全部代办员"
            style={{ width: 140 }}
            value={filters.agentId}
            onChange={(v: string | undefined) => update({ agentId: v })}
            options={state.agents.map((a) => ({ value: a.id, label: a.active ? a.name : `${a.name}（已停用）` }))}
          />
          <IntakeRangeFilter from={filters.from} to={filters.to} onChange={update} width={270} />
          <DeadlineChecks overdue={filters.overdue} dueSoon={filters.dueSoon} onChange={update} />
          {activeFilterCount > 0 && (
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
      {error !== null && data.rows.length > 0 && <LoadFailedBar error={error} what="读取代办件" onRetry={retry} />}
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<CaseRow>
          rowKey="id"
          size="middle"
          className="clickable-rows"
          columns={columns}
          dataSource={data.rows}
          loading={loading}
          onRow={rowLink((r) => `/cases/${r.id}`)}
          onChange={onTable}
          locale={{
            emptyText: error !== null ? (
              <LoadFailed error={error} what="读取代办件" onRetry={retry} />
            ) : filters.q || activeFilterCount ? (
              '没有符合条件的代办件'
            ) : (
              '还没有代办件'
            ),
          }}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (t) => `共 ${t} 件`,
            style: { padding: '0 12px' },
          }}
        />
      </Card>
    </div>
  );
}
