// Read models of the console: scope info, 总览, import log, conflicts, points and devices, versions.
import { fingerprint } from '../../sync/wire/keys';
import { OPEN_STATUSES } from '../../domain/caseStatus';
import { dueSoonHorizon } from '../../domain/deadlines';
import { monthRange } from '../../domain/statistics';
import type { County } from '../db';
import { skewText } from '../report';
import { countyToday, hlcIso } from './cases';
import type { ConsoleParsed } from './contract';
import { notFound, scopeSql, type Scope } from './http';
import { sendResolution } from './conflicts';
import { overdueOpenByPoint, scopeFigures } from './statDays';
import type { ConflictRow, DeviceRow, ImportLogRow, Overview, Page, PointHealth, PointRef, PointRow, PublishedVersions, ScopeInfo, TownshipLights } from './types';

const SILENT_DAYS = 7;

export function pointRefs(county: County, scope: Scope): PointRef[] {
  const sc = scopeSql(scope, 'code');
  return (county.db.prepare(`SELECT code, village_name, township_name FROM points WHERE ${sc.sql} ORDER BY code`).all(...sc.params) as {
    code: string;
    village_name: string;
    township_name: string;
  }[]).map((p) => ({ code: p.code, villageName: p.village_name, townshipCode: p.code.slice(0, 9), townshipName: p.township_name }));
}

export function scopeInfo(county: County, scope: Scope, publicUrl: string): ScopeInfo {
  const id = county.requireIdentity();
  const points = pointRefs(county, scope);
  const towns = new Map<string, { code: string; name: string; points: number }>();
  for (const p of points) {
    const t = towns.get(p.townshipCode) ?? { code: p.townshipCode, name: p.townshipName, points: 0 };
    t.points++;
    towns.set(p.townshipCode, t);
  }
  const items = county.db.prepare(`SELECT code, name, department FROM catalog_items ORDER BY code`).all() as { code: string; name: string; department: string }[];
  return { county: { code: id.code, name: id.name }, today: countyToday(county), townships: [...towns.values()], points, items, publicUrl };
}

function pointHealth(county: County, scope: Scope): PointHealth[] {
  const sc = scopeSql(scope, 'p.code');
  const nowMs = county.clock.nowMs();
  const since = new Date(nowMs - 30 * 86_400_000).toISOString();
  const rows = county.db
    .prepare(
      `SELECT p.code, p.village_name, p.township_name,
         (SELECT COUNT(*) FROM devices d WHERE d.point_code = p.code) AS devices,
         (SELECT COUNT(*) FROM devices d WHERE d.point_code = p.code AND d.revoked_at IS NOT NULL) AS revoked,
         (SELECT MAX(last_seen_at) FROM devices d WHERE d.point_code = p.code) AS last_seen,
         (SELECT COUNT(*) FROM held_batches h JOIN devices d ON d.id = h.device_id WHERE d.point_code = p.code) AS held,
         (SELECT COUNT(*) FROM import_log l WHERE l.point_code = p.code AND l.result = 'rejected' AND l.at >= ?) AS rejected,
         (SELECT MAX(ABS(clock_skew_ms)) FROM devices d WHERE d.point_code = p.code AND d.revoked_at IS NULL) AS skew,
         COALESCE((SELECT n.cases FROM stat_points n WHERE n.point_code = p.code), 0) AS cases
       FROM points p WHERE ${sc.sql} ORDER BY p.code`,
    )
    .all(since, ...sc.params) as {
    code: string;
    village_name: string;
    township_name: string;
    devices: number;
    revoked: number;
    last_seen: string | null;
    held: number;
    rejected: number;
    skew: number | null;
    cases: number;
  }[];
  return rows.map((r) => {
    const silentDays = r.last_seen ? Math.floor((nowMs - Date.parse(r.last_seen)) / 86_400_000) : null;
    return {
      code: r.code,
      villageName: r.village_name,
      townshipCode: r.code.slice(0, 9),
      townshipName: r.township_name,
      devices: r.devices,
      revokedDevices: r.revoked,
      lastSyncAt: r.last_seen,
      silentDays,
      silent: silentDays === null ? r.devices > 0 : silentDays > SILENT_DAYS,
      heldBatches: r.held,
      rejectedBatches: r.rejected,
      clockSkewMs: r.skew,
      clockSkewText: skewText(r.skew),
      cases: r.cases,
    };
  });
}

