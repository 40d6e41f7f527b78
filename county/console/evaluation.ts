// 考评预警: a point whose monthly score is below the line (stats.ts `evaluation`, the shared statistics
// definitions) is told so in a signed reply message, shown on its 今日 until the agent answers.
// The warning text is composed here from the figures that pulled the score down, so every warning
// says why, and `warnLagging` sends one to each lagging point of a month that has none yet.
import { uuidv7 } from '../../domain/ids';
import { formatRate } from '../../domain/statistics';
import type { County } from '../db';
import { addMessage } from '../publish';
import type { Scope } from './http';
import { evaluation } from './stats';
import type { EvaluationRow } from './types';

/** A rate below this is named in the warning as one of the reasons. */
const WEAK_RATE = 0.8;

/** 考评预警 to a lagging point: shown on its 今日 after the next sync until the agent answers. */
export function sendWarning(county: County, pointCode: string, month: string, note: string, by: { id: string }): string {
  return county.tx(() => {
    const id = uuidv7(county.clock.nowMs());
    addMessage(county, pointCode, 'warning', { warningId: id, month, note }, id);
    county.db.prepare(`INSERT INTO warnings (id, point_code, month, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`).run(id, pointCode, month, note, county.nowIso(), by.id);
    return id;
  });
}

/** "2026年11月考评得分 52.5 分，低于 60 分：按时办结率 50.0%、超期 3 件。请对照整改，并在今日页面答复整改打算。" */
export function laggingNote(row: Pick<EvaluationRow, 'score' | 'figures'>, month: string): string {
  const f = row.figures;
  const reasons: string[] = [];
  const weak = (label: string, r: number | null) => {
    if (r !== null && r < WEAK_RATE) reasons.push(`${label} ${formatRate(r)}`);
  };
  weak('按时办结率', f.onTimeRate);
  if (f.overdue > 0) reasons.push(`超期 ${f.overdue} 件`);
  weak('回访率', f.returnVisitRate);
  weak('满意率', f.satisfactionRate);
  weak('即办率', f.immediateRate);
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月考评得分 ${row.score} 分，低于 60 分${reasons.length ? `：${reasons.join('、')}` : ''}。请对照整改，并在“今日”页面答复整改打算。`;
}

/** Sends a warning to every lagging point of the month in scope that has not had one for that month. */
export function warnLagging(county: County, month: string, scope: Scope, by: { id: string }): { sent: { pointCode: string; villageName: string; note: string }[] } {
  const ev = evaluation(county, month, scope);
  const sent: { pointCode: string; villageName: string; note: string }[] = [];
  for (const t of ev.townships) {
    for (const r of t.rows) {
      if (!r.lagging || r.warned) continue;
      const note = laggingNote(r, month);
      sendWarning(county, r.code, month, note, by);
      sent.push({ pointCode: r.code, villageName: `${r.townshipName}${r.villageName}`, note });
    }
  }
  return { sent };
}

// ---- automatic warnings, month by month ----
// When the administrator turns it on, the county service warns the previous month's lagging points
// itself, once per month, from the first day of the next month (checked at start and every hour).

const AUTO_KEY = 'evaluation_auto_warn';
const AUTO_DONE_KEY = 'evaluation_auto_warned_month';

const setting = (county: County, key: string): string | null =>
  (county.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined)?.value ?? null;
const putSetting = (county: County, key: string, value: string): void => {
  county.db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value);
};

export function autoWarnEnabled(county: County): boolean {
  return setting(county, AUTO_KEY) === '1';
}

export function setAutoWarn(county: County, on: boolean): boolean {
  county.tx(() => {
    putSetting(county, AUTO_KEY, on ? '1' : '0');
    // Turning it on does not reach back: the months before today's are taken as already handled.
    if (on && !setting(county, AUTO_DONE_KEY)) putSetting(county, AUTO_DONE_KEY, previousMonth(chinaDate(county)));
  });
  return autoWarnEnabled(county);
}

function chinaDate(county: County): string {
  return new Date(county.clock.nowMs() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function previousMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Warns last month's lagging points if that is on and not done yet for that month; returns how many were warned (null: nothing to do). */
export function runAutoWarn(county: County): number | null {
  if (!county.identity() || !autoWarnEnabled(county)) return null;
  const month = previousMonth(chinaDate(county));
  if ((setting(county, AUTO_DONE_KEY) ?? '') >= month) return null;
  const r = warnLagging(county, month, { townshipCode: null, pointCode: null }, { id: 'system' });
  county.tx(() => {
    putSetting(county, AUTO_DONE_KEY, month);
    const log = county.db.prepare(`INSERT INTO audit_log (at, kind, account_id, user_name, summary, ip) VALUES (?, 'evaluation', NULL, '系统（自动预警）', ?, '')`);
    for (const s of r.sent) log.run(county.nowIso(), `向代办点 ${s.pointCode} 发出 ${month} 考评预警：${s.note}`);
    if (!r.sent.length) log.run(county.nowIso(), `${month} 考评：没有落后的代办点，未发预警`);
  });
  return r.sent.length;
}

/** Starts the hourly check; returns a function that stops it. */
export function startAutoWarn(county: County, onError: (e: unknown) => void): () => void {
  const tick = () => {
    try {
      runAutoWarn(county);
    } catch (e) {
      onError(e);
    }
  };
  tick();
  const t = setInterval(tick, 3_600_000);
  t.unref();
  return () => clearInterval(t);
}
