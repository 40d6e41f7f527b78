// Small display helpers shared by the pages.
import { ESTIMATE_NOTE } from '../../domain/calendarEstimate';
import { Tag, Tooltip } from 'antd';
import { CASE_STATUSES, type CaseStatus } from '../../domain/caseStatus';
import type { DeadlineState } from '../../domain/deadlines';
import type { CaseRow } from '../../domain/records';

/** "2026-11-21" → "2026年11月21日". */
export function cnDate(d: string | null | undefined): string {
  if (!d) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (!m) return d;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

// Instants are stored as UTC ISO strings; people read them in China time (UTC+8, no daylight saving),
// whatever time zone the laptop happens to be set to.
function china(at: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return `${at}T00:00`;
  const t = Date.parse(at);
  return Number.isNaN(t) ? null : new Date(t + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** ISO timestamp → "2026-11-21 14:05" (China time). */
export function dateTime(at: string | null | undefined): string {
  if (!at) return '';
  return china(at)?.replace('T', ' ') ?? at;
}

/** ISO timestamp or date → "2026-11-21" (China calendar day). */
export function chinaDate(at: string | null | undefined): string {
  if (!at) return '';
  return china(at)?.slice(0, 10) ?? at.slice(0, 10);
}

/** ISO timestamp → "14:05" (China time); '' for a plain date. */
export function chinaTime(at: string | null | undefined): string {
  if (!at || /^\d{4}-\d{2}-\d{2}$/.test(at)) return '';
  return china(at)?.slice(11, 16) ?? '';
}

const STATUS_COLORS: Record<CaseStatus, string> = {
  accepted: 'blue',
  handedUp: 'geekblue',
  returned: 'gold',
  decided: 'cyan',
  delivered: 'green',
  archived: 'default',
  withdrawn: 'default',
  refusedIntake: 'magenta',
};

export function StatusTag({ status }: { status: CaseStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {CASE_STATUSES[status] ?? status}
    </Tag>
  );
}

export const DEADLINE_LABELS: Record<DeadlineState, string> = { overdue: '已超期', dueSoon: '即将到期', ok: '' };

/** Due date with the 电子监察 colour: red when overdue, orange when due within 2 working days. */
export function DueDate({ row }: { row: Pick<CaseRow, 'dueDate' | 'deadline' | 'dueEstimated'> }) {
  const date = row.dueDate;
  const est = row.dueEstimated ? (
    <Tooltip title={`该年度节假日安排尚未发布，${ESTIMATE_NOTE}，日期可能变动`}>
      <Tag style={{ marginInlineStart: 4 }}>估算</Tag>
    </Tooltip>
  ) : null;
  if (row.deadline === 'overdue')
    return (
      <span className="nowrap">
        <Tag color="red">超期</Tag>
        <span className="text-danger">{date}</span>
        {est}
      </span>
    );
  if (row.deadline === 'dueSoon')
    return (
      <span className="nowrap">
        <Tag color="orange">将到期</Tag>
        <span className="text-warning">{date}</span>
        {est}
      </span>
    );
  return (
    <span className="nowrap">
      {date}
      {est}
    </span>
  );
}

export function BackfilledTag() {
  return (
    <Tooltip title="补录：根据纸质记录事后录入，时限按实际受理日期计算">
      <Tag color="purple">补录</Tag>
    </Tooltip>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Today in China (UTC+8) as YYYY-MM-DD, whatever the laptop's time zone. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
