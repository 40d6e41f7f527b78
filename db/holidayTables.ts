import type { Db } from './connection';
import type { HolidayTable } from '../domain/workCalendar';

/** The holiday tables stored in a register (village or county: both keep the same table). */
export function readHolidayTables(db: Db): HolidayTable[] {
  const rows = db.prepare(`SELECT year, source, off_json, work_json FROM holiday_tables ORDER BY year`).all() as {
    year: number;
    source: string;
    off_json: string;
    work_json: string;
  }[];
  return rows.map((r) => ({ year: r.year, source: r.source, off: JSON.parse(r.off_json), work: JSON.parse(r.work_json) }));
}
