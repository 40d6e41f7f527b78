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
