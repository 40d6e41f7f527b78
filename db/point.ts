import type { Register } from './register';
import { parseVillageCode, unitName } from '../domain/villageCode';
import { AppError } from '../domain/errors';
import type { PointInfo } from '../domain/records';
import { insertAgent } from './agents';
import { importCatalog, importHolidayTables, parseCatalogFile } from './catalog';
import { loadBundledHolidayTables, loadBundledCatalog } from '../domain/bundledData';
import { chinaDate } from './clock';
import { normalisePhoneField } from '../domain/phone';

// The point's own numbers are printed on every receipt for villagers to call: the government
// service hotline (12345 …) is a proper 投诉电话, so these two fields accept service numbers.
const consultPhone = (v: string | undefined) => normalisePhoneField(v, '咨询电话', { allowService: true });
const complaintPhone = (v: string | undefined) => normalisePhoneField(v, '投诉电话', { allowService: true });

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

/** The China date the point started using this register (the lower bound of 受理/来访 dates hangs off it). */
export function pointSince(reg: Register): string | null {
  const r = reg.db.prepare(`SELECT created_at FROM point WHERE id = 1`).get() as { created_at: string } | undefined;
  const ms = r ? Date.parse(r.created_at) : NaN;
  return Number.isFinite(ms) ? chinaDate(ms) : null;
}

/** First run: the point's identity, its duty roster, and the bundled demo catalog and holiday tables. */
export function setupPoint(reg: Register, s: SetupInput): { agentIds: string[] } {
  if (getPoint(reg)) throw new AppError('refused', '代办点已经设置过了');
  const code = parseVillageCode(s.villageCode);
  if (!code.ok) throw new AppError('invalid_input', code.error);
  const phones = [consultPhone(s.consultPhone), complaintPhone(s.complaintPhone)];
  const now = reg.nowIso();
  let agentIds: string[] = [];
  reg.tx(() => {
    reg.db
      .prepare(
        `INSERT INTO point (id, village_code, village_name, township_name, county_name, consult_phone, complaint_phone, created_at, updated_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(code.value.village, s.villageName, s.townshipName, s.countyName, phones[0], phones[1], now, now);
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
  const consult = u.consultPhone === undefined ? cur.consultPhone : consultPhone(u.consultPhone);
  const complaint = u.complaintPhone === undefined ? cur.complaintPhone : complaintPhone(u.complaintPhone);
  // The point row is this laptop's settings, not a synced register record (db/changes.ts SYNCED_TABLES).
  reg.db
    .prepare(`UPDATE point SET consult_phone = ?, complaint_phone = ?, idle_lock_minutes = ?, updated_at = ? WHERE id = 1`)
    .run(consult, complaint, u.idleLockMinutes ?? cur.idleLockMinutes, reg.nowIso());
  return getPoint(reg)!;
}
