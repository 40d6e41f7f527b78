import type { Register } from './register';
import { parseVillageCode, unitName } from '../domain/villageCode';
import { AppError } from '../domain/errors';
import type { PointInfo } from '../domain/records';
import { insertAgent } from './agents';
import { importCatalog, importHolidayTables, parseCatalogFile } from './catalog';
import { loadBundledHolidayTables, loadBundledCatalog } from '../domain/bundledData';

type PointRow = {
  village_code: string;
  village_name: string;
  township_name: string;
  county_name: string;
  consult_phone: string;
  complaint_phone: string;
  idle_lock_minutes: number;
};

export function getPoint(reg: Register): PointInfo | null {
  const r = reg.db.prepare(`SELECT * FROM point WHERE id = 1`).get() as PointRow | undefined;
  if (!r) return null;
  return {
    villageCode: r.village_code,
    villageName: r.village_name,
    townshipName: r.township_name,
    countyName: r.county_name,
    unitName: unitName({ countyName: r.county_name, townshipName: r.township_name, villageName: r.village_name }),
    consultPhone: r.consult_phone,
    complaintPhone: r.complaint_phone,
    idleLockMinutes: r.idle_lock_minutes,
  };
}

export type SetupInput = {
  villageCode: string;
  villageName: string;
  townshipName: string;
  countyName: string;
  consultPhone: string;
  complaintPhone: string;
  agents: { name: string; phone: string; pin: string }[];
};

/** First run: the point's identity, its duty roster, and the bundled demo catalog and holiday tables. */
export function setupPoint(reg: Register, s: SetupInput): { agentIds: string[] } {
  if (getPoint(reg)) throw new AppError('refused', '代办点已经设置过了');
  const code = parseVillageCode(s.villageCode);
  if (!code.ok) throw new AppError('invalid_input', code.error);
  const now = reg.nowIso();
  let agentIds: string[] = [];
  reg.tx(() => {
    reg.db
      .prepare(
        `INSERT INTO point (id, village_code, village_name, township_name, county_name, consult_phone, complaint_phone, created_at, updated_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(code.value.village, s.villageName, s.townshipName, s.countyName, s.consultPhone, s.complaintPhone, now, now);
    agentIds = s.agents.map((a) => insertAgent(reg, a, null));
    // In the same transaction: a power cut must not leave a point without its catalog or calendar
    // (setup refuses to run twice, so nothing would ever import them).
    if (!reg.db.prepare(`SELECT 1 FROM catalog_items LIMIT 1`).get()) importCatalog(reg, parseCatalogFile(loadBundledCatalog()));
    if (!reg.db.prepare(`SELECT 1 FROM holiday_tables LIMIT 1`).get()) importHolidayTables(reg, loadBundledHolidayTables());
  });
  return { agentIds };
}

/**
 * Point settings an agent may change after setup; the identity (code, names) comes from enrolment.
 * LOCAL-ONLY, on purpose outside the ChangeWriter: `point` is not a synced table. These are this
 * laptop's settings (the phones printed on its receipts, its idle-lock time); the point's identity is
 * the county's (enrolment), and each laptop of a point may set its own lock time.
 */
export function updatePoint(reg: Register, u: { consultPhone?: string; complaintPhone?: string; idleLockMinutes?: number }): PointInfo {
  const cur = getPoint(reg);
  if (!cur) throw new AppError('not_initialized', '代办点尚未设置，请先完成首次设置');
  reg.db
    .prepare(`UPDATE point SET consult_phone = ?, complaint_phone = ?, idle_lock_minutes = ?, updated_at = ? WHERE id = 1`)
    .run(u.consultPhone ?? cur.consultPhone, u.complaintPhone ?? cur.complaintPhone, u.idleLockMinutes ?? cur.idleLockMinutes, reg.nowIso());
  return getPoint(reg)!;
}
