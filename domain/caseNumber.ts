// Case numbers are made offline, by any of a point's laptops, without asking anyone. The 12-digit
// village code makes them unique across the county; the device letter makes them unique across the
// laptops of one point; the date and a per-day sequence make them readable over the phone.
//   150822101201-20261121-007    a point's first laptop (and every number made before letters existed)
//   150822101201-20261121-B007   the point's second laptop, or a laptop restored from a backup
//   150822101201-20261121-A007   a register restored from a backup, until it has enrolled again
// The county hands out the letter once, with the enrolment ticket (county/enrol.ts); letters that
// read alike (I/1, L, O/0) are never used, and after Z come two letters (BB, BC, …). 'A' is never
// handed out: a restored register cannot know which numbers the old register gave after the backup,
// so until it re-enrols (and gets a letter of its own) it numbers with 'A'.

const CASE_NO = /^(\d{12})-(\d{8})-([A-Z]{0,2})(\d{3,})$/;

/** Device letters in the order the county hands them out: the first device of a point gets ''. */
export const DEVICE_LETTERS = 'BCDEFGHJKMNPQRSTUVWXYZ';

/** The n-th letter after the first device (0 → '', 1 → 'B', 22 → 'Z', 23 → 'BB', …). */
export function deviceLetter(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error('设备序号必须为非负整数');
  if (n === 0) return '';
  const k = n - 1;
  const L = DEVICE_LETTERS.length;
  if (k < L) return DEVICE_LETTERS[k];
  const j = k - L;
  if (j >= L * L) throw new Error('一个代办点的设备过多');
  return DEVICE_LETTERS[Math.floor(j / L)] + DEVICE_LETTERS[j % L];
}

/** Numbers a restored register gives until it has enrolled again. */
export const RESTORED_LETTER = 'A';

export function isDeviceLetter(s: string): boolean {
  return s === RESTORED_LETTER || (/^[A-Z]{0,2}$/.test(s) && [...s].every((ch) => DEVICE_LETTERS.includes(ch)));
}

export function formatCaseNumber(villageCode: string, intakeDate: string, seq: number, letter = ''): string {
  if (!/^\d{12}$/.test(villageCode)) throw new Error('村级区划代码应为12位数字');
  if (!Number.isInteger(seq) || seq < 1) throw new Error('序号必须为正整数');
  if (!isDeviceLetter(letter)) throw new Error('设备字母不正确');
  return `${villageCode}-${intakeDate.replaceAll('-', '')}-${letter}${String(seq).padStart(3, '0')}`;
}

export function parseCaseNumber(s: string): { villageCode: string; date: string; letter: string; seq: number } | null {
  const m = CASE_NO.exec(s.trim().toUpperCase());
  if (!m) return null;
  const d = m[2];
  return { villageCode: m[1], date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`, letter: m[3], seq: Number(m[4]) };
}

/** Looks like (part of) a case number: digits and dashes (and a device letter), long enough not to be a phone tail. */
export function looksLikeCaseNumber(q: string): boolean {
  return /^\d{6,12}-[\d-]*[A-Za-z]{0,2}\d*$/.test(q.trim()) || /^\d{12}-?\d{8}/.test(q.trim());
}
