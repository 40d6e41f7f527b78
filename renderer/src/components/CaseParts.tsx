// Pieces of the case list and the case page shared by the village's 代办件 screens and the county
// console's 全县台账 / case page: the 承诺办结 cell, the status / intake-date / deadline filters, a masked
// number revealed on purpose, a material's name line, and the timeline. Each screen keeps only what
// differs (where the data comes from, what may be edited).
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Empty, Popconfirm, Select, Tag, Timeline, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useState, type CSSProperties } from 'react';
import { CASE_STATUSES, type CaseStatus } from '../../../domain/caseStatus';
import type { CaseMaterial, CaseRow } from '../../../domain/records';
import { dateTime, DueDate } from '../format';
import { showError, showInfo } from '../notify';

/** 承诺办结 in a case list: the due date with 超期/将到期, or for a decided case the date with 超期办结. */
export function DueCell({ row }: { row: Pick<CaseRow, 'dueDate' | 'deadline' | 'decisionDate'> & { dueEstimated?: boolean } }) {
  if (row.decisionDate)
    return (
      <Tooltip title={`承诺 ${row.dueDate}，${row.decisionDate} 办结`}>
        <span className="nowrap">
          {row.dueDate}
          {row.decisionDate > row.dueDate && (
            <Tag color="red" style={{ marginInlineStart: 4 }}>
              超期办结
            </Tag>
          )}
        </span>
      </Tooltip>
    );
  return <DueDate row={{ ...row, dueEstimated: row.dueEstimated ?? false }} />;
}

export function CaseStatusFilter({ value, onChange, style }: { value: CaseStatus[]; onChange: (v: CaseStatus[]) => void; style?: CSSProperties }) {
  return (
    <Select
      aria-label="状态"
      mode="multiple"
      allowClear
      placeholder="全部状态"
      style={style}
      maxTagCount="responsive"
      value={value}
      onChange={onChange}
      options={(Object.keys(CASE_STATUSES) as CaseStatus[]).map((k) => ({ value: k, label: CASE_STATUSES[k] }))}
    />
  );
}

export function IntakeRangeFilter({ from, to, onChange, width }: { from?: string; to?: string; onChange: (r: { from?: string; to?: string }) => void; width: number }) {
  return (
    <DatePicker.RangePicker
      aria-label="受理日期范围"
      placeholder={['受理日期从', '到']}
      style={{ width }}
      value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
      onChange={(r) => onChange({ from: r?.[0]?.format('YYYY-MM-DD') ?? undefined, to: r?.[1]?.format('YYYY-MM-DD') ?? undefined })}
      allowEmpty={[true, true]}
    />
  );
}

/** 仅超期 / 仅即将到期. */
export function DeadlineChecks({ overdue, dueSoon, onChange }: { overdue: boolean; dueSoon: boolean; onChange: (p: { overdue?: boolean; dueSoon?: boolean }) => void }) {
  return (
    <>
      <Checkbox checked={overdue} onChange={(e) => onChange({ overdue: e.target.checked })}>
        <span className="text-danger">仅超期</span>
      </Checkbox>
      <Checkbox checked={dueSoon} onChange={(e) => onChange({ dueSoon: e.target.checked })}>
        <span className="text-warning">仅即将到期</span>
      </Checkbox>
    </>
  );
}

/**
 * A masked personal number with a 显示 button. `reveal` asks the server, which records who revealed
 * what; `recorded` says so to the user (the village records it in the case history, the county in its audit).
 */
export function RevealNumber({
  field,
  masked,
  label,
  reveal,
  recorded,
}: {
  field: 'idNumber' | 'phone' | 'creditCode';
  masked: string;
  label: string;
  reveal: () => Promise<string>;
  recorded: { before: string; after: string };
}) {
  const [value, setValue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!masked) return <span className="text-muted">未登记</span>;
  return (
    <span className="nowrap">
      <span style={{ fontFamily: 'Consolas, monospace' }} data-testid={`reveal-${field}`}>
        {value ?? masked}
      </span>{' '}
      {value ? (
        <Button size="small" type="link" icon={<EyeInvisibleOutlined />} onClick={() => setValue(null)}>
          隐藏
        </Button>
      ) : (
        <Popconfirm
          title={`显示完整${label}？`}
          description={recorded.before}
          okText="显示"
          cancelText="取消"
          onConfirm={async () => {
            setBusy(true);
            try {
              setValue(await reveal());
              showInfo(recorded.after);
            } catch (e) {
              showError(e, '显示失败');
            } finally {
              setBusy(false);
            }
          }}
        >
          <Button size="small" type="link" icon={<EyeOutlined />} loading={busy} aria-label={`显示完整${label}`}>
            显示
          </Button>
        </Popconfirm>
      )}
    </span>
  );
}

/** A material's name with its form, copies and whether it is optional or may be supplied later (容缺). */
export function MaterialName({ m }: { m: Pick<CaseMaterial, 'name' | 'form' | 'copies' | 'required' | 'deferrable'> }) {
  return (
    <div>
      <div>{m.name}</div>
      <div className="text-muted" style={{ fontSize: 13 }}>
        {[m.form, m.copies ? `${m.copies}份` : ''].filter(Boolean).join(' · ')} {!m.required && '· 如有则提供'}
        {m.deferrable && ' · 可容缺'}
      </div>
    </div>
  );
}

export type TimelineEntry = { key: string; at: string; action: string; label: string; who: string; note?: string | null; county?: boolean };

/** 办理经过: who did what when, coloured by kind (green done, red withdrawn/refused/差评, purple the county's). */
export function CaseTimeline({ entries, testId }: { entries: TimelineEntry[]; testId?: string }) {
  if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />;
  return (
    <Timeline
      data-testid={testId}
      style={{ marginTop: 8 }}
      items={entries.map((ev) => ({
        key: ev.key,
        color: ev.county ? 'purple' : /close|decide|deliver|archive/i.test(ev.action) ? 'green' : /withdraw|refus|poor|rectif/i.test(ev.action) ? 'red' : 'blue',
        children: (
          <div>
            <div style={{ fontWeight: 600 }}>{ev.label}</div>
            <div className="text-muted" style={{ fontSize: 13 }}>
              {dateTime(ev.at)} · {ev.who}
              {ev.county && ' · 县中心'}
            </div>
            {ev.note && <div style={{ fontSize: 14, whiteSpace: 'pre-wrap' }}>{ev.note}</div>}
          </div>
        ),
      }))}
    />
  );
}
