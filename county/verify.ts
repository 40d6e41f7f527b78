// `daiban county verify --point CODE` (issue 8): the county's copy of a point's history checked on its
// own, without the village. For every device of the point, every stored batch signature is verified
// again with the device's enrolled key; the signed manifest names the device's history-chain digest
// before and after the batch (db/historyChain.ts), and the chain is recomputed from the changes the
// county stored (agent, time, action, event columns) with the same function the village uses. The first
// link that does not hold is named: which device, which change, when, what, which case.
import { digestHex, historyEventDigest, chinaMinute, type HistoryLink } from '../db/historyChain';
import { EVENT_LABELS } from '../domain/eventLabels';
import { verifyBytes } from '../sync/wire/keys';
import { batchManifest, type BatchManifest } from '../sync/wire/protocol';
import type { County } from './db';
import { countyDigestAt } from './import/apply';

type ChangeRow = {
  device_id: string;
  seq: number;
  change_id: string;
  hlc: string;
  entity: string;
  entity_id: string;
  op: string;
  action: string;
  agent_id: string | null;
  at: string | null;
  note: string | null;
  event_id: string | null;
  case_id: string | null;
  data: string | null;
  digest: Buffer | null;
  batch_id: string | null;
};

type BatchRow = { batch_id: string; device_id: string; from_seq: number; to_seq: number; signed: Buffer; signature: string };

export type PointHistoryVerdict = {
  ok: boolean;
  point: string;
  devices: number;
  batches: number;
  /** Changes a verified batch signature vouches for. */
  verified: number;
  /** Changes imported before the county kept signatures (schema 6): nothing left to check them against. */
  unverifiable: number;
  /** The first broken link, in plain words; null when every link holds. */
  broken: string | null;
};

function linkOfRow(r: ChangeRow): HistoryLink {
  return {
    device: r.device_id,
    seq: r.seq,
    changeId: r.change_id,
    hlc: r.hlc,
    op: r.op,
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    agentId: r.agent_id,
    at: r.at ?? '',
    note: r.note ?? '',
    eventId: r.event_id ?? '',
    caseId: r.case_id,
    data: r.data ?? '',
  };
}

