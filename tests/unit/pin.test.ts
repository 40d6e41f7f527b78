import { describe, expect, it } from 'vitest';
import { pinProblem } from '../../domain/pin';

describe('PIN rule', () => {
  it('refuses short, non-digit, repeated and plain-run PINs with a reason', () => {
    expect(pinProblem('12345')).toMatch(/至少需要 6 位/);
    expect(pinProblem('12a456')).toMatch(/只能由数字/);
    for (const p of ['111111', '000000', '99999999']) expect(pinProblem(p)).toMatch(/同一个数字/);
    for (const p of ['123456', '654321', '345678', '890123', '3210987']) expect(pinProblem(p)).toMatch(/连续的数字/);
  });
  it('accepts ordinary six-digit PINs', () => {
    for (const p of ['135246', '246135', '802113', '120119']) expect(pinProblem(p)).toBeNull();
  });
});
