import { describe, expect, it } from 'vitest';
import {
  BACKFILL_WINDOW_DAYS,
  backfillNeedsConfirmation,
  checkPromisedDate,
  checkRecordDate,
  checkStepDate,
  earliestRecordDate,
} from '../../domain/dateBounds';
import { archiveBlocker } from '../../domain/archiveRule';

const ctx = { today: '2026-11-30', pointSince: '2026-03-01' };
const err = (c: ReturnType<typeof checkRecordDate>) => (c.ok ? '' : c.error);

describe('date bounds: 受理 and 来访 dates', () => {
  it('refuses 1900-01-01 and says it is before the point existed', () => {
    const c = checkRecordDate('受理日期', '1900-01-01', ctx);
    expect(c.ok).toBe(false);
    expect(err(c)).toContain('2026-03-01 开始使用台账');
    expect(err(c)).toContain('2025-03-01');
    expect(err(checkRecordDate('来访日期', '1950-01-01', ctx))).toMatch(/^来访日期 1950-01-01 太早/);
  });

  it('refuses a future date, saying it has not happened yet', () => {
    expect(err(checkRecordDate('来访日期', '2026-12-01', ctx))).toContain('晚于今天（2026-11-30）');
  });

  it('accepts today and a 补录 within the window; beyond it asks for an explicit confirmation', () => {
    expect(checkRecordDate('受理日期', '2026-11-30', ctx).ok).toBe(true);
    expect(checkRecordDate('受理日期', '2026-10-31', ctx).ok).toBe(true); // 30 days back
    const far = checkRecordDate('受理日期', '2026-10-30', ctx);
    expect(far).toMatchObject({ ok: false, needsConfirmation: true });
    expect(err(far)).toContain(`超过补录期限（${BACKFILL_WINDOW_DAYS} 天）`);
    expect(checkRecordDate('受理日期', '2026-10-30', { ...ctx, backfillConfirmed: true }).ok).toBe(true);
    // A confirmation never lets a date before the floor through.
    expect(checkRecordDate('受理日期', '2025-02-28', { ...ctx, backfillConfirmed: true }).ok).toBe(false);
    expect(checkRecordDate('受理日期', '2025-03-01', { ...ctx, backfillConfirmed: true }).ok).toBe(true);
    expect(backfillNeedsConfirmation('2026-10-30', ctx.today)).toBe(true);
    expect(backfillNeedsConfirmation('2026-10-31', ctx.today)).toBe(false);
  });

  it('falls back to 2000-01-01 when the setup date is unknown', () => {
    expect(earliestRecordDate(null)).toBe('2000-01-01');
    expect(err(checkRecordDate('受理日期', '1999-12-31', { today: '2026-11-30', pointSince: null }))).toContain('2000-01-01');
  });
});

describe('date bounds: later steps and promises', () => {
  it('a step is never in the future nor before the step it follows', () => {
    expect(checkStepDate('办结日期', '2026-11-30', '2026-11-30', [{ label: '受理日期', date: '2026-11-01' }]).ok).toBe(true);
    const early = checkStepDate('送达日期', '2026-11-05', '2026-11-30', [{ label: '办结日期', date: '2026-11-10' }]);
    expect(early.ok ? '' : early.error).toBe('送达日期 2026-11-05 早于办结日期（2026-11-10），请核对日期');
    expect(checkStepDate('回访日期', '2027-01-01', '2026-11-30', []).ok).toBe(false);
    expect(checkStepDate('办结日期', '2027-01-01', null, []).ok).toBe(true);
  });

  it('a past 承诺补交日期 is refused with the reason, not blanked', () => {
    const c = checkPromisedDate('2026-11-29', { today: '2026-11-30', intakeDate: '2026-11-30', materialName: '户口簿' });
    expect(c.ok ? '' : c.error).toContain('“户口簿”的承诺补交日期 2026-11-29 已经过去');
    expect(checkPromisedDate(null, { today: '2026-11-30', intakeDate: '2026-11-30', materialName: '户口簿' }).ok).toBe(false);
    expect(checkPromisedDate('2026-11-30', { today: '2026-11-30', intakeDate: '2026-11-30', materialName: '户口簿' }).ok).toBe(true);
    expect(checkPromisedDate('2062-01-01', { today: '2026-11-30', intakeDate: '2026-11-30', materialName: '户口簿' }).ok).toBe(false);
    // 补录 from paper: the promise may be past, but not before the 受理日期.
    const back = { today: '2026-11-30', intakeDate: '2026-11-10', materialName: '户口簿', backfillIntake: true };
    expect(checkPromisedDate('2026-11-20', back).ok).toBe(true);
    expect(checkPromisedDate('2026-11-09', back).ok).toBe(false);
  });
});

describe('archive rule', () => {
  it('names the owed material and the open rectification', () => {
    expect(archiveBlocker({ owedMaterials: [], openRectifications: [] })).toBeNull();
    const m = archiveBlocker({ owedMaterials: [{ name: '户口簿', promisedDate: '2026-12-01' }], openRectifications: [{ dueDate: '2026-12-20' }] });
    expect(m).toContain('“户口簿”（承诺 2026-12-01 前补交）还没有补交');
    expect(m).toContain('差评整改还没有完成（限 2026-12-20 前）');
  });
});
