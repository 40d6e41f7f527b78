// `daiban doctor --report FILE`: one plain-text file a village agent can copy to a USB stick for the
// county's IT — versions, the doctor's findings, sync state, the register's size and the recent
// logs. No personal data: only counts, codes, dates and the program's own log (already scrubbed),
// and the whole text is scrubbed once more before it is written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Register } from '../db/register';
import { registerPath } from '../db/dataDir';
import { runDoctor } from '../db/doctor';
import { getPoint } from '../db/point';
import { recentLogText, scrubPersonalData } from '../db/log';
import { syncStatus } from '../sync/village/engine';

function programVersion(): string {
  // cli/ in a checkout, dist-cli/ in the bundle: package.json is one folder up from both.
  try {
    const pkg = JSON.parse(fs.readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version?: string };
    return pkg.version ?? '未知';
  } catch {
    return '未知';
  }
}

function count(reg: Register, table: string): number {
  return (reg.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

export function buildDoctorReport(reg: Register, now: Date = new Date()): { text: string; ok: boolean } {
  const lines: string[] = [];
  const section = (title: string) => lines.push('', `== ${title}`);
  lines.push('代办通诊断报告（不含个人信息：只有版本、检查结果、同步状态、数量和程序日志）', `生成时间：${now.toISOString()}`);

  section('版本');
  const sqlite = (reg.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  lines.push(
    `代办通 ${programVersion()}；Node ${process.version}；SQLite ${sqlite}；数据结构版本 ${reg.schemaVersion}`,
    `系统：${os.platform()} ${os.release()} ${os.arch()}；内存 ${Math.round(os.totalmem() / 1024 ** 3)} GB`,
  );

  section('登记簿');
  const point = getPoint(reg);
  const file = registerPath(reg.dataDir);
  const bytes = ['', '-wal'].reduce((s, suf) => s + (fs.existsSync(file + suf) ? fs.statSync(file + suf).size : 0), 0);
  lines.push(
    `代办点：${point ? `${point.unitName}（${point.villageCode}）` : '尚未设置'}`,
    `文件大小：${(bytes / 1024 / 1024).toFixed(1)} MB（含 WAL）；设备：${reg.deviceId.slice(0, 8)}`,
    `代办件 ${count(reg, 'cases')}；来访 ${count(reg, 'visits')}；回访 ${count(reg, 'followups')}；历史 ${count(reg, 'events')}；同步队列 ${count(reg, 'outbox')}`,
  );

  section('数据检查');
  const doctor = runDoctor(reg);
  for (const c of doctor.checks) lines.push(`${c.ok ? '通过' : '未通过'}  ${c.name}：${c.detail}`);

  section('同步状态');
  const s = syncStatus(reg);
  lines.push(
    s.enrolled ? `已登记到 ${s.countyName ?? ''}（${s.countyCode ?? ''}），代办点 ${s.pointCode ?? ''}${s.awaitingConfirmation ? '，等待县级确认' : ''}` : '尚未登记到县级服务',
    `县级地址：${s.url ?? '无（U盘同步）'}；本机指纹 ${s.deviceFingerprint ?? '-'}；县级指纹 ${s.countyFingerprint ?? '-'}`,
    `上次成功：${s.lastSuccessAt ?? '从未'}；上次尝试：${s.lastAttemptAt ?? '从未'}；待上传变更：${s.waiting}；未处理冲突：${s.conflicts}`,
    `上次错误：${s.lastError ?? '无'}`,
  );

  section('最近日志（logs/ 文件夹，最新的在最后）');
  const logs = recentLogText(reg.dataDir);
  if (logs.length === 0) lines.push('（没有日志）');
  for (const l of logs) lines.push(`-- ${l.file}`, l.text.trimEnd());

  return { text: scrubPersonalData(lines.join('\n')) + '\n', ok: doctor.ok };
}

/** Writes the report; refuses to overwrite a file that is not an earlier report. */
export function writeDoctorReport(reg: Register, out: string): { file: string; ok: boolean } {
  const file = path.resolve(out);
  const { text, ok } = buildDoctorReport(reg);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, 'utf8');
  return { file, ok };
}