/** The signed manifest of a stored batch, when its signature still verifies with the device's key. */
function signedManifest(b: BatchRow, publicKey: string): BatchManifest | null {
  const canonical = /^[A-Za-z0-9+/]{86}==$/.test(b.signature);
  if (!canonical || !verifyBytes(publicKey, b.signed, b.signature)) return null;
  const text = b.signed.toString('utf8');
  const lines = text.split('\n');
  if (lines.length !== 3 || lines[2] !== '' || !/^DAIBANTONG BATCH \d+$/.test(lines[0])) return null;
  try {
    const r = batchManifest.safeParse(JSON.parse(lines[1]));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function verifyPointHistory(county: County, point: string): PointHistoryVerdict {
  const db = county.db;
  const devices = db.prepare(`SELECT id, name, public_key FROM devices WHERE point_code = ? ORDER BY enrolled_at, id`).all(point) as {
    id: string;
    name: string;
    public_key: string;
  }[];
  const verdict: PointHistoryVerdict = { ok: true, point, devices: devices.length, batches: 0, verified: 0, unverifiable: 0, broken: null };
  const agentName = db.prepare(`SELECT name FROM agents WHERE id = ?`);
  const caseNo = db.prepare(`SELECT case_no FROM cases WHERE id = ?`);
  const rangeRows = db.prepare(`SELECT * FROM changes WHERE device_id = ? AND seq BETWEEN ? AND ? ORDER BY seq`);

  const deviceLabel = (d: { id: string; name: string }) => `设备 ${d.id.slice(0, 8)}${d.name ? `（${d.name}）` : ''}`;
  const describe = (d: { id: string; name: string }, r: ChangeRow) => {
    const no = r.case_id ? (caseNo.get(r.case_id) as { case_no: string } | undefined)?.case_no : r.entity === 'cases' ? (caseNo.get(r.entity_id) as { case_no: string } | undefined)?.case_no : undefined;
    const who = r.agent_id ? (agentName.get(r.agent_id) as { name: string } | undefined)?.name : undefined;
    const parts = [r.at ? chinaMinute(r.at) : '时间未知', EVENT_LABELS[r.action] ?? r.action, no ? `件号 ${no}` : '', who ? `代办员 ${who}` : ''].filter(Boolean);
    return `${deviceLabel(d)}的第 ${r.seq} 条变更（${parts.join('，')}）`;
  };
  const fail = (text: string) => {
    verdict.ok = false;
    verdict.broken = `第一处断链：${text}`;
  };

  for (const d of devices) {
    const batches = db.prepare(`SELECT batch_id, device_id, from_seq, to_seq, signed, signature FROM batch_signatures WHERE device_id = ? ORDER BY from_seq, received_at`).all(d.id) as BatchRow[];
    verdict.batches += batches.length;
    const vouchedBy = new Set<string>();
    for (const b of batches) {
      const m = signedManifest(b, d.public_key);
      if (!m || m.device !== d.id || m.fromSeq !== b.from_seq || m.toSeq !== b.to_seq || m.batchId !== b.batch_id) {
        fail(`${deviceLabel(d)}第 ${b.from_seq}–${b.to_seq} 条变更的批次签名验证失败：县里保存的批次清单被改动过，或不是该设备签发的`);
        return verdict;
      }
      vouchedBy.add(b.batch_id);
      const rows = rangeRows.all(d.id, b.from_seq, b.to_seq) as ChangeRow[];
      let prev = m.historyPrev !== undefined ? (m.historyPrev ? Buffer.from(m.historyPrev, 'hex') : null) : countyDigestAt(county, d.id, b.from_seq - 1);
      let expect = b.from_seq;
      // Part of the range imported before the county kept the history (schema 6): the chain can't be recomputed.
      const legacy = rows.some((r) => r.digest === null);
      for (const r of rows) {
        if (r.seq !== expect) {
          fail(`${deviceLabel(d)}的第 ${expect} 条变更在县里缺失（批次签名担保第 ${b.from_seq}–${b.to_seq} 条）`);
          return verdict;
        }
        expect++;
        const digest = historyEventDigest(linkOfRow(r), prev);
        if (r.digest && !digest.equals(r.digest)) {
          fail(`${describe(d, r)}：县里保存的内容与历史链摘要不符，这条记录被改动过`);
          return verdict;
        }
        prev = digest;
      }
      if (expect !== b.to_seq + 1) {
        fail(`${deviceLabel(d)}的第 ${expect} 条变更在县里缺失（批次签名担保第 ${b.from_seq}–${b.to_seq} 条）`);
        return verdict;
      }
      if (!legacy && m.historyHead !== undefined && digestHex(prev) !== m.historyHead) {
        fail(`${deviceLabel(d)}第 ${b.from_seq}–${b.to_seq} 条变更重新计算的历史链与设备签名的链头不符：这一批中有记录被改动过（连同摘要）`);
        return verdict;
      }
    }
    for (const r of db.prepare(`SELECT * FROM changes WHERE device_id = ? ORDER BY seq`).iterate(d.id) as IterableIterator<ChangeRow>) {
      if (r.batch_id === null && r.digest === null) {
        verdict.unverifiable++;
        continue;
      }
      if (r.batch_id === null || !vouchedBy.has(r.batch_id)) {
        fail(`${describe(d, r)}：没有为它担保的批次签名（签名记录缺失或被删除）`);
        return verdict;
      }
      verdict.verified++;
    }
  }
  return verdict;
}

/** The lines `county verify` prints. */
export function describeVerdict(v: PointHistoryVerdict): string[] {
  const out = [`代办点 ${v.point}：${v.devices} 台设备，${v.batches} 个批次签名，${v.verified} 条变更经签名核对`];
  if (v.unverifiable) out.push(`另有 ${v.unverifiable} 条变更是县级系统升级前导入的，没有保存签名，无法核对`);
  out.push(v.broken ?? '历史记录链完整：每条变更都与设备签名的批次一致，没有被改动');
  return out;
}
