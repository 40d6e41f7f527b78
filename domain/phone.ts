// Contact phone numbers as villagers give them: mobiles (11 digits starting with 1) and landlines
// with an area code (区号), which are still common in village offices and older households.

export type PhoneKind = 'mobile' | 'landline';

export type PhoneResult =
  | { ok: true; value: { phone: string; kind: PhoneKind } }
  | { ok: false; error: string };

const LANDLINE_EXAMPLE = '例如 0476-1234567';

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

function landline(area: string, local: string): PhoneResult {
  if (!isValidAreaCode(area)) {
    return { ok: false, error: `区号“${area}”不正确，区号为0开头的3到4位数字，${LANDLINE_EXAMPLE}` };
  }
  if (!LOCAL_RE.test(local)) {
    return { ok: false, error: `固定电话号码应为区号加7到8位号码，${LANDLINE_EXAMPLE}` };
  }
  return { ok: true, value: { phone: `${area}-${local}`, kind: 'landline' } };
}

/**
 * Parses a phone number typed by a user. Spaces, dashes and brackets (also full-width ones from a
 * Chinese IME) are accepted and normalised away; a +86 / 0086 prefix on a mobile is dropped.
 * Mobiles come back as 11 digits, landlines as "区号-号码" (e.g. "0476-1234567").
 */
export function parsePhone(input: string): PhoneResult {
  if (typeof input !== 'string') return { ok: false, error: '请输入联系电话' };
  const s = input
    .normalize('NFKC')
    // Dash look-alikes that IMEs produce and NFKC leaves alone.
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .trim();
  if (s === '') return { ok: false, error: '请输入联系电话' };
  if (!/^\+?[\d\s\-()]+$/.test(s)) {
    return { ok: false, error: '电话号码只能包含数字，可以用空格、短横线或括号分隔' };
  }
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('+')) {
    if (!digits.startsWith('86')) return { ok: false, error: '只支持中国大陆的电话号码（+86）' };
    digits = digits.slice(2);
  } else if (digits.startsWith('0086')) {
    digits = digits.slice(4);
  } else if (digits.length === 13 && digits.startsWith('861')) {
    digits = digits.slice(2);
  }

  if (digits.startsWith('1')) {
    if (digits.length !== 11) return { ok: false, error: `手机号码应为11位数字，您输入了 ${digits.length} 位` };
    return { ok: true, value: { phone: digits, kind: 'mobile' } };
  }

  if (digits.startsWith('0')) {
    // When the user separated the area code, trust where they put the break; otherwise infer it.
    const bracketed = /^\((\d+)\)[\s-]*([\d\s-]+)$/.exec(s);
    const separated = /^(\d+)[\s-]+(\d[\d\s-]*)$/.exec(s);
    const parts = bracketed ?? separated;
    if (parts && parts[1].startsWith('0')) return landline(parts[1], parts[2].replace(/\D/g, ''));
    const n = areaCodeLength(digits);
    return landline(digits.slice(0, n), digits.slice(n));
  }

  if (digits.length === 7 || digits.length === 8) {
    return { ok: false, error: `固定电话请加上区号，${LANDLINE_EXAMPLE}` };
  }
  return { ok: false, error: `电话号码格式不正确：手机号码为11位，固定电话为区号加号码，${LANDLINE_EXAMPLE}` };
}
