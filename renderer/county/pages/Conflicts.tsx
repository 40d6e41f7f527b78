// 冲突: a field changed both in the village and by the county (e.g. a decision) — both values, who and
// when, and which one is in effect now. Choosing a value records it and sends it down to the village.
import { Button, Card, Popconfirm, Segmented, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { PageTitle } from '../../src/components/PageTitle';
import { usePagedSearch } from '../../src/components/usePagedSearch';
import { dateTime } from '../../src/format';
import { showError, showSuccess } from '../../src/notify';
import { call, type ConflictRow } from '../api';
import { TownshipSelect } from '../components/ScopeSelect';

export function ConflictsPage() {
  const [filters, setFilters] = useState<{ state: 'open' | 'resolved'; townshipCode?: string; n: number }>({ state: 'open', n: 0 });
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const { data, loading } = usePagedSearch(filters, page, (f, offset, limit) => call('listConflicts', { state: f.state, townshipCode: f.townshipCode, offset, limit }), '读取冲突失败');

  async function resolve(r: ConflictRow, choose: 'village' | 'county') {
    try {
      await call('resolveConflict', { id: r.id, choose });
      showSuccess(`已采用${choose === 'village' ? '代办点' : '县中心'}的值，将随回复下发到代办点`);
      setFilters((f) => ({ ...f, n: f.n + 1 }));
    } catch (e) {
      showError(e, '处理冲突失败');
    }
  }

  const value = (v: string | null, inEffect: boolean) => (
    <span>
      {v === null || v === '' ? <span className="text-muted">（空）</span> : v}
      {inEffect && <Tag color="blue" style={{ marginInlineStart: 6 }}>现行</Tag>}
    </span>
  );

  const columns: ColumnsType<ConflictRow> = [
    { title: '代办点', dataIndex: 'villageName', width: 90 },
    { title: '件号', dataIndex: 'caseNo', width: 220, render: (v: string | null, r) => (v && r.caseId ? <a href={`#/cases/${encodeURIComponent(r.caseId)}`}>{v}</a> : v ?? '—') },
    { title: '内容', dataIndex: 'fieldLabel', width: 110 },
    {
      title: '代办点的值',
      render: (_: unknown, r) => (
        <div>
          {value(r.villageValue, r.winner === 'village')}
          <div className="text-muted" style={{ fontSize: 13 }}>{dateTime(r.villageAt)}</div>
        </div>
      ),
    },
    {
      title: '县中心的值',
      render: (_: unknown, r) => (
        <div>
          {value(r.countyValue, r.winner === 'county')}
          <div className="text-muted" style={{ fontSize: 13 }}>
            {r.countyBy} {dateTime(r.countyAt)}
          </div>
        </div>
      ),
    },
    { title: '发现时间', dataIndex: 'detectedAt', width: 140, render: (v: string) => dateTime(v) },
    {
      title: filters.state === 'open' ? '处理' : '处理结果',
      width: 230,
      render: (_: unknown, r) =>
        r.resolvedAt ? (
          <span className="text-muted">
            {r.resolvedBy} {dateTime(r.resolvedAt)}
          </span>
        ) : (
          <span className="nowrap">
            <Popconfirm title="采用代办点的值？" okText="采用" cancelText="取消" onConfirm={() => resolve(r, 'village')}>
              <Button size="small">采用代办点的</Button>
            </Popconfirm>{' '}
            <Popconfirm title="采用县中心的值？" okText="采用" cancelText="取消" onConfirm={() => resolve(r, 'county')}>
              <Button size="small">采用县中心的</Button>
            </Popconfirm>
          </span>
        ),
    },
  ];

  return (
    <div>
      <PageTitle
        title="冲突"
        extra={
          <>
            <TownshipSelect value={filters.townshipCode} onChange={(v) => setFilters((f) => ({ ...f, townshipCode: v }))} style={{ width: 160 }} />
            <Segmented
              value={filters.state}
              onChange={(v) => {
                setFilters((f) => ({ ...f, state: v as 'open' | 'resolved' }));
                setPage((p) => ({ ...p, current: 1 }));
              }}
              options={[
                { value: 'open', label: '待处理' },
                { value: 'resolved', label: '已处理' },
              ]}
            />
          </>
        }
      />
      <p className="text-muted" style={{ marginTop: 0 }}>
        同一项内容在代办点和县中心都改过时，系统先按时间较晚的一方生效（“现行”），并在这里列出，由县中心工作人员确认采用哪一个。
      </p>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<ConflictRow>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data.rows}
          loading={loading}
          data-testid="conflicts"
          locale={{ emptyText: filters.state === 'open' ? '没有待处理的冲突' : '没有已处理的冲突' }}
          onChange={(p) => setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 })}
          pagination={{ current: page.current, pageSize: page.pageSize, total: data.total, showTotal: (t) => `共 ${t} 条`, showSizeChanger: false, style: { padding: '0 12px' } }}
        />
      </Card>
    </div>
  );
}
