// A village's accountability events (a full number revealed, a full export, a backup, a restore —
// op 'event' changes, issue 8) also go into the console's audit log (账号与审计), next to the county
// staff's own reveals and exports, with the agent's name and the village's time. Never a value.
import type { County } from '../db';
import { EVENT_LABELS } from '../../domain/eventLabels';
import type { BatchLine } from '../../sync/wire/protocol';

const FIELD_WORDS: Record<string, string> = { idNumber: '身份证号码', phone: '联系电话', creditCode: '统一社会信用代码' };
const BACKUP_WORDS: Record<string, string> = { manual: '手动备份', daily: '每日自动备份', preMigration: '升级前自动备份' };

function detail(action: string, data: Record<string, unknown>): string {
  if (action === 'applicant.reveal') return FIELD_WORDS[String(data.field)] ?? '';
  if (action === 'register.backup') return `${BACKUP_WORDS[String(data.kind)] ?? '备份'}${data.chosenFolder ? '，存到指定位置（如U盘）' : ''}`;
  if (action === 'register.exportFull') return `${typeof data.rows === 'number' ? `${data.rows} 条` : ''}${data.format ? ` ${String(data.format).toUpperCase()}` : ''}`.trim();
  if (action === 'register.restore') return data.safetyBackup ? '恢复前已备份原数据' : '';
  return '';
}

export function auditVillageEvent(county: County, point: string, deviceId: string, l: BatchLine): void {
  let data: Record<string, unknown> = {};
  try {
    const d: unknown = JSON.parse(l.event?.data ?? '{}');
    if (d && typeof d === 'object' && !Array.isArray(d)) data = d as Record<string, unknown>;
  } catch {
    /* detail is optional */
  }
  const db = county.db;
  const agent = l.payload.agentId ? (db.prepare(`SELECT name FROM agents WHERE id = ?`).get(l.payload.agentId) as { name: string | null } | undefined) : undefined;
  const p = db.prepare(`SELECT village_name FROM points WHERE code = ?`).get(point) as { village_name: string } | undefined;
  const what = EVENT_LABELS[l.payload.action] ?? l.payload.action;
  const more = detail(l.payload.action, data);
  const summary = `${p?.village_name ?? ''}（${point}）设备 ${deviceId.slice(0, 8)}：${what}${more ? `（${more}）` : ''}`;
  db.prepare(`INSERT INTO audit_log (at, kind, account_id, user_name, summary, ip) VALUES (?, 'village', NULL, ?, ?, '')`).run(
    l.payload.at,
    agent?.name ?? '代办点',
    summary,
  );
}
