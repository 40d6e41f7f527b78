import type { Register } from './register';
import { SYNCED_TABLES } from './changes';
import { outboxChecks } from './outboxChecks';
import { describeBrokenLink, verifyHistoryChain } from './historyChain';
import type { DoctorReport } from '../domain/records';

// Reveal events written before schema 9 had no outbox entry (since then every event has one).
const AUDIT_ACTIONS = ['applicant.reveal'];

/** Integrity and consistency checks, each explained in plain words. */
export function runDoctor(reg: Register): DoctorReport {
  const db = reg.db;
  const checks: DoctorReport['checks'] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const integrity = db.pragma('integrity_check', { simple: true });
  add('数据库文件完整性', integrity === 'ok', integrity === 'ok' ? '数据库文件完好' : `数据库文件有损坏：${String(integrity)}`);

  const fk = db.pragma('foreign_key_check') as unknown[];
  add('记录之间的关联', fk.length === 0, fk.length === 0 ? '所有关联都有效' : `有 ${fk.length} 条记录指向不存在的记录`);

  const seq = db.prepare(`SELECT COUNT(*) AS n, COALESCE(MIN(seq), 0) AS lo, COALESCE(MAX(seq), 0) AS hi FROM outbox`).get() as { n: number; lo: number; hi: number };
  const contiguous = seq.n === 0 || (seq.lo === 1 && seq.hi - seq.lo + 1 === seq.n);
  add('同步队列序号连续', contiguous, contiguous ? `共 ${seq.n} 条变更，序号 1–${seq.hi} 连续` : `同步队列序号有缺口：共 ${seq.n} 条，范围 ${seq.lo}–${seq.hi}`);

  // Events relayed from the point's other laptops (data_json.origin, sync/village/records.ts) are their changes, not this register's.
  const orphanEvents = (db
    .prepare(`SELECT COUNT(*) AS n FROM events e WHERE e.action NOT IN (${AUDIT_ACTIONS.map(() => '?').join(',')})
              AND (e.outbox_seq IS NULL OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = e.outbox_seq))
              AND json_extract(e.data_json, '$.origin') IS NULL`)
    .get(...AUDIT_ACTIONS) as { n: number }).n;
  add('每条历史都有同步记录', orphanEvents === 0, orphanEvents === 0 ? '历史记录与同步队列一一对应' : `有 ${orphanEvents} 条历史记录没有对应的同步记录`);

  const outboxWithoutEvent = (db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE seq NOT IN (SELECT outbox_seq FROM events WHERE outbox_seq IS NOT NULL)`).get() as { n: number }).n;
  add('每条同步记录都有历史', outboxWithoutEvent === 0, outboxWithoutEvent === 0 ? '同步队列中的每条变更都有历史记录' : `有 ${outboxWithoutEvent} 条同步记录缺少历史记录`);

  let missing = 0;
  const detail: string[] = [];
  for (const t of SYNCED_TABLES) {
    // Records relayed from the point's other laptops (their clocks are in sync_field_clocks) were created elsewhere.
    // A compacted insert (db/outboxCompaction.ts) no longer names its record: its history event does.
    const n = (db
      .prepare(`SELECT COUNT(*) AS n FROM ${t} r WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = ? AND o.entity_id = r.id AND o.op = 'insert')
                AND NOT EXISTS (SELECT 1 FROM sync_field_clocks k WHERE k.tbl = ? AND k.id = r.id AND k.field = '*')
                AND r.id NOT IN (SELECT e.entity_id FROM events e JOIN outbox o ON o.seq = e.outbox_seq WHERE e.entity = ? AND o.op = 'insert' AND o.entity_id IS NULL)`)
      .get(t, t, t) as { n: number }).n;
    if (n) detail.push(`${t} 表 ${n} 条`);
    missing += n;
  }
  add('每条记录都有同步记录', missing === 0, missing === 0 ? '每条记录的创建都已进入同步队列' : `以下记录没有进入同步队列：${detail.join('，')}`);

  const chain = verifyHistoryChain(db);
  add(
    '历史记录链完整（防篡改）',
    chain.ok,
    chain.broken
      ? describeBrokenLink(chain.broken, reg.deviceId)
      : `${chain.devices} 台设备的 ${chain.events} 条历史逐条首尾相扣，没有被改动${chain.unchained ? `（另有 ${chain.unchained} 条历史没有同步记录、不在链中：升级前的查看记录）` : ''}${chain.relayed ? `；另有 ${chain.relayed} 条本点其他电脑的历史由县中心转来，在其原电脑的链上，由县中心核验` : ''}`,
  );

  for (const c of outboxChecks(db, reg.deviceId)) add(c.name, c.ok, c.detail);

  const badStatus = (db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE status NOT IN ('accepted','handedUp','returned','decided','delivered','archived','withdrawn','refusedIntake')`).get() as { n: number }).n;
  add('代办件状态有效', badStatus === 0, badStatus === 0 ? '所有代办件状态有效' : `有 ${badStatus} 件代办件状态无效`);

  const noDecision = (db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE status IN ('decided','delivered','archived') AND decision_date IS NULL`).get() as { n: number }).n;
  add('办结件都有办结日期', noDecision === 0, noDecision === 0 ? '所有办结件都有办结日期' : `有 ${noDecision} 件已办结的代办件缺少办结日期`);

  return { ok: checks.every((c) => c.ok), checks };
}