/** 超期 (red) and due within 2 working days (amber) per point, for the open cases in scope (总览, 督办). */
export function lights(county: County, scope: Scope, points: PointRef[] = pointRefs(county, scope)): TownshipLights[] {
  const today = countyToday(county);
  const horizon = dueSoonHorizon(county.calendar, today);
  const sc = scopeSql(scope, 'c.point_code');
  const open = OPEN_STATUSES.map((s) => `'${s}'`).join(',');
  const rows = county.db
    .prepare(
      `SELECT c.point_code AS code, SUM(c.due_date < @today) AS red, SUM(c.due_date >= @today AND c.due_date <= @horizon) AS amber
       FROM cases c WHERE c.status IN (${open}) AND c.due_date <= @horizon AND ${sc.sql} GROUP BY c.point_code`,
    )
    .all(...sc.params, { today, horizon }) as { code: string; red: number; amber: number }[];
  const byPoint = new Map(rows.map((r) => [r.code, r]));
  const towns = new Map<string, TownshipLights>();
  for (const p of points) {
    let t = towns.get(p.townshipCode);
    if (!t) towns.set(p.townshipCode, (t = { code: p.townshipCode, name: p.townshipName, lights: { red: 0, amber: 0 }, villages: [] }));
    const l = byPoint.get(p.code);
    const v = { ...p, lights: { red: l?.red ?? 0, amber: l?.amber ?? 0 } };
    t.villages.push(v);
    t.lights.red += v.lights.red;
    t.lights.amber += v.lights.amber;
  }
  return [...towns.values()];
}

export function overview(county: County, scope: Scope): Overview {
  const today = countyToday(county);
  const month = today.slice(0, 7);
  const points = pointHealth(county, scope);
  const refs = points.map(({ code, villageName, townshipCode, townshipName }) => ({ code, villageName, townshipCode, townshipName }));
  const m = monthRange(month);
  // Today's and this month's 超期未办结 are both taken today: counted once.
  const overdueNow = overdueOpenByPoint(county, today, scope);
  const sp = scopeSql(scope, 's.point_code');
  const cp = scopeSql(scope, 'point_code');
  return {
    today,
    month,
    points,
    figuresToday: scopeFigures(county, { from: today, to: today, today }, scope, overdueNow),
    figuresMonth: scopeFigures(county, { from: m.from, to: m.to, today }, scope, overdueNow),
    lights: lights(county, scope, refs),
    openConflicts: (county.db.prepare(`SELECT COUNT(*) AS n FROM conflicts WHERE resolved_at IS NULL AND ${cp.sql}`).get(...cp.params) as { n: number }).n,
    openSupervisions: (county.db.prepare(`SELECT COUNT(*) AS n FROM supervisions s WHERE s.closed_at IS NULL AND ${sp.sql}`).get(...sp.params) as { n: number }).n,
  };
}

export function importLogPage(county: County, i: ConsoleParsed<'importLog'>, scope: Scope): Page<ImportLogRow> {
  const conds: string[] = [];
  const params: (string | number)[] = [];
  // A township official sees the log of their villages only (rejected files with no known point are county business).
  if (scope.townshipCode || scope.pointCode) {
    const sc = scopeSql(scope, 'l.point_code');
    conds.push(sc.sql);
    params.push(...sc.params);
  }
  if (i.result) {
    conds.push('l.result = ?');
    params.push(i.result);
  }
  if (i.from) {
    conds.push('l.at >= ?');
    params.push(i.from);
  }
  if (i.to) {
    conds.push('l.at < ?');
    params.push(`${i.to}T99`);
  }
  const w = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const total = (county.db.prepare(`SELECT COUNT(*) AS n FROM import_log l ${w}`).get(...params) as { n: number }).n;
  const rows = county.db
    .prepare(`SELECT l.*, p.village_name FROM import_log l LEFT JOIN points p ON p.code = l.point_code ${w} ORDER BY l.id DESC LIMIT ? OFFSET ?`)
    .all(...params, i.limit, i.offset) as {
    id: number;
    at: string;
    source: string;
    point_code: string | null;
    village_name: string | null;
    device_id: string | null;
    from_seq: number | null;
    to_seq: number | null;
    applied: number;
    result: ImportLogRow['result'];
    reason: string;
  }[];
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      source: r.source,
      pointCode: r.point_code,
      villageName: r.village_name,
      deviceId: r.device_id,
      fromSeq: r.from_seq,
      toSeq: r.to_seq,
      applied: r.applied,
      result: r.result,
      reason: r.reason,
    })),
  };
}

