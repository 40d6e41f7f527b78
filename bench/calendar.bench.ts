// `npm run bench -- calendar`: working-day arithmetic, the hot path of every due date and every
// statistics query. 100,000 due dates of 30 working days from starts spread over 2025–2027 (2027 has
// no official table yet, so it runs on the statutory-holiday estimate).
import type { Report } from './run';
import { loadBundledHolidayTables } from '../domain/bundledData';
import { createWorkCalendar } from '../domain/workCalendar';

export async function run(report: Report): Promise<void> {
  const cal = createWorkCalendar(loadBundledHolidayTables());
  const starts: string[] = [];
  for (let i = 0; i < 1000; i++) starts.push(new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
  cal.addWorkdays(starts[0], 30);
  const t0 = performance.now();
  for (let i = 0; i < 100_000; i++) cal.addWorkdays(starts[i % 1000], 30);
  const ms = performance.now() - t0;
  report({ bench: 'calendar', metric: 'due dates (30 working days) ×100,000', value: Math.round(ms), unit: 'ms', target: '≤ 3000 ms', ok: ms <= 3000 });
}
