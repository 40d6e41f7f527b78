// Village sync operations shared by the API (renderer), the CLI and the background loop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Register } from '../../db/register';
import { getPoint } from '../../db/point';
import { AppError } from '../../domain/errors';
import type { EnrolResult, ExportResult, ReplyResult, SyncRunResult, SyncStatus } from '../../domain/syncRecords';
import * as client from './client';
import { fingerprint, generateKeyPair } from '../wire/keys';
import { newNonce, verifyCountyProof } from '../wire/countyProof';
import { applyParsedReply, applyReply, nextRecordsFrom, parseReply, type ReplyApplied } from './reply';
import {
  applyEnrolmentPackage,
  buildBatch,
  buildPoll,
  getEnrolment,
  getSyncState,
  batchLimit,
  maxOwnSeq,
  noteBatchResult,
  retiredDevices,
  openConflictCount,
  recentDownstream,
  requireEnrolment,
  setSyncState,
  waitingCount,
} from './state';

/** In-memory state of sync for one data folder (what the status bar shows while the program runs). */
type Runtime = {
  online: boolean | null;
  checkedAt: string | null;
  progress: { done: number; total: number; phase?: 'upload' | 'download' } | null;
  running: Promise<SyncRunResult> | null;
  nextAttemptAt: string | null;
};

const runtimes = new Map<string, Runtime>();

export function runtimeFor(dataDir: string): Runtime {
  let r = runtimes.get(dataDir);
  if (!r) {
    r = { online: null, checkedAt: null, progress: null, running: null, nextAttemptAt: null };
    runtimes.set(dataDir, r);
  }
  return r;
}

export function normaliseCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export function normaliseUrl(url: string): string {
  const u = url.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/i.test(u)) throw new AppError('invalid_input', '县级服务地址应以 http:// 或 https:// 开头');
  return u;
}

export async function enrolByCode(reg: Register, url: string, code: string): Promise<EnrolResult> {
  const base = normaliseUrl(url);
  const point = getPoint(reg);
  if (!point) throw new AppError('not_initialized', '请先完成代办点的首次设置（区划代码、代办员），再登记到县里');
  const keys = generateKeyPair();
  const bytes = await client.enrol(base, {
    code: normaliseCode(code),
    point: point.villageCode,
    device: reg.deviceId,
    publicKey: keys.publicKey,
    deviceName: os.hostname().slice(0, 60),
  });
  const r = applyEnrolmentPackage(reg, bytes, { method: 'code', keys, url: base });
  const rt = runtimeFor(reg.dataDir);
  rt.online = true;
  rt.checkedAt = reg.nowIso();
  return r;
}

const MAX_FILE = 64 * 1024 * 1024;

function readInputFile(p: string, what: string): Buffer {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new AppError('not_found', `找不到${what}：${p}`);
  }
  if (!st.isFile()) throw new AppError('invalid_input', `${p} 不是文件`);
  if (st.size > MAX_FILE) throw new AppError('invalid_input', `${what}过大（${Math.round(st.size / 1024 / 1024)} MB），不像是代办通的文件`);
  return fs.readFileSync(p);
}

export function enrolByFile(reg: Register, file: string, url = ''): EnrolResult {
  const bytes = readInputFile(file, '登记文件');
  return applyEnrolmentPackage(reg, bytes, { method: 'file', keys: generateKeyPair(), url: url ? normaliseUrl(url) : '' });
}

export function setCountyUrl(reg: Register, url: string): void {
  requireEnrolment(reg);
  reg.db.prepare(`UPDATE sync_enrolment SET county_url = ? WHERE id = 1`).run(normaliseUrl(url));
}

/**
 * Before anything of this register leaves for `base`: the server there must sign a fresh nonce with
 * the private key of the county key pinned at enrolment (sync/wire/countyProof.ts). Nothing is cached:
 * every sync round asks again with a new nonce, so no earlier answer can be replayed.
 */
