// 居民身份证号码 (GB 11643-1999).
// 18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd = male),
// 1 check character (ISO 7064 MOD 11-2). Old 15-digit numbers (1984–1999 cards, still on old
// paper) have a 2-digit year that always means 19xx and no check character.

export type ResidentId = {
  id18: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
  addressCode: string;
  upgradedFrom15: boolean;
};

export type ResidentIdResult = { ok: true; value: ResidentId } | { ok: false; error: string };

export type ResidentIdOptions = {
  /** 'YYYY-MM-DD' in China; injectable so tests and 补录 of old records are deterministic. Defaults to today in UTC+8. */
  today?: string;
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const MIN_BIRTH_YEAR = 1900;

/** Check character for the first 17 digits of an 18-digit number. Throws if `first17` is not 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('计算校验位需要身份证号码的前17位数字');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function chinaToday(): string {
  // China has one time zone and no daylight saving, so UTC+8 is exact whatever the laptop's TZ.
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Error message for an impossible birth date, or null when the date is plausible. */
function birthDateProblem(yyyymmdd: string, today: string): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < MIN_BIRTH_YEAR) return `身份证号码中的出生年份 ${y} 早于 ${MIN_BIRTH_YEAR} 年，请核对第7至10位`;
  if (m < 1 || m > 12) return `身份证号码中的出生月份“${yyyymmdd.slice(4, 6)}”不存在，请核对第11至12位`;
  if (d < 1 || d > daysInMonth(y, m)) {
    const leapNote = m === 2 && d === 29 ? `（${y} 年不是闰年）` : '';
    return `身份证号码中的出生日期 ${y}年${m}月${d}日 不存在${leapNote}，请核对第13至14位`;
  }
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (iso > today) return `身份证号码中的出生日期 ${y}年${m}月${d}日 晚于今天，请核对第7至14位`;
  return null;
}

/**
 * Parses and validates a resident ID number. Accepts full-width characters and spaces typed by an
 * input method, lower-case x, and 15-digit legacy numbers (upgraded to 18 digits).
 */
export function parseResidentId(input: string, options: ResidentIdOptions = {}): ResidentIdResult {
  if (typeof input !== 'string') return { ok: false, error: '请输入身份证号码' };
  // NFKC folds full-width digits and Ｘ typed with a Chinese IME into ASCII.
  const s = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (s === '') return { ok: false, error: '请输入身份证号码' };
  if (s.length !== 18 && s.length !== 15) {
    return { ok: false, error: `身份证号码应为18位（旧证为15位），您输入了 ${s.length} 位` };
  }
  const today = options.today ?? chinaToday();

  if (s.length === 15) {
    if (!/^\d{15}$/.test(s)) return { ok: false, error: '15位旧身份证号码必须全部是数字' };
    const birth = `19${s.slice(6, 12)}`;
    const problem = birthDateProblem(birth, today);
    if (problem) return { ok: false, error: problem };
    const first17 = `${s.slice(0, 6)}${birth}${s.slice(12, 15)}`;
    return { ok: true, value: build(first17 + residentIdCheckChar(first17), true) };
  }

  if (!/^\d{17}[\dX]$/.test(s)) {
    return { ok: false, error: '身份证号码前17位必须是数字，最后一位是数字或字母X' };
  }
  // The date is checked before the check character: when both are wrong the date message points
  // at the mistyped digits, while a checksum message only says "something is wrong".
  const problem = birthDateProblem(s.slice(6, 14), today);
  if (problem) return { ok: false, error: problem };
  if (residentIdCheckChar(s.slice(0, 17)) !== s[17]) {
    return { ok: false, error: '身份证号码校验位不正确，请核对最后一位' };
  }
  return { ok: true, value: build(s, false) };
}

function build(id18: string, upgradedFrom15: boolean): ResidentId {
  return {
    id18,
    birthDate: `${id18.slice(6, 10)}-${id18.slice(10, 12)}-${id18.slice(12, 14)}`,
    sex: Number(id18[16]) % 2 === 1 ? 'male' : 'female',
    addressCode: id18.slice(0, 6),
    upgradedFrom15,
  };
}
