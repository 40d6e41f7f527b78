// 统一社会信用代码 (GB 32100-2015) for cooperatives, businesses and other organisations.
// 18 characters: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6 digits),
// 主体标识码 (9), check character (1). The letters I O Z S V are never used because they are
// easily confused with 1 0 2 5 U.

// Codes issued by some early pilot registries (before GB 32100-2015 was settled) fail the check
// character and are nonetheless real: the organisation's licence carries them. They can be
// entered only after the agent confirms the licence says so (`acceptPilotCode`); the result then
// says `failsCheckChar` so the register records the confirmation.

export type CreditCodeResult =
  | { ok: true; value: { code: string; failsCheckChar?: true } }
  /** `checkCharOnly`: everything but the check character is right, so a confirmation may accept it. */
  | { ok: false; error: string; checkCharOnly?: true };

export type CreditCodeOptions = {
  /** The agent confirmed the licence shows this code although its check character is wrong. */
  acceptPilotCode?: boolean;
};

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check character for the first 17 characters. Throws if `first17` is not 17 characters of the code's charset. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error('计算校验位需要统一社会信用代码的前17位');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i]);
    if (v < 0) throw new Error(`统一社会信用代码第 ${i + 1} 位“${first17[i]}”不是有效字符`);
    sum += v * WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c];
}

/** Parses and validates a credit code; accepts lower case, spaces and full-width characters typed by an IME. */
export function parseCreditCode(input: string, opts: CreditCodeOptions = {}): CreditCodeResult {
  if (typeof input !== 'string') return { ok: false, error: '请输入统一社会信用代码' };
  const s = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (s === '') return { ok: false, error: '请输入统一社会信用代码' };
  if (s.length !== 18) return { ok: false, error: `统一社会信用代码应为18位，您输入了 ${s.length} 位` };
  for (let i = 0; i < 18; i++) {
    const ch = s[i];
    if (CHARSET.includes(ch)) continue;
    if ('IOZSV'.includes(ch)) {
      return {
        ok: false,
        error: `统一社会信用代码第 ${i + 1} 位是字母“${ch}”，代码中不使用字母 I、O、Z、S、V，请核对是否为数字或其他字母`,
      };
    }
    return { ok: false, error: `统一社会信用代码第 ${i + 1} 位“${ch}”不是有效字符，只能是数字或大写字母` };
  }
  if (!/^\d{6}$/.test(s.slice(2, 8))) {
    return { ok: false, error: '统一社会信用代码第3至8位应为6位数字的行政区划代码' };
  }
  const expected = creditCodeCheckChar(s.slice(0, 17));
  if (expected !== s[17]) {
    // The pilot registries were market-regulation and civil-affairs offices: their codes start with
    // two digits (9x, 5x, 1x); a letter there plus a wrong check character is a typing mistake.
    const pilotPossible = /^\d\d/.test(s);
    if (!pilotPossible) return { ok: false, error: `统一社会信用代码校验位不正确：按 GB 32100 计算最后一位应为“${expected}”，这里是“${s[17]}”，请核对` };
    if (opts.acceptPilotCode) return { ok: true, value: { code: s, failsCheckChar: true } };
    return {
      ok: false,
      checkCharOnly: true,
      error:
        `统一社会信用代码校验位不正确：按 GB 32100 计算最后一位应为“${expected}”，这里是“${s[17]}”，请先核对是否抄错。` +
        '早期试点登记机关发放的少数代码确实不符合校验规则，如营业执照上的代码就是这样，请确认后按原样登记',
    };
  }
  return { ok: true, value: { code: s } };
}