async function proveCounty(reg: Register, base: string): Promise<void> {
  const e = requireEnrolment(reg);
  const h = await client.health(base);
  const rt = runtimeFor(reg.dataDir);
  rt.online = true;
  rt.checkedAt = reg.nowIso();
  if (h.county !== e.county_code) throw new AppError('refused', `这个地址是${h.countyName}的服务，而本机登记在${e.county_name}`);
  const req = { nonce: newNonce(), county: e.county_code, point: e.point_code };
  const signature = await client.challenge(base, req);
  if (!verifyCountyProof(e.county_public_key, req, signature)) throw new client.CountyNotProven('签名与登记时记下的县级公钥不符');
}

/** A new county address is saved only after the server there proved it is this point's county. */
export async function changeCountyUrl(reg: Register, url: string): Promise<void> {
  const base = normaliseUrl(url);
  await proveCounty(reg, base);
  setCountyUrl(reg, base);
}

/** Writes a file so that a crash or a pulled USB stick leaves either the whole file or none. */
function writeFileAtomic(file: string, bytes: Buffer): void {
  const tmp = `${file}.part`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** USB: every change the county has not acknowledged, as batch files in `dir`. */
export function exportBatches(reg: Register, dir: string): ExportResult {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new AppError('not_found', `文件夹不存在：${dir}`);
  const files: ExportResult['files'] = [];
  const e = requireEnrolment(reg);
  // The devices this register was before a restore first (their rest, signed with their keys), then its own.
  const runs = [
    ...retiredDevices(reg)
      .filter((d) => d.county_code === e.county_code && d.acked_through < d.through)
      .map((d) => ({ from: d.acked_through + 1, last: d.through, as: d })),
    { from: getSyncState(reg).acked_through + 1, last: maxOwnSeq(reg), as: undefined },
  ];
  for (const run of runs) {
  let cursor = run.from;
  while (cursor <= run.last) {
    const b = buildBatch(reg, cursor, 'usb', batchLimit(), run.as);
    if (!b) break;
    const p = path.join(dir, b.fileName);
    try {
      writeFileAtomic(p, b.bytes);
    } catch (e) {
      throw new AppError('refused', `写入 ${p} 失败：${e instanceof Error ? e.message : String(e)}（U 盘是否已拔出或已满？）`);
    }
    noteBatchResult(reg, b.manifest.batchId, 'exported');
    files.push({ path: p, fromSeq: b.manifest.fromSeq, toSeq: b.manifest.toSeq, count: b.manifest.count, bytes: b.bytes.length });
    cursor = b.manifest.toSeq + 1;
  }
  }
  const changes = files.reduce((s, f) => s + f.count, 0);
  return {
    files,
    changes,
    message: files.length
      ? `已导出 ${files.length} 个同步文件，共 ${changes} 条变更。请把文件交到乡镇或县政务服务中心导入，再把县里的回执文件带回导入。`
      : '没有待同步的变更，无需导出。',
  };
}

export function importReplyFile(reg: Register, file: string): ReplyResult {
  const r = applyReply(reg, readInputFile(file, '回执文件'), 'usb');
  setSyncState(reg, { last_success_at: reg.nowIso(), last_error: null });
  return r;
}

/** Records per reply page; a slow line (or a test) asks for smaller pages with DAIBAN_SYNC_RECORDS_PAGE. */
function recordsPage(): number | undefined {
  const n = Number(process.env.DAIBAN_SYNC_RECORDS_PAGE);
  return Number.isInteger(n) && n > 0 && n <= 20_000 ? n : undefined;
}

/**
 * Polls for the signed reply, page after page while the point's records keep coming (a replacement
 * laptop downloads the whole register this way). The request for the next page leaves before this
 * page is applied, so the county builds it while the laptop writes; pages are still applied in order,
 * each with its cursor, so a cut resumes after the last page applied.
 */
export async function pollPages(reg: Register, base: string, onPage: (r: ReplyApplied, bytes: number) => void, limit?: number): Promise<ReplyApplied> {
  let pending = client.fetchReply(base, buildPoll(reg, limit));
  for (let page = 0; ; page++) {
    const bytes = await pending;
    const parsed = parseReply(reg, bytes);
    const from = page < 100_000 ? nextRecordsFrom(parsed) : undefined;
    let ahead: Promise<Buffer> | null = null;
    if (from !== undefined) {
      ahead = client.fetchReply(base, buildPoll(reg, limit, from));
      ahead.catch(() => undefined); // awaited on the next turn; if this page fails first, the round ends here
      // Let the request leave before the synchronous apply below holds the event loop.
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    }
    const r = applyParsedReply(reg, parsed, 'http');
    onPage(r, bytes.length);
    if (!ahead || !r.records?.more) return r;
    pending = ahead;
  }
}

/**
 * One full round with the county: the county proves itself, then ask first, send only what it lacks,
 * then fetch and apply the signed reply. `newUrl` is an address to use instead of the saved one; it
 * is saved once the county there has proved itself (an impostor leaves the saved address as it was).
 */
async function syncRound(reg: Register, rt: Runtime, newUrl?: string): Promise<SyncRunResult> {
  const e = requireEnrolment(reg);
  const base = newUrl ? normaliseUrl(newUrl) : e.county_url;
  if (!base) throw new AppError('refused', '尚未设置县级服务地址。没有网络时请用 U 盘导出同步文件。');
  const ackedBefore = getSyncState(reg).acked_through;
  // No poll, no batch, not even the device id goes to a server that cannot sign our nonce.
  await proveCounty(reg, base);
  if (newUrl && base !== e.county_url) setCountyUrl(reg, base);

  let uploaded = 0;
  let relayed = 0;
  let conflicts = 0;
  const applied: ReplyResult['applied'] = [];
  const warnings: string[] = [];

  // The signed reply, page after page while the point's records keep coming (a replacement laptop
  // downloads the whole register this way; each page is applied with its cursor, so a cut resumes).
  const poll = (): Promise<ReplyApplied> =>
    pollPages(
      reg,
      base,
      (r) => {
        applied.push(...r.applied);
        conflicts += r.conflicts;
        relayed += r.records?.changed ?? 0;
        for (const w of r.warnings) if (!warnings.includes(w)) warnings.push(w);
        if (r.records?.more) rt.progress = { done: r.records.done, total: r.records.total, phase: 'download' };
      },
      recordsPage(),
    );

  const send = async (): Promise<void> => {
    // What the devices this register was before a restore recorded and the county never got.
    for (const d of retiredDevices(reg)) {
      if (d.county_code !== e.county_code) continue;
      let cursor = d.acked_through + 1;
      for (let guard = 0; cursor <= d.through && guard < 100_000; guard++) {
        const b = buildBatch(reg, cursor, 'http', batchLimit(), d);
        if (!b) break;
        const ans = await client.upload(base, b.bytes);
        noteBatchResult(reg, b.manifest.batchId, ans.result);
        uploaded += ans.applied;
        cursor = b.manifest.toSeq + 1;
      }
    }
    let cursor = getSyncState(reg).acked_through + 1;
    const total = Math.max(0, maxOwnSeq(reg) - cursor + 1);
    rt.progress = total ? { done: 0, total, phase: 'upload' } : null;
    let rewound = false;
    for (let guard = 0; guard < 100_000; guard++) {
      const b = buildBatch(reg, cursor, 'http');
      if (!b) break;
      const ans = await client.upload(base, b.bytes);
      noteBatchResult(reg, b.manifest.batchId, ans.result);
      uploaded += ans.applied;
      if (rt.progress) rt.progress = { done: Math.min(rt.progress.total, rt.progress.done + b.manifest.count), total: rt.progress.total, phase: 'upload' };
      if (ans.result === 'held' && ans.appliedThrough + 1 < b.manifest.fromSeq && !rewound) {
        // The county lacks earlier changes it once acknowledged (e.g. restored from a backup): resend them.
        rewound = true;
        cursor = ans.appliedThrough + 1;
        continue;
      }
      cursor = b.manifest.toSeq + 1;
    }
    rt.progress = null;
  };

  // Ask first: an upload cut halfway last time is not sent again (the acknowledgement says how far
  // the county got), and the point's records arrive before this laptop adds to them.
  await poll();
  await send();
  let r = await poll();
  // Applying the reply can itself record changes (a county decision lands on a case); send those
  // straight back so the county sees them without waiting for the next sync.
  if (r.applied.length && waitingCount(reg) > 0) {
    await send();
    r = await poll();
  }
  const parts = [`同步完成：上传 ${uploaded} 条变更`];
  const ackedNow = getSyncState(reg).acked_through - ackedBefore;
  if (ackedNow > 0) parts.push(`县里确认 ${ackedNow} 条`);
  if (relayed) parts.push(`收到本代办点其他电脑或县里的 ${relayed} 条记录`);
  if (applied.length) parts.push(`收到 ${applied.length} 项更新`);
  if (conflicts) parts.push(`${conflicts} 处冲突待核对`);
  if (r.waiting) parts.push(`仍有 ${r.waiting} 条等待确认`);
  if (warnings.length) parts.push(warnings.join(' '));
  return { uploaded, acked: Math.max(0, ackedNow), waiting: r.waiting, applied, conflicts, message: parts.join('，') };
}

/** Runs one sync (or joins the one already running for this data folder). */
export function runSync(reg: Register, newUrl?: string): Promise<SyncRunResult> {
  const rt = runtimeFor(reg.dataDir);
  if (rt.running) return rt.running;
  setSyncState(reg, { last_attempt_at: reg.nowIso() });
  rt.running = (async () => {
    try {
      const r = await syncRound(reg, rt, newUrl);
      setSyncState(reg, { last_success_at: reg.nowIso(), last_error: null });
      return r;
    } catch (err) {
      if (err instanceof client.CountyUnreachable) {
        rt.online = false;
        rt.checkedAt = reg.nowIso();
      }
      const msg =
        err instanceof client.CountyUnreachable
          ? `${err.message}，本次同步未完成，稍后会自动重试`
          : err instanceof AppError
            ? err.message
            : '同步失败：程序内部错误，本次同步未完成';
      if (reg.db.open) setSyncState(reg, { last_error: msg });
      if (err instanceof client.CountyUnreachable) throw new client.CountyUnreachable(msg);
      if (err instanceof AppError) throw err;
      console.error('[daiban] sync 失败:', err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : 'unknown');
      throw new AppError('internal', msg);
    } finally {
      rt.running = null;
      rt.progress = null;
    }
  })();
  return rt.running;
}

export function syncStatus(reg: Register): SyncStatus {
  const e = getEnrolment(reg);
  const st = getSyncState(reg);
  const rt = runtimeFor(reg.dataDir);
  return {
    enrolled: e !== null,
    awaitingConfirmation: e !== null && !e.confirmed_at,
    countyName: e?.county_name ?? null,
    countyCode: e?.county_code ?? null,
    pointCode: e?.point_code ?? null,
    url: e?.county_url || null,
    deviceFingerprint: e ? fingerprint(e.device_public_key) : null,
    countyFingerprint: e ? fingerprint(e.county_public_key) : null,
    online: rt.online,
    checkedAt: rt.checkedAt,
    lastSuccessAt: st.last_success_at,
    lastAttemptAt: st.last_attempt_at,
    waiting: waitingCount(reg),
    lastError: st.last_error,
    running: rt.running !== null,
    progress: rt.progress,
    pointRecords: { done: st.records_done, total: st.records_total, complete: st.records_complete_at !== null },
    nextAttemptAt: rt.nextAttemptAt,
    recentDownstream: recentDownstream(reg, 20),
    conflicts: openConflictCount(reg),
  };
}
