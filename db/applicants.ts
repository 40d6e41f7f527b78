import type { Register } from './register';
import { uuidv7 } from '../domain/ids';
import { parseResidentId } from '../domain/idNumber';
import { parseCreditCode } from '../domain/creditCode';
import { parsePhone } from '../domain/phone';
import { maskCreditCode, maskIdNumber, maskPhone } from '../domain/mask';
import { pinyinKeys } from '../domain/pinyin';
import { AppError } from '../domain/errors';
import type { Applicant } from '../domain/records';
import type { ChangeSpec, SqlValue } from './changes';
import { nameConflictMessage, nameCorrectionNote, namesDiffer, type NameChoice } from '../domain/applicantName';
import { isConfirmedPilotCode, recordPilotCreditCode } from './pilotCreditCode';

export type ApplicantRow = {
  id: string;
  kind: 'person' | 'org';
  name: string;
  id_number: string | null;
  birth_date: string | null;
  sex: 'male' | 'female' | null;
  credit_code: string | null;
  phone: string;
  village_group: string;
  address: string;
};

export type ApplicantInput = {
  id?: string;
  kind: 'person' | 'org';
  name: string;
  idNumber?: string;
  creditCode?: string;
  /** The agent confirmed a credit code that fails the check character against the licence (early pilot registries). */
  creditCodeConfirmed?: boolean;
  phone: string;
  villageGroup: string;
  address: string;
  /** A known ID number typed with another name: which is true (domain/applicantName.ts). */
  nameChoice?: NameChoice;
};

export const reverse = (s: string) => [...s].reverse().join('');

export function toApplicant(r: ApplicantRow): Applicant {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    idNumberMasked: r.id_number ? maskIdNumber(r.id_number) : '',
    birthDate: r.birth_date,
    sex: r.sex,
    creditCodeMasked: r.credit_code ? maskCreditCode(r.credit_code) : '',
    phoneMasked: r.phone ? maskPhone(r.phone) : '',
    villageGroup: r.village_group,
    address: r.address,
  };
}

export function getApplicantRow(reg: Register, id: string): ApplicantRow {
  const r = reg.db.prepare(`SELECT * FROM applicants WHERE id = ?`).get(id) as ApplicantRow | undefined;
  if (!r) throw new AppError('not_found', '找不到这位申请人');
  return r;
}

export function findApplicantByIdNumber(reg: Register, raw: string): ApplicantRow | null {
  const p = parseResidentId(raw, { today: reg.today() });
  if (!p.ok) return null;
  return (reg.db.prepare(`SELECT * FROM applicants WHERE id_number = ?`).get(p.value.id18) as ApplicantRow | undefined) ?? null;
}

/** Validates identity fields into the stored columns; throws a user-facing error on bad input. */
function identityFields(reg: Register, a: ApplicantInput): Record<string, SqlValue> {
  const id: Parameters<typeof identityColumns>[0] = {};
  if (a.kind === 'person') {
    if (a.idNumber) {
      const p = parseResidentId(a.idNumber, { today: reg.today() });
      if (!p.ok) throw new AppError('invalid_input', p.error);
      id.resident = p.value;
    }
  } else if (a.creditCode) {
    const c = parseCreditCode(a.creditCode, { acceptPilotCode: a.creditCodeConfirmed === true });
    if (!c.ok) throw new AppError('invalid_input', c.error);
    id.creditCode = c.value.code;
  }
  if (a.phone) {
    const ph = parsePhone(a.phone);
    if (!ph.ok) throw new AppError('invalid_input', ph.error);
    id.phone = ph.value.phone;
  }
  return identityColumns(id);
}

/** The identity columns of checked (parsed, normalised) values; each search key beside its value. */
export function identityColumns(v: { resident?: { id18: string; birthDate: string; sex: 'male' | 'female' }; creditCode?: string; phone?: string }): Record<string, SqlValue> {
  const f: Record<string, SqlValue> = {};
  if (v.resident) {
    f.id_number = v.resident.id18;
    f.id_rev = reverse(v.resident.id18);
    f.birth_date = v.resident.birthDate;
    f.sex = v.resident.sex;
  }
  if (v.creditCode) f.credit_code = v.creditCode;
  if (v.phone) {
    f.phone = v.phone;
    f.phone_rev = reverse(v.phone.replace(/\D/g, ''));
  }
  return f;
}

