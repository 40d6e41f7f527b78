// 即办率 (cases decided on the day of intake ÷ cases decided) is one of the shared definitions,
// so the village's screen, its prints and the county all show the same figure.
import { describe, expect, it } from 'vitest';
import { countCases, FIGURE_DEFS, formatRate, type StatCase } from '../../domain/statistics';

const base: StatCase = { status: 'decided', intakeDate: '2026-11-02', dueDate: '2026-11-10', decisionDate: '2026-11-02', withdrawnAt: null, hasReturnVisit: false, latestRating: null };

describe('即办率', () => {
  it('counts cases decided on their intake day against all cases decided in the period', () => {
    const p = { from: '2026-11-01', to: '2026-11-30', today: '2026-12-01' };
    const f = countCases(
      [
        base,
        { ...base, decisionDate: '2026-11-03' },
        { ...base, decisionDate: '2026-11-05' },
        { ...base, intakeDate: '2026-11-20', decisionDate: '2026-11-20' },
        { ...base, status: 'accepted', decisionDate: null },
      ],
      p,
    );
    expect(f.completed).toBe(4);
    expect(f.decidedSameDay).toBe(2);
    expect(formatRate(f.immediateRate)).toBe('50.0%');
    expect(FIGURE_DEFS.immediateRate.label).toBe('即办率');
  });

  it('is “—”, not 0%, when nothing was decided', () => {
    const f = countCases([{ ...base, status: 'accepted', decisionDate: null }], { from: '2026-11-01', to: '2026-11-30', today: '2026-12-01' });
    expect(formatRate(f.immediateRate)).toBe('—');
  });
});
