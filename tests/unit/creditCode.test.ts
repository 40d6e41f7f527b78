import { readFileSync } from 'node:fs';
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
    expect(parseCreditCode('91350100M000100Y44')).toEqual({
      ok: false,
      checkCharOnly: true,
      error:
        '统一社会信用代码校验位不正确：按 GB 32100 计算最后一位应为“3”，这里是“4”，请先核对是否抄错。' +
        '早期试点登记机关发放的少数代码确实不符合校验规则，如营业执照上的代码就是这样，请确认后按原样登记',
    });
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

describe('codes from early pilot registries', () => {
  type Vector = { input: string; expect: 'valid' | 'invalid'; note?: string };
  const vectors = (JSON.parse(readFileSync(new URL('../fixtures/external/credit-code-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;
  const pilots = vectors.filter((v) => /pilot/i.test(v.note ?? ''));

  it('agrees with the peer libraries on every vector without a confirmation', () => {
    expect(vectors.length).toBeGreaterThan(400);
    for (const v of vectors) expect(parseCreditCode(v.input).ok, v.input).toBe(v.expect === 'valid');
  });

  it('accepts the real pilot codes only after a confirmation, and says so in the result', () => {
    expect(pilots.map((v) => v.input)).toEqual(['91350211M00013FA1N', '91350211M0000XUF46', '91350100M0001TGQXM', '91350203M0001FUE2P']);
    for (const { input } of pilots) {
      const plain = parseCreditCode(input);
      expect(plain.ok).toBe(false);
      expect(!plain.ok && plain.checkCharOnly, input).toBe(true);
      expect(!plain.ok && plain.error, input).toMatch(/^统一社会信用代码校验位不正确：按 GB 32100 计算最后一位应为“.”，这里是“.”/);
      expect(parseCreditCode(input, { acceptPilotCode: true })).toEqual({ ok: true, value: { code: input, failsCheckChar: true } });
    }
  });

  it('does not let a confirmation through anything but a wrong check character', () => {
    for (const bad of ['12345', '9111000060003IOZSV', 'A1110000600037341L', '91350211M00013FA1', '91ABCDEFM00013FA1N']) {
      const r = parseCreditCode(bad, { acceptPilotCode: true });
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.checkCharOnly, bad).toBeFalsy();
    }
    // A valid code stays plainly valid with the confirmation.
    expect(parseCreditCode('91350100M000100Y43', { acceptPilotCode: true })).toEqual({ ok: true, value: { code: '91350100M000100Y43' } });
  });
});
