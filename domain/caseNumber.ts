// Case numbers are made offline. The 12-digit village code makes them unique across the county
// without coordination; the date and a per-day sequence make them readable over the phone.
// Example: 150822101201-20261121-007.

const CASE_NO = /^(\d{12})-(\d{8})-(\d{3,})$/;

export function formatCaseNumber(villageCode: string, intakeDate: string, seq: number): string {
  if (!/^\d{12}$/.test(villageCode)) throw new Error('村级区划代码应为12位数字');
  if (!Number.isInteger(seq) || seq < 1) throw new Error('序号必须为正整数');
  return `${villageCode}-${intakeDate.replaceAll('-', '')}-${String(seq).padStart(3, '0')}`;
}

export function parseCaseNumber(s: string): { villageCode: string; date: string; seq: number } | null {
  const m = CASE_NO.exec(s.trim());
  if (!m) return null;
  const d = m[2];
  return { villageCode: m[1], date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`, seq: Number(m[3]) };
}

/** Looks like (part of) a case number: digits and dashes, long enough not to be a phone tail. */
export function looksLikeCaseNumber(q: string): boolean {
  return /^\d{6,12}-[\d-]*$/.test(q.trim()) || /^\d{12}-?\d{8}/.test(q.trim());
}
