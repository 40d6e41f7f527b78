// Contact phone numbers, one rule for every phone field in the register:
//   - mobiles: 11 digits starting with 1;
//   - landlines with an area code (区号) and an optional extension (分机), still common in village
//     offices and older households: 0478-8412345, 0478 8412345 转 801;
//   - short government service numbers (政务服务便民热线 12345, 12315, 12348 … and 110/119/120/122),
//     accepted only where a field asks for them (a point's 咨询电话/投诉电话), never as a person's phone.
// Stored normalised ("13904781234", "0478-8412345", "0478-8412345-801", "12345"),
// shown grouped by formatPhone ("139 0478 1234", "0478-8412345 转 801").

import { AppError } from './errors';

export type PhoneKind = 'mobile' | 'landline' | 'service';

export type PhoneResult =
  | { ok: true; value: { phone: string; kind: PhoneKind } }
  | { ok: false; error: string };

export type PhoneOptions = {
  /** Accept the short government service numbers (12345, 110 …): a point's hotline fields, not a person's phone. */
  allowService?: boolean;
};

const LANDLINE_EXAMPLE = '例如 0476-1234567';

// 123XY are the public-service numbers the MIIT numbering plan reserves for government hotlines
// (12345 政务服务便民热线, 12315 市场监管, 12348 法律服务, 12333 人社 …); the 3-digit ones are
// the emergency numbers. Nothing else this short is a reachable number in mainland China.
const SERVICE_RE = /^(?:123\d\d|110|119|120|122)$/;

// Only 010 and 020–029 are 3-digit area codes; every other code is 4 digits. That is what makes
// an unseparated number like 04761234567 unambiguous.
function areaCodeLength(digits: string): 3 | 4 {
  return digits[1] === '1' || digits[1] === '2' ? 3 : 4;
}

function isValidAreaCode(code: string): boolean {
  if (code.length === 3) return /^0(10|2\d)$/.test(code);
  return code.length === 4 && /^0[3-9]\d\d$/.test(code);
}

// A local number never starts with 0: that is the trunk prefix, so a leading 0 means a doubled area code.
const LOCAL_RE = /^[1-9]\d{6,7}$/;

function landline(area: string, local: string, ext: string): PhoneResult {
  if (!isValidAreaCode(area)) {
    return { ok: false, error: `区号“${area}”不正确，区号为0开头的3到4位数字，${LANDLINE_EXAMPLE}` };
  }
  if (!LOCAL_RE.test(local)) {
    return { ok: false, error: `固定电话号码应为区号加7到8位号码，${LANDLINE_EXAMPLE}` };
  }
  return { ok: true, value: { phone: ext ? `${area}-${local}-${ext}` : `${area}-${local}`, kind: 'landline' } };
}

/** A landline without extension, `s` already cleaned (digits, spaces, dashes, brackets). */
function parseLandline(s: string, ext: string): PhoneResult {
  const digits = s.replace(/\D/g, '');
  // When the user separated the area code, trust where they put the break; otherwise infer it.
  const bracketed = /^\((\d+)\)[\s-]*([\d\s-]+)$/.exec(s);
  const separated = /^(\d+)[\s-]+(\d[\d\s-]*)$/.exec(s);
  const parts = bracketed ?? separated;
  if (parts && parts[1].startsWith('0')) return landline(parts[1], parts[2].replace(/\D/g, ''), ext);
  const n = areaCodeLength(digits);
  return landline(digits.slice(0, n), digits.slice(n), ext);
}

// An extension written out: "转 801", "分机801", "ext. 801", "x801", "#801".
const EXT_MARKER_RE = /^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i;
// Or as a third dash group: "0478-8412345-801" (only when what precedes it is a whole landline).
const EXT_DASH_RE = /^(.*\d)\s*-\s*(\d{1,6})$/;

/**
 * Parses a phone number typed by a user. Spaces, dashes and brackets (also full-width ones from a
 * Chinese IME) are accepted and normalised away; a +86 / 0086 prefix on a mobile is dropped.
 * Mobiles come back as 11 digits, landlines as "区号-号码" or "区号-号码-分机", service numbers
 * (only with `allowService`) as their digits.
 */