const FIELD_LABELS: Record<string, string> = {
  status: '办理状态',
  decision: '办理结果',
  decision_date: '办结日期',
  decision_note: '结果说明',
  returned_at: '退回补正日期',
};

type ConflictDb = {
  id: string;
  point_code: string;
  village_name: string | null;
  tbl: string;
  record_id: string;
  field: string;
  village_value: string | null;
  county_value: string | null;
  village_hlc: string;
  county_hlc: string;
  winner: 'village' | 'county';
  detected_at: string;
  resolved_at: string | null;
  resolved_by_name: string | null;
  case_no: string | null;
  made_by: string | null;
};

const CONFLICT_SELECT = `SELECT k.*, p.village_name, c.case_no, d.made_by, COALESCE(u.display_name, u.name) AS resolved_by_name
  FROM conflicts k LEFT JOIN points p ON p.code = k.point_code LEFT JOIN cases c ON k.tbl = 'cases' AND c.id = k.record_id
  LEFT JOIN decisions d ON d.id = k.decision_id LEFT JOIN accounts u ON u.id = k.resolved_by`;

function toConflict(r: ConflictDb): ConflictRow {
  return {
    id: r.id,
    pointCode: r.point_code,
    villageName: r.village_name ?? '',
    caseId: r.tbl === 'cases' ? r.record_id : null,
    caseNo: r.case_no,
    table: r.tbl,
    field: r.field,
    fieldLabel: FIELD_LABELS[r.field] ?? r.field,
    villageValue: r.village_value,
    countyValue: r.county_value,
    villageAt: hlcIso(r.village_hlc),
    countyAt: hlcIso(r.county_hlc),
    countyBy: r.made_by ?? '',
    winner: r.winner,
    detectedAt: r.detected_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by_name,
  };
}

export function listConflicts(county: County, i: ConsoleParsed<'listConflicts'>, scope: Scope): Page<ConflictRow> {
  const sc = scopeSql(scope, 'k.point_code');
  const w = `WHERE ${sc.sql} AND k.resolved_at IS ${i.state === 'open' ? '' : 'NOT '}NULL`;
  const total = (county.db.prepare(`SELECT COUNT(*) AS n FROM conflicts k ${w}`).get(...sc.params) as { n: number }).n;
  const rows = county.db.prepare(`${CONFLICT_SELECT} ${w} ORDER BY k.detected_at DESC LIMIT ? OFFSET ?`).all(...sc.params, i.limit, i.offset) as ConflictDb[];
  return { total, rows: rows.map(toConflict) };
}

/**
 * Resolving records which value stands. Choosing the value that already won just closes the
 * conflict; choosing the other one writes it into the county's copy of the record.
 */
