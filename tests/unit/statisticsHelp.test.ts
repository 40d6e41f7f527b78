// The help shown on every statistics figure comes from the one set of definitions in domain/statistics.ts.
import { describe, expect, it } from 'vitest';
import { emptyCounts, rateFormula, rateParts, RATE_FIGURES, whyNoRate, withRates } from '../../domain/statistics';

describe('statistics help texts', () => {
  it('writes each rate as its formula in the figures’ own names', () => {
    expect(rateFormula('completionRate')).toBe('办结率 = 应办已办结 ÷ 应办结');
    expect(rateFormula('satisfactionRate')).toBe('满意率 = 满意 ÷ 已评价');
    for (const r of RATE_FIGURES) expect(rateFormula(r)).toMatch(/^\S+率 = \S+ ÷ \S+$/);
  });

  it('says why 办结率 is “—” when one case was completed this period but none was due', () => {
    const c = { ...emptyCounts(), completed: 1, onTime: 1 };
    const f = withRates(c);
    expect(f.completionRate).toBeNull();
    expect(whyNoRate('completionRate', c)).toMatch(/^本期应办结为 0，办结率无从计算（应办结：承诺办结日期在统计期内的代办件/);
    expect(whyNoRate('onTimeRate', c)).toBeNull();
    expect(rateParts('onTimeRate', c)).toBe('按时办结 1 ÷ 办结 1');
  });
});
