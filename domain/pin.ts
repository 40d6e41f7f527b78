// The PIN rule, in one place for setup, new agents, PIN changes and the CLI. A PIN guards the
// register's data key (db/keyring.ts), so the trivial ones a passer-by would try first are refused.
export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;

/** null when the PIN is acceptable, otherwise the reason in plain Chinese. */
export function pinProblem(pin: string): string | null {
  if (!/^\d+$/.test(pin)) return 'PIN 只能由数字组成';
  if (pin.length < PIN_MIN_DIGITS) return `PIN 至少需要 ${PIN_MIN_DIGITS} 位数字`;
  if (pin.length > PIN_MAX_DIGITS) return `PIN 最多 ${PIN_MAX_DIGITS} 位数字`;
  if (/^(\d)\1+$/.test(pin)) return 'PIN 不能全是同一个数字（如 111111），容易被猜到';
  const d = [...pin].map(Number);
  const steps = new Set(d.slice(1).map((x, i) => (x - d[i] + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return 'PIN 不能是连续的数字（如 123456、654321），容易被猜到';
  return null;
}