/** A new applicant: `identity` from identityColumns, `keys` the name's pinyin. */
export function newApplicantSpec(a: {
  id: string;
  kind: 'person' | 'org';
  name: string;
  keys: { full: string; initials: string };
  villageGroup: string;
  address: string;
  identity: Record<string, SqlValue>;
  now: string;
  agentId: string;
  caseId: string | null;
}): ChangeSpec {
  return {
    table: 'applicants',
    id: a.id,
    op: 'insert',
    fields: {
      kind: a.kind,
      phone: '',
      phone_rev: '',
      id_number: null,
      id_rev: null,
      birth_date: null,
      sex: null,
      credit_code: null,
      name: a.name,
      name_pinyin: a.keys.full,
      name_initials: a.keys.initials,
      village_group: a.villageGroup,
      address: a.address,
      ...a.identity,
      created_at: a.now,
      created_by: a.agentId,
      updated_at: a.now,
      updated_by: a.agentId,
    },
    action: 'applicant.create',
    caseId: a.caseId,
  };
}

/**
 * Inside a transaction: returns the applicant id for a case or visit, creating the person or
 * updating the changed fields of a known one. A known ID number always resolves to the same
 * person, so the same villager is never registered twice.
 */
export function upsertApplicant(reg: Register, a: ApplicantInput, agentId: string, caseId: string | null): string {
  const ident = identityFields(reg, a);
  let existing: ApplicantRow | undefined;
  if (a.id) existing = getApplicantRow(reg, a.id);
  else if (ident.id_number) existing = reg.db.prepare(`SELECT * FROM applicants WHERE id_number = ?`).get(ident.id_number) as ApplicantRow | undefined;
  else if (ident.credit_code) existing = reg.db.prepare(`SELECT * FROM applicants WHERE credit_code = ?`).get(ident.credit_code) as ApplicantRow | undefined;

  const now = reg.nowIso();
  let name = a.name;
  let renamedFrom: string | null = null;
  if (existing && !namesDiffer(existing.name, a.name)) name = existing.name;
  else if (existing) {
    if (!a.nameChoice) throw new AppError('conflict', nameConflictMessage(existing.name, a.name, existing.kind));
    if (a.nameChoice === 'keep') name = existing.name;
    else renamedFrom = existing.name;
  }
  const k = pinyinKeys(name);
  const wanted: Record<string, SqlValue> = {
    name,
    name_pinyin: k.full,
    name_initials: k.initials,
    village_group: a.villageGroup,
    address: a.address,
    ...ident,
  };
  if (!existing) {
    if (a.kind === 'person' && !ident.id_number) throw new AppError('invalid_input', '请填写申请人的居民身份证号码');
    if (a.kind === 'org' && !ident.credit_code) throw new AppError('invalid_input', '请填写统一社会信用代码');
    const id = uuidv7(reg.clock.nowMs());
    reg.writer.apply(
      newApplicantSpec({ id, kind: a.kind, name, keys: k, villageGroup: a.villageGroup, address: a.address, identity: ident, now, agentId, caseId }),
      agentId,
    );
    if (isConfirmedPilotCode(ident.credit_code as string | undefined)) recordPilotCreditCode(reg, id, agentId, caseId);
    return id;
  }
  if (existing.id_number && ident.id_number && existing.id_number !== ident.id_number) {
    throw new AppError('conflict', '身份证号码与已登记的档案不一致，请核对');
  }
  const changed: Record<string, SqlValue> = {};
  const current = existing as unknown as Record<string, SqlValue>;
  for (const [key, v] of Object.entries(wanted)) if (current[key] !== v && !(v === '' && key !== 'address' && key !== 'village_group')) changed[key] = v;
  if (Object.keys(changed).length) {
    reg.writer.apply(
      {
        table: 'applicants',
        id: existing.id,
        op: 'update',
        fields: { ...changed, updated_at: now, updated_by: agentId },
        action: renamedFrom !== null && 'name' in changed ? 'applicant.correctName' : 'applicant.update',
        note: renamedFrom !== null && 'name' in changed ? nameCorrectionNote(renamedFrom, name) : '',
        caseId,
        eventData: { fields: Object.keys(changed).filter((c) => !c.endsWith('_rev')) },
      },
      agentId,
    );
  }
  if ('credit_code' in changed && isConfirmedPilotCode(changed.credit_code as string)) recordPilotCreditCode(reg, existing.id, agentId, caseId);
  return existing.id;
}

