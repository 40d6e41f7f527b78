// What a county decision writes on a case, shared by the county (when deciding) and the village
// (when applying), so both sides end up with the same values.
import type { SqlValue } from '../../db/changes';
import type { DecisionBody } from './protocol';

export function decisionFields(d: Pick<DecisionBody, 'action' | 'decision' | 'date' | 'note'>, decisionId: string): Record<string, SqlValue> {
  if (d.action === 'decide') {
    return { status: 'decided', decision: d.decision, decision_date: d.date, decision_note: d.note, decided_by_county: 1, county_decision_id: decisionId };
  }
  return { status: 'returned', returned_at: d.date, county_decision_id: decisionId };
}

/** Fields a person on either side could set; a concurrent edit of one of them is a conflict. */
export const CONTESTED_FIELDS: readonly string[] = ['status', 'decision', 'decision_date', 'decision_note', 'returned_at'];
