import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, parseCreditCode } from '../../domain/creditCode';

// Reference written from the GB 32100 description, independent of the module.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function refCheckChar(first17: string): string {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]) * weights[i];
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c];
}

describe('creditCodeCheckChar', () => {
  it('gives 3 for the known example 91350100M000100Y43', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('agrees with the reference, including the 31 → 0 case', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    let sawZero = false;
    for (let i = 0; i < 2000; i++) {
      const first17 = Array.from({ length: 17 }, () => CHARSET[rnd() % 31]).join('');
      const c = creditCodeCheckChar(first17);
      expect(c).toBe(refCheckChar(first17));
      if (c === '0') sawZero = true;
    }
    expect(sawZero).toBe(true);
  });

  it('throws on characters outside the charset', () => {
    expect(() => creditCodeCheckChar('91350100M000100I4')).toThrow();
    expect(() => creditCodeCheckChar('91350100M000100Y')).toThrow();
  });
});

describe('parseCreditCode', () => {
  it('accepts a valid code, normalising case and spaces', () => {
    expect(parseCreditCode('91350100M000100Y43')).toEqual({ ok: true, value: { code: '91350100M000100Y43' } });
    expect(parseCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, value: { code: '91350100M000100Y43' } });
    expect(parseCreditCode('９１３５０１００Ｍ０００１００Ｙ４３')).toEqual({ ok: true, value: { code: '91350100M000100Y43' } });
  });

  it('accepts a cooperative code built with the reference check character', () => {
    const first17 = '93150822MA0N1234X';
    const code = first17 + refCheckChar(first17);
    expect(parseCreditCode(code)).toEqual({ ok: true, value: { code } });
  });

  it('rejects a wrong check character with the exact message', () => {
    expect(parseCreditCode('91350100M000100Y44')).toEqual({ ok: false, error: '统一社会信用代码校验位不正确，请核对最后一位' });
  });

  it('rejects wrong length, forbidden letters and bad area code with distinct messages', () => {
    const short = parseCreditCode('91350100M000100Y4');
    const letterO = parseCreditCode('91350100M0O0100Y43');
    const symbol = parseCreditCode('91350100M000100Y4#');
    const area = parseCreditCode('9135A100M000100Y43');
    expect(!short.ok && short.error).toBe('统一社会信用代码应为18位，您输入了 17 位');
    expect(!letterO.ok && letterO.error).toContain('第 11 位是字母“O”');
    expect(!symbol.ok && symbol.error).toContain('第 18 位“#”不是有效字符');
    expect(!area.ok && area.error).toBe('统一社会信用代码第3至8位应为6位数字的行政区划代码');
    expect(parseCreditCode('')).toEqual({ ok: false, error: '请输入统一社会信用代码' });
  });
});
