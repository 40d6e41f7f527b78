// A conflict resolved in the console (冲突) goes down to the point: a signed `resolution` message with
// the chosen value, which every laptop of the point applies through its change writer (so the case
// history says the county settled it). When the choice changes the county's copy, the field gets the
// county's clock, so an older village edit still in transit cannot undo the choice. (No new record
// version: the point's laptops get the message; a laptop downloading the point later gets the row as is.)
import type { County } from '../db';
import { addMessage } from '../publish';
import { CONTESTED_FIELDS } from '../../sync/wire/decisions';
import type { ResolutionBody } from '../../sync/wire/protocol';

type Resolved = { id: string; point_code: string; tbl: string; record_id: string; field: string; village_value: string | null; county_value: string | null; winner: 'village' | 'county' };

/** Call inside the resolving transaction, after the county's copy holds the chosen value. */
export function sendResolution(county: County, k: Resolved, choose: 'village' | 'county'): void {
  if (k.tbl !== 'cases' || !CONTESTED_FIELDS.includes(k.field)) return;
  const c = county.db.prepare(`SELECT case_no FROM cases WHERE id = ?`).get(k.record_id) as { case_no: string } | undefined;
  if (!c) return;
  const apply = choose !== k.winner;
  const body: ResolutionBody = {
    conflictId: k.id,
    caseId: k.record_id,
    caseNo: c.case_no,
    field: k.field,
    value: choose === 'village' ? k.village_value : k.county_value,
    chose: choose,
    apply,
  };
  const m = addMessage(county, k.point_code, 'resolution', body);
  if (apply) {
    county.db
      .prepare(
        `INSERT INTO field_clocks (tbl, id, field, hlc, origin, decision_id) VALUES ('cases', ?, ?, ?, 'c', NULL)
         ON CONFLICT(tbl, id, field) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin, decision_id = excluded.decision_id`,
      )
      .run(k.record_id, k.field, m.hlc);
  }
}
