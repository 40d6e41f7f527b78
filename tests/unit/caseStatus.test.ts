import { describe, expect, it } from 'vitest';
import { allowedActions, nextStatus } from '../../domain/caseStatus';

describe('case status transitions', () => {
  it('allows the normal path intake → hand-up → decision → delivery → archive', () => {
    expect(nextStatus('accepted', 'handUp')).toEqual({ ok: true, to: 'handedUp' });
    expect(nextStatus('handedUp', 'decide')).toEqual({ ok: true, to: 'decided' });
    expect(nextStatus('decided', 'deliver')).toEqual({ ok: true, to: 'delivered' });
    expect(nextStatus('delivered', 'archive')).toEqual({ ok: true, to: 'archived' });
  });
  it('allows 退回补正 and resubmission, and a 领办 case to be decided without hand-up', () => {
    expect(nextStatus('handedUp', 'returnForCorrection')).toEqual({ ok: true, to: 'returned' });
    expect(nextStatus('returned', 'resubmit')).toEqual({ ok: true, to: 'handedUp' });
    expect(nextStatus('accepted', 'decide')).toEqual({ ok: true, to: 'decided' });
  });
  it('refuses impossible moves with a message naming the status and the action', () => {
    const r = nextStatus('accepted', 'deliver');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('当前状态为“已受理”，不能执行“送达”');
    expect(nextStatus('decided', 'withdraw').ok).toBe(false);
    expect(nextStatus('refusedIntake', 'handUp').ok).toBe(false);
    expect(nextStatus('withdrawn', 'resubmit').ok).toBe(false);
  });
  it('lists exactly the actions allowed from each status', () => {
    expect(allowedActions('accepted')).toEqual(['handUp', 'decide', 'withdraw']);
    expect(allowedActions('returned')).toEqual(['resubmit', 'withdraw']);
    expect(allowedActions('archived')).toEqual([]);
    expect(allowedActions('refusedIntake')).toEqual([]);
  });
});
