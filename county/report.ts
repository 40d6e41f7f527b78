// What county staff look at: points and devices (enrolled, revoked, last seen, gaps, clock skew),
// the import log, and the county database's own checks (doctor).
import { SYNCED_TABLES } from '../db/changes';
import type { DoctorReport } from '../domain/records';
import type { County } from './db';
import { deviceGaps } from './importer';

export type DeviceStatus = {
  id: string;
  pointCode: string;
  name: string;
  enrolledAt: string;
  enrolledVia: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  appliedThrough: number;
  gaps: [number, number][];
  clockSkewMs: number | null;
};

export type PointStatus = { code: string; villageName: string; townshipName: string; records: number; devices: DeviceStatus[] };

export function countyStatus(county: County): { county: { code: string; name: string } | null; points: PointStatus[]; openConflicts: number; held: number } {
  const id = county.identity();
  const points = county.db.prepare(`SELECT code, village_name, township_name FROM points ORDER BY code`).all() as { code: string; village_name: string; township_name: string }[];
  const devs = county.db.prepare(`SELECT * FROM devices ORDER BY point_code, enrolled_at`).all() as {
    id: string;
    point_code: string;
    name: string;
    enrolled_at: string;
    enrolled_via: string;
    revoked_at: string | null;
    last_seen_at: string | null;
    applied_through: number;
    clock_skew_ms: number | null;
  }[];
  const cases = new Map(
    (county.db.prepare(`SELECT point_code, COUNT(*) AS n FROM cases GROUP BY point_code`).all() as { point_code: string; n: number }[]).map((r) => [r.point_code, r.n]),
  );
  return {
    county: id ? { code: id.code, name: id.name } : null,
    points: points.map((p) => ({
      code: p.code,
      villageName: p.village_name,
      townshipName: p.township_name,
      records: cases.get(p.code) ?? 0,
      devices: devs
        .filter((d) => d.point_code === p.code)
        .map((d) => ({
          id: d.id,
          pointCode: d.point_code,
          name: d.name,
          enrolledAt: d.enrolled_at,
          enrolledVia: d.enrolled_via.startsWith('file') ? 'file' : d.enrolled_via,
          revokedAt: d.revoked_at,
          lastSeenAt: d.last_seen_at,
          appliedThrough: d.applied_through,
          gaps: deviceGaps(county, d.id, d.applied_through),
          clockSkewMs: d.clock_skew_ms,
        })),
    })),
    openConflicts: (county.db.prepare(`SELECT COUNT(*) AS n FROM conflicts WHERE resolved_at IS NULL`).get() as { n: number }).n,
    held: (county.db.prepare(`SELECT COUNT(*) AS n FROM held_batches`).get() as { n: number }).n,
  };
}

export type ImportLogRow = {
  at: string;
  source: string;
  pointCode: string | null;
  deviceId: string | null;
  fromSeq: number | null;
  toSeq: number | null;
  applied: number;
  result: string;
  reason: string;
};

export function importLog(county: County, limit: number): ImportLogRow[] {
  return (
    county.db.prepare(`SELECT * FROM import_log ORDER BY id DESC LIMIT ?`).all(limit) as {
      at: string;
      source: string;
      point_code: string | null;
      device_id: string | null;
      from_seq: number | null;
      to_seq: number | null;
      applied: number;
      result: string;
      reason: string;
    }[]
  ).map((r) => ({
    at: r.at,
    source: r.source,
    pointCode: r.point_code,
    deviceId: r.device_id,
    fromSeq: r.from_seq,
    toSeq: r.to_seq,
    applied: r.applied,
    result: r.result,
    reason: r.reason,
  }));
}

/** "3 天 2 小时" style text for a clock offset. */
export function skewText(ms: number | null): string {
  if (ms === null) return '未测量';
  const abs = Math.abs(ms);
  if (abs < 60_000) return '正常';
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const parts = [d ? `${d} 天` : '', h ? `${h} 小时` : '', !d && m ? `${m} 分钟` : ''].filter(Boolean).join(' ');
  return `${ms < 0 ? '慢' : '快'} ${parts}`;
}

export function countyDoctor(county: County): DoctorReport {
  const db = county.db;
  const checks: DoctorReport['checks'] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const integrity = db.pragma('integrity_check', { simple: true });
  add('数据库文件完整性', integrity === 'ok', integrity === 'ok' ? '数据库文件完好' : `数据库文件有损坏：${String(integrity)}`);
  add('县级身份', county.identity() !== null, county.identity() ? `${county.identity()!.name}（${county.identity()!.code}）` : '尚未初始化');

  const bad = db
    .prepare(
      // A restored register's device starts after seq_start (the outbox it inherited belongs to the old device).
      `SELECT d.id, d.applied_through, COUNT(c.seq) AS n, COALESCE(MIN(c.seq), 0) AS lo, COALESCE(MAX(c.seq), 0) AS hi
       FROM devices d LEFT JOIN changes c ON c.device_id = d.id GROUP BY d.id
       HAVING n <> d.applied_through - d.seq_start OR (n > 0 AND (lo <> d.seq_start + 1 OR hi <> d.applied_through))`,
    )
    .all() as { id: string }[];
  add('每台设备的变更连续且只导入一次', bad.length === 0, bad.length === 0 ? '所有设备的变更序号从起点起连续，无重复' : `${bad.length} 台设备的变更序号与记录不符`);

  const stray = (db.prepare(`SELECT COUNT(*) AS n FROM changes c WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = c.device_id)`).get() as { n: number }).n;
  add('变更都来自已登记的设备', stray === 0, stray === 0 ? '是' : `${stray} 条变更的设备不存在`);

  let missing = 0;
  const detail: string[] = [];
  for (const t of SYNCED_TABLES) {
    const n = (db.prepare(`SELECT COUNT(*) AS n FROM ${t} r WHERE NOT EXISTS (SELECT 1 FROM field_clocks f WHERE f.tbl = ? AND f.id = r.id AND f.field = '*')`).get(t) as { n: number }).n;
    if (n) detail.push(`${t} 表 ${n} 条`);
    missing += n;
  }
  add('每条记录都有时钟', missing === 0, missing === 0 ? '每条记录都有字段时钟（用于按时间先后合并）' : `以下记录缺少时钟：${detail.join('，')}`);

  const staleHeld = (db.prepare(`SELECT COUNT(*) AS n FROM held_batches h JOIN devices d ON d.id = h.device_id WHERE h.to_seq <= d.applied_through`).get() as { n: number }).n;
  add('暂存批次', staleHeld === 0, staleHeld === 0 ? '没有已导入却仍暂存的批次' : `${staleHeld} 个暂存批次已导入却未清理`);

  const badStatus = (db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE status NOT IN ('accepted','handedUp','returned','decided','delivered','archived','withdrawn','refusedIntake')`).get() as { n: number }).n;
  add('代办件状态有效', badStatus === 0, badStatus === 0 ? '所有代办件状态有效' : `有 ${badStatus} 件代办件状态无效`);

  return { ok: checks.every((c) => c.ok), checks };
}