export function resolveConflict(county: County, id: string, choose: 'village' | 'county', by: { id: string }): ConflictRow {
  return county.tx(() => {
    const k = county.db.prepare(`SELECT * FROM conflicts WHERE id = ?`).get(id) as ConflictDb | undefined;
    if (!k) throw notFound();
    if (k.resolved_at) throw new Error('这处冲突已经处理过');
    if (choose !== k.winner && FIELD_LABELS[k.field]) {
      const value = choose === 'village' ? k.village_value : k.county_value;
      county.db.prepare(`UPDATE ${k.tbl === 'cases' ? 'cases' : 'cases'} SET ${k.field} = ? WHERE id = ?`).run(value, k.record_id);
    }
    county.db.prepare(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, winner = ? WHERE id = ?`).run(county.nowIso(), by.id, choose, id);
    sendResolution(county, k, choose);
    return toConflict(county.db.prepare(`${CONFLICT_SELECT} WHERE k.id = ?`).get(id) as ConflictDb);
  });
}

type DeviceDb = {
  id: string;
  point_code: string;
  name: string;
  public_key: string;
  enrolled_at: string;
  enrolled_via: string;
  revoked_at: string | null;
  revoked_reason: string;
  last_seen_at: string | null;
  applied_through: number;
  clock_skew_ms: number | null;
};

function toDeviceRow(d: DeviceDb): DeviceRow {
  return {
    id: d.id,
    name: d.name,
    fingerprint: fingerprint(d.public_key),
    enrolledAt: d.enrolled_at,
    enrolledVia: d.enrolled_via.startsWith('file') ? 'file' : d.enrolled_via,
    revokedAt: d.revoked_at,
    revokedReason: d.revoked_reason,
    lastSeenAt: d.last_seen_at,
    appliedThrough: d.applied_through,
    clockSkewText: skewText(d.clock_skew_ms),
  };
}

/** One device as 代办点与设备 lists it. */
export function deviceRow(county: County, id: string): DeviceRow {
  const d = county.db.prepare(`SELECT * FROM devices WHERE id = ?`).get(id) as DeviceDb | undefined;
  if (!d) throw notFound();
  return toDeviceRow(d);
}

export function listPoints(county: County, scope: Scope): PointRow[] {
  const health = pointHealth(county, scope);
  const sc = scopeSql(scope, 'point_code');
  const devs = county.db.prepare(`SELECT * FROM devices WHERE ${sc.sql} ORDER BY enrolled_at`).all(...sc.params) as DeviceDb[];
  const versions = new Map(publishedVersions(county, scope).points.map((p) => [p.code, p.catalogVersion]));
  return health.map((h) => ({
    ...h,
    catalogVersion: versions.get(h.code) ?? null,
    deviceList: devs.filter((d) => d.point_code === h.code).map(toDeviceRow),
  }));
}

/** Which catalog version and holiday years each point has confirmed (its devices' downstream_through). */
export function publishedVersions(county: County, scope: Scope = { townshipCode: null, pointCode: null }): PublishedVersions {
  const catalog = (county.db.prepare(`SELECT version, json, published_at FROM catalog_versions ORDER BY published_at DESC, rowid DESC`).all() as {
    version: string;
    json: string;
    published_at: string;
  }[]).map((r) => ({ version: r.version, items: (JSON.parse(r.json) as { items: unknown[] }).items.length, publishedAt: r.published_at }));
  const holidayYears = (county.db.prepare(`SELECT year, source, received_at FROM holiday_tables ORDER BY year`).all() as { year: number; source: string; received_at: string }[]).map(
    (r) => ({ year: r.year, source: r.source, receivedAt: r.received_at }),
  );
  const msgs = county.db.prepare(`SELECT seq, kind, body FROM downstream WHERE point_code IS NULL AND kind IN ('catalog','holidays') ORDER BY seq`).all() as {
    seq: number;
    kind: string;
    body: string;
  }[];
  const initialCatalog = catalog.length ? catalog[catalog.length - 1].version : null;
  const points = pointRefs(county, scope).map((p) => {
    const through =
      (county.db.prepare(`SELECT MAX(downstream_through) AS n FROM devices WHERE point_code = ? AND revoked_at IS NULL`).get(p.code) as { n: number | null }).n ?? null;
    let version: string | null = through === null ? null : initialCatalog;
    const years = new Set<number>(through === null ? [] : holidayYears.map((h) => h.year));
    for (const m of msgs) {
      if (through === null || m.seq > through) break;
      if (m.kind === 'catalog') version = (JSON.parse(m.body) as { version: string }).version;
    }
    const pending = through === null || msgs.some((m) => m.seq > through);
    return { ...p, catalogVersion: version, holidayYears: [...years].sort(), upToDate: !pending };
  });
  return { catalog, holidayYears, points };
}
