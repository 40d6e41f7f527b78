// 督办: the open 督办 and their state (待答复 / 已答复 / 已办结, 逾期未答复 in red), and the cases that are
// overdue or due within 2 working days, counted by township — each count opens its cases.
import { Button, Card, Col, Input, Modal, Row, Segmented, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { PageTitle } from '../../src/components/PageTitle';
import { usePagedSearch } from '../../src/components/usePagedSearch';
import { dateTime } from '../../src/format';
import { showError, showSuccess } from '../../src/notify';
import { call, type ConsoleOutputs, type Supervision } from '../api';
import { TownshipSelect } from '../components/ScopeSelect';
import { useConsole } from '../session';
import { caseColumns } from './Cases';
import { SUPERVISION_STATES } from './supervisionLabels';

type State = 'open' | 'answered' | 'closed' | 'all';
type Deadlines = ConsoleOutputs['deadlines'];

export function SupervisionPage() {
  const { me } = useConsole();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<{ state: State; townshipCode?: string; n: number }>({ state: 'open', n: 0 });
  const [page, setPage] = useState({ current: 1, pageSize: 10 });
  const [kind, setKind] = useState<'overdue' | 'dueSoon'>('overdue');
  const [dlPage, setDlPage] = useState({ current: 1, pageSize: 10 });
  const [closing, setClosing] = useState<Supervision | null>(null);
  const [closeNote, setCloseNote] = useState('');

  const { data, loading } = usePagedSearch(
    filters,
    page,
    (f, offset, limit) => call('listSupervisions', { state: f.state, townshipCode: f.townshipCode, offset, limit }),
    '读取督办失败',
  );
  const dlFilters = useMemo(() => ({ kind, townshipCode: filters.townshipCode }), [kind, filters.townshipCode]);
  const [deadlines, setDeadlines] = useState<Deadlines | null>(null);
  const { data: dlCases, loading: dlLoading } = usePagedSearch(
    dlFilters,
    dlPage,
    async (f, offset, limit) => {
      const r = await call('deadlines', { kind: f.kind, townshipCode: f.townshipCode, offset, limit });
      setDeadlines(r);
      return r.cases;
    },
    '读取超期件失败',
  );

  const columns: ColumnsType<Supervision> = [
    {
      title: '件号',
      dataIndex: 'caseNo',
      width: 232,
      render: (v: string, r) => (
        <a href={`#/cases/${encodeURIComponent(r.caseId)}`} className="nowrap" style={{ fontSize: 14 }}>
          {v}
        </a>
      ),
    },
    { title: '代办点', width: 150, ellipsis: true, render: (_: unknown, r) => `${r.townshipName}${r.villageName}` },
    { title: '督办事项', dataIndex: 'note', ellipsis: { showTitle: true } },
    { title: '督办', width: 150, render: (_: unknown, r) => <span className="nowrap">{r.createdByName} {dateTime(r.createdAt).slice(5)}</span> },
    { title: '答复期限', dataIndex: 'replyBy', width: 104, render: (v: string, r) => <span className={r.late ? 'text-danger' : undefined}>{v}</span> },
    {
      title: '状态',
      dataIndex: 'state',
      width: 150,
      render: (v: Supervision['state'], r) => (
        <span className="nowrap">
          <Tag color={r.late ? 'red' : v === 'open' ? 'orange' : v === 'answered' ? 'blue' : 'default'}>{r.late ? '逾期未答复' : SUPERVISION_STATES[v]}</Tag>
          {!r.delivered && v === 'open' && <Tag>未送达</Tag>}
        </span>
      ),
    },
    { title: '答复', dataIndex: 'answer', ellipsis: { showTitle: true }, render: (v: string | null) => v ?? <span className="text-muted">—</span> },
    {
      title: '',
      width: 90,
      render: (_: unknown, r) =>
        r.state !== 'closed' ? (
          <Button size="small" onClick={() => { setClosing(r); setCloseNote(''); }}>
            办结
          </Button>
        ) : null,
    },
  ];

  async function closeNow() {
    if (!closing) return;
    try {
      await call('closeSupervision', { id: closing.id, note: closeNote.trim() });
      showSuccess('督办已办结');
      setClosing(null);
      setFilters((f) => ({ ...f, n: f.n + 1 }));
    } catch (e) {
      showError(e, '办结督办失败');
    }
  }

  return (
    <div>
      <PageTitle title="督办" extra={me.role !== 'township' ? <TownshipSelect value={filters.townshipCode} onChange={(v) => setFilters((f) => ({ ...f, townshipCode: v }))} style={{ width: 160 }} /> : undefined} />
      <Card
        size="small"
        style={{ marginBottom: 12 }}
        title="督办事项"
        extra={
          <Segmented<State>
            value={filters.state}
            onChange={(v) => {
              setFilters((f) => ({ ...f, state: v }));
              setPage((p) => ({ ...p, current: 1 }));
            }}
            options={[
              { value: 'open', label: '待答复' },
              { value: 'answered', label: '已答复' },
              { value: 'closed', label: '已办结' },
              { value: 'all', label: '全部' },
            ]}
          />
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<Supervision>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data.rows}
          loading={loading}
          data-testid="supervision-list"
          locale={{ emptyText: '没有督办事项' }}
          onChange={(p) => setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 10 })}
          pagination={{ current: page.current, pageSize: page.pageSize, total: data.total, showTotal: (t) => `共 ${t} 件`, showSizeChanger: false, style: { padding: '0 12px' } }}
        />
      </Card>

      <Row gutter={12}>
        <Col span={7}>
          <Card size="small" title="按乡镇" styles={{ body: { padding: 0 } }}>
            <Table
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={deadlines?.townships ?? []}
              data-testid="deadline-townships"
              locale={{ emptyText: '没有超期或将到期的代办件' }}
              columns={[
                { title: '乡镇', dataIndex: 'name' },
                {
                  title: '超期',
                  dataIndex: 'overdue',
                  width: 64,
                  align: 'right',
                  render: (v: number, t: Deadlines['townships'][number]) => (v ? <a className="text-danger" href={`#/cases?townshipCode=${t.code}&overdue=1`}>{v}</a> : <span className="text-muted">0</span>),
                },
                {
                  title: '将到期',
                  dataIndex: 'dueSoon',
                  width: 72,
                  align: 'right',
                  render: (v: number, t: Deadlines['townships'][number]) => (v ? <a className="text-warning" href={`#/cases?townshipCode=${t.code}&dueSoon=1`}>{v}</a> : <span className="text-muted">0</span>),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={17}>
          <Card
            size="small"
            title={kind === 'overdue' ? '超期未办结的代办件' : '2 个工作日内到期的代办件'}
            extra={
              <Segmented
                value={kind}
                onChange={(v) => {
                  setKind(v as 'overdue' | 'dueSoon');
                  setDlPage((p) => ({ ...p, current: 1 }));
                }}
                options={[
                  { value: 'overdue', label: '超期' },
                  { value: 'dueSoon', label: '将到期' },
                ]}
              />
            }
            styles={{ body: { padding: 0 } }}
          >
            <Table
              rowKey="id"
              size="small"
              className="clickable-rows"
              columns={caseColumns.filter((c) => c.title !== '电话')}
              dataSource={dlCases.rows}
              loading={dlLoading}
              scroll={{ x: 1000 }}
              onRow={(r) => ({ onClick: (e) => { if (!(e.target as HTMLElement).closest('a,button')) navigate(`/cases/${encodeURIComponent(r.id)}`); } })}
              locale={{ emptyText: '没有' }}
              onChange={(p) => setDlPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 10 })}
              pagination={{ current: dlPage.current, pageSize: dlPage.pageSize, total: dlCases.total, showTotal: (t) => `共 ${t} 件`, showSizeChanger: false, style: { padding: '0 12px' } }}
            />
          </Card>
        </Col>
      </Row>

      <Modal open={!!closing} title={`办结督办：${closing?.caseNo ?? ''}`} okText="办结" cancelText="取消" onOk={() => void closeNow()} onCancel={() => setClosing(null)} destroyOnHidden>
        <p>{closing?.answer ? `代办点答复：${closing.answer}` : '代办点尚未答复。'}</p>
        <Input.TextArea rows={3} maxLength={500} value={closeNote} onChange={(e) => setCloseNote(e.target.value)} placeholder="办结说明（可不填）" aria-label="办结说明" autoFocus />
      </Modal>
    </div>
  );
}