export function parsePhone(input: string, opts: PhoneOptions = {}): PhoneResult {
  if (typeof input !== 'string') return { ok: false, error: '请输入联系电话' };
  let s = input
    .normalize('NFKC')
    // Dash look-alikes that IMEs produce and NFKC leaves alone.
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .trim();
  if (s === '') return { ok: false, error: '请输入联系电话' };

  const marked = EXT_MARKER_RE.exec(s);
  if (marked) {
    const main = marked[1].trim();
    if (!/^[\d\s\-()]+$/.test(main) || !main.replace(/\D/g, '').startsWith('0')) {
      return { ok: false, error: `分机号只能跟在带区号的固定电话后面，例如 0478-8412345 转 801` };
    }
    return parseLandline(main, marked[2]);
  }

  if (!/^\+?[\d\s\-()]+$/.test(s)) {
    return { ok: false, error: '电话号码只能包含数字，可以用空格、短横线或括号分隔' };
  }
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('+')) {
    if (!digits.startsWith('86')) return { ok: false, error: '只支持中国大陆的电话号码（+86）' };
    digits = digits.slice(2);
    s = digits;
  } else if (digits.startsWith('0086')) {
    digits = digits.slice(4);
    s = digits;
  } else if (digits.length === 13 && digits.startsWith('861')) {
    digits = digits.slice(2);
  }

  if (SERVICE_RE.test(digits)) {
    if (opts.allowService) return { ok: true, value: { phone: digits, kind: 'service' } };
    return { ok: false, error: `${digits} 是政务服务热线或紧急求助等特服号码，这里请填写本人的手机或带区号的固定电话` };
  }

  if (digits.startsWith('1')) {
    if (digits.length !== 11) {
      const hint = opts.allowService ? '；政务服务热线等特服号码为 12345、12315 这样的5位号码' : '';
      return { ok: false, error: `手机号码应为11位数字，您输入了 ${digits.length} 位${hint}` };
    }
    return { ok: true, value: { phone: digits, kind: 'mobile' } };
  }

  if (digits.startsWith('0')) {
    const dashed = EXT_DASH_RE.exec(s);
    if (dashed) {
      const withExt = parseLandline(dashed[1], dashed[2]);
      if (withExt.ok) return withExt;
    }
    return parseLandline(s, '');
  }

  if (digits.length === 7 || digits.length === 8) {
    return { ok: false, error: `固定电话请加上区号，${LANDLINE_EXAMPLE}` };
  }
  return { ok: false, error: `电话号码格式不正确：手机号码为11位，固定电话为区号加号码，${LANDLINE_EXAMPLE}` };
}

/**
 * How a stored (or typed) phone is shown: mobiles in 3-4-4 groups ("139 0478 1234"), landlines as
 * "0478-8412345" with "转 801" for an extension, service numbers as they are. A value that does
 * not parse is shown as stored (trimmed) rather than hidden: it is the agent's own data to fix.
 */
export function formatPhone(value: string): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (!s) return '';
  const p = parsePhone(s, { allowService: true });
  if (!p.ok) return s;
  const v = p.value.phone;
  if (p.value.kind === 'mobile') return `${v.slice(0, 3)} ${v.slice(3, 7)} ${v.slice(7)}`;
  if (p.value.kind === 'landline') {
    const [area, local, ext] = v.split('-');
    return ext ? `${area}-${local} 转 ${ext}` : `${area}-${local}`;
  }
  return v;
}

/**
 * The value to store for an optional phone field: '' when left empty, else the normalised number.
 * Throws AppError('invalid_input') naming the field, so a form or CLI can say which phone is wrong.
 */
export function normalisePhoneField(value: string | undefined | null, label: string, opts: PhoneOptions = {}): string {
  if (value === undefined || value === null || value.trim() === '') return '';
  const p = parsePhone(value, opts);
  if (!p.ok) throw new AppError('invalid_input', `${label}不正确：${p.error}`);
  return p.value.phone;
}
