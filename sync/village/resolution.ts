// The county's answer to a conflict (console 冲突): which value of a contested case field stands.
// The village writes it through the change writer (history event + outbox entry, so the value goes
// back up with a newer clock and both sides end equal) and closes its own record of the conflict.
import type { Register } from '../../db/register';
import { CASE_STATUSES, type CaseStatus } from '../../domain/caseStatus';
import { AppError } from '../../domain/errors';
import { DECISIONS } from '../../domain/vocab';
import { CONTESTED_FIELDS } from '../wire/decisions';
import type { ResolutionBody } from '../wire/protocol';
import { FIELD_LABELS } from './state';

function shown(field: string, v: string | null): string {
  if (v === null || v === '') return '（空）';
  if (field === 'status') return CASE_STATUSES[v as CaseStatus] ?? v;
  if (field === 'decision') return DECISIONS[v as keyof typeof DECISIONS] ?? v;
  return v;
}

/** Applies one resolution inside the caller's transaction; returns the line for the sync summary. */
export function applyResolution(reg: Register, b: ResolutionBody): string {
  // Only the fields a county decision can contest: a signed message still never names another column.
  if (!CONTESTED_FIELDS.includes(b.field)) throw new AppError('invalid_input', `县里的冲突处理结果涉及不能修改的内容（${b.field}）`);
  const c = reg.db.prepare(`SELECT id, case_no, ${b.field} AS v FROM cases WHERE id = ?`).get(b.caseId) as { id: string; case_no: string; v: string | null } | undefined;
  if (!c) throw new AppError('not_found', `本机没有件号为 ${b.caseNo} 的代办件`);
  const label = FIELD_LABELS[b.field] ?? b.field;
  const whose = b.chose === 'county' ? '县中心' : '代办点';
  // Written even when the value is already here (a relayed copy of the county's row may have brought
  // it first): the history then still says the county settled it, and the value goes up with our clock.
  if (b.apply) {
    reg.writer.apply(
      {
        table: 'cases',
        id: c.id,
        op: 'update',
        fields: { [b.field]: b.value, updated_at: reg.nowIso() },
        action: 'case.conflictResolved',
        caseId: c.id,
        note: `县中心处理冲突：${label}采用${whose}的值“${shown(b.field, b.value)}”`,
        eventData: { field: b.field, from: c.v, to: b.value, chose: b.chose, conflictId: b.conflictId },
      },
      null,
    );
  }
  reg.db
    .prepare(`UPDATE sync_conflicts SET resolved_at = ?, resolved_note = ? WHERE entity = 'cases' AND entity_id = ? AND field = ? AND resolved_at IS NULL`)
    .run(reg.nowIso(), `县中心已处理：采用${whose}的值`, c.id, b.field);
  return `县中心处理了代办件 ${c.case_no} 的冲突：${label}采用${whose}的值“${shown(b.field, b.value)}”`;
}