export type NameMatch = { sql: string; params: SqlValue[] };
/** Other SQL for the same matches: names containing `text`, pinyin initials or full pinyin starting with `lower`. */
export type ApplicantMatchers = { name?(text: string): NameMatch; pinyin?(lower: string): NameMatch };

/**
 * Which applicants (rows `a`) a free-text query means: name, pinyin, ID number (whole or tail), phone
 * (whole or last 4). `via` replaces the SQL of the name and pinyin matches with the same results
 * (the county's name index and covering pinyin indexes, county/migrations/006).
 */
export function applicantMatch(q: string, today: string, via: ApplicantMatchers = {}): NameMatch | null {
  const s = q.trim().replace(/\s+/g, '');
  if (!s) return null;
  // Substring match on names scans the narrow applicants_name index (name + rowid), not the table.
  const byName = (): NameMatch => via.name?.(s) ?? { sql: NAME_MATCH, params: [s] };
  if (/^[\u3400-\u9fff·]+$/.test(s)) return byName();
  if (/^[a-zA-Z]+$/.test(s)) {
    const l = s.toLowerCase();
    return via.pinyin?.(l) ?? { sql: `(a.name_initials >= ? AND a.name_initials < ? || '~') OR (a.name_pinyin >= ? AND a.name_pinyin < ? || '~')`, params: [l, l, l, l] };
  }
  const digits = s.toUpperCase();
  if (/^\d{17}[\dX]$|^\d{15}$/.test(digits)) {
    const p = parseResidentId(digits, { today });
    return { sql: `a.id_number = ?`, params: [p.ok ? p.value.id18 : digits] };
  }
  if (/^1\d{10}$/.test(digits)) return { sql: `a.phone_rev = ?`, params: [reverse(digits)] };
  if (/^\d{3,}[\dX]?$/.test(digits) && digits.length >= 4) {
    const rev = reverse(digits);
    // Range scans on reversed columns let "last 4–6" use an index instead of a table scan.
    return {
      sql: `(a.id_rev >= ? AND a.id_rev < ? || '~') OR (a.phone_rev >= ? AND a.phone_rev < ? || '~')`,
      params: [rev, rev, rev, rev],
    };
  }
  return byName();
}

const NAME_MATCH = `a.rowid IN (SELECT rowid FROM applicants WHERE instr(name, ?) > 0)`;

export function searchApplicants(reg: Register, q: string, limit: number): Applicant[] {
  const m = applicantMatch(q, reg.today());
  if (!m) return [];
  const rows = reg.db.prepare(`SELECT a.* FROM applicants a WHERE ${m.sql} ORDER BY a.name LIMIT ?`).all(...m.params, limit) as ApplicantRow[];
  return rows.map(toApplicant);
}

/** Shows one full number on purpose; the reveal itself is recorded in the history (not its value). */
export function revealApplicant(reg: Register, applicantId: string, field: 'idNumber' | 'phone' | 'creditCode', agentId: string): string {
  const r = getApplicantRow(reg, applicantId);
  const value = field === 'idNumber' ? r.id_number : field === 'phone' ? r.phone : r.credit_code;
  // A history event like any change (chained, synced to the county): who looked at which kind of number, when.
  reg.tx(() => reg.writer.recordEvent({ entity: 'applicants', entityId: applicantId, action: 'applicant.reveal', eventData: { field } }, agentId));
  return value ?? '';
}
