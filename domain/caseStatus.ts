// The one definition of a case's life cycle. Every status change in the app, the CLI and
// the county goes through `nextStatus`, so a transition refused here is refused everywhere.

export const CASE_STATUSES = {
  accepted: '已受理',
  handedUp: '已报送',
  returned: '退回补正',
  decided: '已办结',
  delivered: '已送达',
  archived: '已归档',
  withdrawn: '已撤回',
  refusedIntake: '不予受理',
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;

export const CASE_ACTIONS = {
  handUp: '报送',
  returnForCorrection: '退回补正',
  resubmit: '补正后重新报送',
  decide: '办结',
  deliver: '送达',
  archive: '归档',
  withdraw: '撤回',
} as const;
export type CaseAction = keyof typeof CASE_ACTIONS;

const TRANSITIONS: Record<CaseAction, { from: readonly CaseStatus[]; to: CaseStatus }> = {
  handUp: { from: ['accepted'], to: 'handedUp' },
  returnForCorrection: { from: ['handedUp'], to: 'returned' },
  resubmit: { from: ['returned'], to: 'handedUp' },
  // 领办 cases are decided without a hand-up by the agent, so accepted → decided is allowed.
  decide: { from: ['accepted', 'handedUp'], to: 'decided' },
  deliver: { from: ['decided'], to: 'delivered' },
  archive: { from: ['delivered'], to: 'archived' },
  withdraw: { from: ['accepted', 'handedUp', 'returned'], to: 'withdrawn' },
};

export type TransitionResult = { ok: true; to: CaseStatus } | { ok: false; error: string };

export function nextStatus(from: CaseStatus, action: CaseAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule) return { ok: false, error: `未知的操作：${String(action)}` };
  if (!rule.from.includes(from)) {
    return {
      ok: false,
      error: `当前状态为“${CASE_STATUSES[from]}”，不能执行“${CASE_ACTIONS[action]}”`,
    };
  }
  return { ok: true, to: rule.to };
}

export function allowedActions(from: CaseStatus): CaseAction[] {
  return (Object.keys(TRANSITIONS) as CaseAction[]).filter((a) => TRANSITIONS[a].from.includes(from));
}

/** Open = the clock is still running for the point (not yet decided, withdrawn or refused). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['accepted', 'handedUp', 'returned'];
/** 办结: a decision exists. Delivered and archived cases were decided first. */
export const COMPLETED_STATUSES: readonly CaseStatus[] = ['decided', 'delivered', 'archived'];

/** Closed files: nothing more is done on them, so the daily (今日) lists never show them. */
export const CLOSED_STATUSES: readonly CaseStatus[] = ['archived', 'withdrawn', 'refusedIntake'];

export function isOpen(s: CaseStatus): boolean {
  return OPEN_STATUSES.includes(s);
}
export function isCompleted(s: CaseStatus): boolean {
  return COMPLETED_STATUSES.includes(s);
}
