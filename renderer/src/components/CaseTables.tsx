// The follow-up (回访与好差评) and rectification (差评整改) tables of a case, shared by the village's case
// page and the county console's.
import { Button, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Followup, Rectification } from '../../../domain/records';
import { FOLLOWUP_KINDS, FOLLOWUP_METHODS, RATINGS, isPoorRating, labelOf, type Rating } from '../../../domain/vocab';

function ratingTag(r: Rating | null) {
  if (r == null) return <span className="text-muted">—</span>;
  return <Tag color={isPoorRating(r) ? 'red' : r === 3 ? 'gold' : 'green'}>{RATINGS[r]}</Tag>;
}

export function FollowupsTable({ rows }: { rows: Followup[] }) {
  const columns: ColumnsType<Followup> = [
    { title: '日期', dataIndex: 'followDate', width: 108 },
    { title: '类别', dataIndex: 'kind', width: 104, render: (v: string) => labelOf(FOLLOWUP_KINDS, v) },
    {
      title: '方式',
      dataIndex: 'method',
      width: 92,
      render: (v: string, f) => (
        <span className="nowrap">
          {labelOf(FOLLOWUP_METHODS, v)}
          {!f.reached && <Tag style={{ marginInlineStart: 4 }}>未联系上</Tag>}
        </span>
      ),
    },
    { title: '评价', dataIndex: 'rating', width: 108, render: (v: Rating | null) => ratingTag(v) },
    {
      title: '效率/水平/态度',
      width: 150,
      render: (_: unknown, f) =>
        f.efficiency || f.serviceLevel || f.attitude ? (
          <span style={{ fontSize: 13 }}>
            {[f.efficiency, f.serviceLevel, f.attitude].map((r) => (r ? RATINGS[r] : '—')).join(' / ')}
          </span>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
    { title: '意见', dataIndex: 'comment', ellipsis: { showTitle: true } },
    { title: '回访人', dataIndex: 'agentName', width: 80 },
  ];
  return <Table<Followup> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={false} locale={{ emptyText: '还没有回访记录' }} />;
}

/** `onClose` offers the 整改完成 button (the village); without it the table is read-only (the county). */
export function RectificationsTable({ rows, onClose }: { rows: Rectification[]; onClose?: (id: string) => void }) {
  const columns: ColumnsType<Rectification> = [
    { title: '差评日期', dataIndex: 'openedDate', width: 108 },
    {
      title: '整改期限',
      dataIndex: 'dueDate',
      width: 150,
      render: (v: string, r) =>
        r.overdue && r.status === 'open' ? (
          <span className="nowrap">
            <Tag color="red">逾期</Tag>
            <span className="text-danger">{v}</span>
          </span>
        ) : (
          v
        ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 88,
      render: (v: string) => (v === 'open' ? <Tag color="orange">整改中</Tag> : <Tag color="green">已完成</Tag>),
    },
    { title: '完成日期', dataIndex: 'closedDate', width: 108, render: (d: string | null) => d ?? '—' },
    { title: '整改情况', dataIndex: 'actionNote', ellipsis: { showTitle: true } },
    {
      title: '',
      width: 110,
      render: (_: unknown, r) =>
        r.status === 'open' && onClose ? (
          <Button size="small" type="primary" onClick={() => onClose(r.id)}>
            整改完成
          </Button>
        ) : null,
    },
  ];
  return <Table<Rectification> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={false} />;
}
