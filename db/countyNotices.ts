// 督办 notices and 考评预警 the county sent down (sync/village/reply.ts stores them), and the
// agent's answer: a register record (supervision_answers) written through the ChangeWriter, so it
// goes up to the county with the next sync. A notice stays on 今日 until it is answered.
import type { Register } from './register';
import { AppError } from '../domain/errors';
import { uuidv7 } from '../domain/ids';
import type { CountyNotice } from '../domain/records';

export function openNotices(reg: Register, limit: number): { count: number; rows: CountyNotice[] } {
  const where = `FROM county_notices n WHERE NOT EXISTS (SELECT 1 FROM supervision_answers s WHERE s.notice_id = n.id)`;
  const count = (reg.db.prepare(`SELECT COUNT(*) AS n ${where}`).get() as { n: number }).n;
  const today = reg.today();
  const rows = (
    reg.db.prepare(`SELECT n.* ${where} ORDER BY COALESCE(n.reply_by, '9999'), n.received_at LIMIT ?`).all(limit) as {
      id: string;
      kind: 'supervision' | 'warning';
      case_id: string | null;
      case_no: string;
      note: string;
      reply_by: string | null;
      month: string | null;
      received_at: string;
    }[]
  ).map((r) => ({
    id: r.id,
    kind: r.kind,
    caseId: r.case_id,
    caseNo: r.case_no,
    note: r.note,
    replyBy: r.reply_by,
    month: r.month,
    receivedAt: r.received_at,
    late: !!r.reply_by && r.reply_by < today,
  }));
  return { count, rows };
}

/** Records the agent's answer to a notice (once); it syncs up to the county. */
export function answerNotice(reg: Register, noticeId: string, answer: string, agentId: string): void {
  const n = reg.db.prepare(`SELECT id, kind, case_id FROM county_notices WHERE id = ?`).get(noticeId) as { id: string; kind: string; case_id: string | null } | undefined;
  if (!n) throw new AppError('not_found', '没有这条县级通知');
  if (reg.db.prepare(`SELECT 1 FROM supervision_answers WHERE notice_id = ?`).get(noticeId)) throw new AppError('conflict', '这条通知已经答复过');
  const text = answer.trim();
  if (!text) throw new AppError('invalid_input', n.kind === 'warning' ? '请填写整改打算' : '请填写答复内容（办理进展、原因、预计办结时间）');
  const now = reg.nowIso();
  reg.tx(() =>
    reg.writer.apply(
    {
      table: 'supervision_answers',
      id: uuidv7(reg.clock.nowMs()),
      op: 'insert',
      fields: { notice_id: noticeId, case_id: n.case_id, answer: text, answered_at: now, agent_id: agentId, created_at: now, created_by: agentId },
      action: n.kind === 'warning' ? 'warning.answer' : 'supervision.answer',
      caseId: n.case_id,
    },
    agentId,
    ),
  );
}
