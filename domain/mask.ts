// Masked display of personal numbers (身份证号码, phone) and credit codes wherever the full value is
// not needed. Anything that does not look like the expected number is fully starred: a half-typed
// or garbled value must never leak in the clear just because it failed to parse.

import { parsePhone } from './phone';

// Cap on the stars shown for an unrecognised value, so a long paste does not stretch a table cell.
const MAX_STARS = 18;

function allStars(s: string): string {
  return '*'.repeat(Math.min(s.length, MAX_STARS));
}

/** 18 digits: first 6 + 8 stars + last 4 ("110105********002X"); 15 digits: first 6 + 6 stars + last 3. */
export function maskIdNumber(value: string): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (s.length === 18) return `${s.slice(0, 6)}********${s.slice(14)}`;
  if (s.length === 15) return `${s.slice(0, 6)}******${s.slice(12)}`;
  return allStars(s);
}

/**
 * Mobile: "138****5678"; landline: area code kept, local number starred except its last 2 digits
 * ("0476-*****67", an extension shown as "… 转 801": it identifies the office desk, not the person).
 */
export function maskPhone(value: string): string {
  const s = typeof value === 'string' ? value.trim() : '';
  const parsed = parsePhone(s);
  if (!parsed.ok) return allStars(s.replace(/\D/g, ''));
  const p = parsed.value.phone;
  if (parsed.value.kind === 'mobile') return `${p.slice(0, 3)}****${p.slice(7)}`;
  const [area, local, ext] = p.split('-');
  return `${area}-${'*'.repeat(local.length - 2)}${local.slice(-2)}${ext ? ` 转 ${ext}` : ''}`;
}

/** 18 characters: first 4 + 10 stars + last 4. */
export function maskCreditCode(value: string): string {
  const s = typeof value === 'string' ? value.trim() : '';
  if (s.length === 18) return `${s.slice(0, 4)}**********${s.slice(14)}`;
  return allStars(s);
}
