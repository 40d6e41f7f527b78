import type { Register } from './register';
import { parseCreditCode } from '../domain/creditCode';

/**
 * True when `creditCode` is stored only because the agent confirmed it (domain/creditCode.ts:
 * a real code from an early pilot registry that fails the GB 32100 check character).
 */
export function isConfirmedPilotCode(creditCode: string | null | undefined): boolean {
  if (!creditCode) return false;
  const plain = parseCreditCode(creditCode);
  return !plain.ok && plain.checkCharOnly === true;
}

/**
 * Inside a transaction: the history event (synced like any other) that says the agent confirmed a
 * credit code failing the check character against the licence, so an auditor can see who and when.
 */
export function recordPilotCreditCode(reg: Register, applicantId: string, agentId: string, caseId: string | null): void {
  const now = reg.nowIso();
  reg.writer.apply(
    {
      table: 'applicants',
      id: applicantId,
      op: 'update',
      fields: { updated_at: now, updated_by: agentId },
      action: 'applicant.creditCodeConfirmed',
      caseId,
      note: '统一社会信用代码不符合 GB 32100 校验规则，代办员已核对营业执照（早期试点登记机关发放的代码），按原样登记',
    },
    agentId,
  );
}
