// The village register's commands: init, seed-demo, backup, restore, doctor, export, calendar.
// Messages are plain Chinese; personal data (ID numbers, phones) is never printed.
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ZodError } from 'zod';
import { CliError, keyOptions, openCli, printRecoveryNotice, type CliEnv, type KeyOptions } from './common';
import { writeDoctorReport } from './doctorReport';
import { Vault } from '../db/vault';
import { isPlainSqliteFile, type Db } from '../db/connection';
import { pinProblem } from '../domain/pin';
import { AppError } from '../domain/errors';
import { Register } from '../db/register';
import { openDatabase } from '../db/connection';
import { backupsDir, registerPath, resolveDataDir } from '../db/dataDir';
import { getPoint } from '../db/point';
import { backupTo, restoreFrom } from '../db/backup';
import { runDoctor } from '../db/doctor';
import { DEMO_SETUP, seedDemo } from '../db/seed';
import { EXPORT_FORMATS, EXPORT_WHATS, exportRegister, type ExportFormat, type ExportWhat } from '../db/export';
import { parsePhone } from '../domain/phone';
import { CASE_STATUSES, type CaseStatus } from '../domain/caseStatus';
import { createWorkCalendar, isCalendarDate, MAX_WORKDAYS, type HolidayTable, type WorkCalendar } from '../domain/workCalendar';
import { loadBundledHolidayTables } from '../domain/bundledData';
import { ESTIMATE_NOTE } from '../domain/calendarEstimate';
import { statutoryRestDays } from '../domain/statutoryHolidays';
import { adoptRestoredRegister, checkRestoreCandidate } from '../sync/village/devices';

const DATA_DIR_HELP = '数据文件夹（默认：环境变量 DAIBAN_DATA_DIR，否则系统的用户数据文件夹）';
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** Turns errors a user can fix into CliError; anything else propagates unchanged. */
function userError(e: unknown): never {
  if (e instanceof CliError) throw e;
  if (e instanceof AppError) throw new CliError(e.message, 1);
  if (e instanceof ZodError) {
    const issue = e.issues[0];
    const msg = issue && /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : `输入不正确（${issue?.path.join('.') ?? ''}）`;
    throw new CliError(msg, 2);
  }
  throw e;
}

async function withRegister<T>(o: KeyOptions, command: string, fn: (env: CliEnv) => Promise<T>): Promise<T | undefined> {
  const env = await openCli(o.dataDir, o, command);
  try {
    if (!env.ctx.isOpen) throw new CliError('代办点尚未设置：请先运行 daiban init（或启动代办通完成首次设置）', 1);
    return await fn(env);
  } catch (e) {
    userError(e);
  } finally {
    if (env.ctx.isOpen) env.ctx.reg.close();
  }
}

function checkDate(s: string | undefined, label = '日期'): string {
  if (!s) throw new CliError(`请提供${label}，格式为 年-月-日（如 2026-01-05）`);
  const t = s.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t) || !isCalendarDate(t)) {
    throw new CliError(`${label}“${s.slice(0, 30)}”不正确：应为真实存在的日期，格式为 年-月-日（如 2026-01-05）`);
  }
  return t;
}

function checkInt(s: string | undefined, label: string, min: number, max: number, example: string): number {
  if (s === undefined || !/^\s*\d+\s*$/.test(s)) throw new CliError(`${label}应为整数，例如 ${example}（您输入的是“${String(s ?? '').slice(0, 20)}”）`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliError(`${label}应在 ${min} 到 ${max} 之间（您输入的是 ${s.trim()}）`);
  return n;
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/**
 * The agent a record-changing command acts as (the history needs a name): the named active
 * agent, or the first active one on the roster.
 */
export function actingAgent(reg: Register, name?: string): { id: string; name: string } {
  const rows = reg.db.prepare(`SELECT id, name FROM agents WHERE active = 1 ORDER BY created_at, id`).all() as { id: string; name: string }[];
  if (!rows.length) throw new CliError('没有在岗的代办员：请先用 daiban init 完成代办点设置（--agent 姓名:手机:PIN）', 1);
  if (!name) return rows[0];
  const found = rows.find((r) => r.name === name.trim());
  if (!found) throw new CliError(`没有名为“${name}”的在岗代办员（在岗：${rows.map((r) => r.name).join('、')}）`, 2);
  return found;
}

// ---------------------------------------------------------------- init

type InitOpts = {
  dataDir?: string;
  villageCode?: string;
  villageName?: string;
  township?: string;
  county?: string;
  agent: string[];
  consultPhone?: string;
  complaintPhone?: string;
};

function parseAgentSpec(spec: string): { name: string; phone: string; pin: string } {
  const parts = spec.split(/[:：]/);
  const usage = '--agent 的格式应为 姓名:手机:PIN，例如 --agent 王秀兰:13904781234:135246（没有手机可留空：王秀兰::135246；PIN 至少 6 位数字）';
  if (parts.length < 3) throw new CliError(usage);
  const name = parts[0].trim();
  const phone = parts[1].trim();
  const pin = parts.slice(2).join(':').trim();
  if (!name) throw new CliError(`代办员姓名不能为空。${usage}`);
  if (phone) {
    const p = parsePhone(phone);
    if (!p.ok) throw new CliError(`代办员“${name}”的电话不正确：${p.error}`);
  }
  const problem = pinProblem(pin);
  if (problem) throw new CliError(`代办员“${name}”的 PIN 不符合要求：${problem}`);
  return { name, phone: phone ? (parsePhone(phone) as { ok: true; value: { phone: string } }).value.phone : '', pin };
}

async function initCommand(o: InitOpts): Promise<void> {
  const setupFields: [keyof InitOpts, string][] = [
    ['villageCode', '--village-code（村级12位统计用区划代码）'],
    ['villageName', '--village-name（村名）'],
    ['township', '--township（乡镇名）'],
    ['county', '--county（县名）'],
  ];
  const wantsSetup = setupFields.some(([k]) => o[k] !== undefined) || o.agent.length > 0;
  if (wantsSetup) {
    const missing = setupFields.filter(([k]) => o[k] === undefined).map(([, label]) => label);
    if (!o.agent.length) missing.push('--agent 姓名:手机:PIN（至少一名代办员）');
    if (missing.length) throw new CliError(`设置代办点还缺少：${missing.join('、')}`);
  }
  const agents = o.agent.map(parseAgentSpec);
  const dataDir = resolveDataDir(o.dataDir);
  const state = new Vault({ dataDir }).state();
  if (state === 'encrypted') {
    const k = new Vault({ dataDir }).keyring();
    if (wantsSetup) throw new CliError(`代办点已经设置过了（${k.point?.unitName ?? ''}），不能重复设置`, 1);
    console.log(`登记簿：${registerPath(dataDir)}（已加密）`);
    console.log(`代办点已设置：${k.point?.unitName ?? ''}`);
    return;
  }
  const env = await openCli(o.dataDir, {}, 'init');
  try {
    if (state === 'plain') {
      const existing = getPoint(env.reg);
      console.log(`登记簿：${registerPath(dataDir)}（数据结构版本 ${env.reg.schemaVersion}，尚未加密：代办员下次登录时自动加密）`);
      if (wantsSetup && existing) throw new CliError(`代办点已经设置过了（${existing.unitName}），不能重复设置`, 1);
      if (!wantsSetup) {
        console.log(existing ? `代办点已设置：${existing.unitName}` : '代办点尚未设置。');
        return;
      }
    } else if (!wantsSetup) {
      console.log(`登记簿：${registerPath(dataDir)}`);
      console.log('代办点尚未设置：首次启动代办通时会引导填写村名、区划代码和代办员。也可以用 daiban init --village-code … --agent 姓名:手机:PIN 在这里设置。');
      return;
    }
    const state2 = await env.api.setupPoint({
      villageCode: o.villageCode!,
      villageName: o.villageName!,
      townshipName: o.township!,
      countyName: o.county!,
      consultPhone: o.consultPhone ?? '',
      complaintPhone: o.complaintPhone ?? '',
      agents,
    });
    console.log(`已设置代办点：${state2.point!.unitName}（区划代码 ${state2.point!.villageCode}）`);
    console.log(`代办员：${state2.agents.map((a) => a.name).join('、')}`);
    console.log(`登记簿：${registerPath(dataDir)}（${state2.encrypted ? '已加密' : '未加密'}，数据结构版本 ${state2.schemaVersion}）`);
    for (const w of state2.calendarWarnings) console.log(`注意：${w}`);
    if (state2.recovery) printRecoveryNotice(state2.recovery);
  } catch (e) {
    userError(e);
  } finally {
    if (env.ctx.isOpen) env.ctx.reg.close();
  }
}

// ---------------------------------------------------------------- calendar

/** The calendar in force for this register (its holiday tables), or the bundled one when there is no register yet. */
function loadCalendar(dataDir: string): WorkCalendar {
  const file = registerPath(dataDir);
  let tables: HolidayTable[] = [];
  // An encrypted register cannot be read without a PIN; the bundled official tables answer instead.
  if (fs.existsSync(file) && isPlainSqliteFile(file)) {
    const db = openDatabase(file, { readonly: true });
    try {
      const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'holiday_tables'`).get();
      if (has) {
        const rows = db.prepare(`SELECT year, source, off_json, work_json FROM holiday_tables ORDER BY year`).all() as {
          year: number;
          source: string;
          off_json: string;
          work_json: string;
        }[];
        tables = rows.map((r) => ({ year: r.year, source: r.source, off: JSON.parse(r.off_json), work: JSON.parse(r.work_json) }));
      }
    } finally {
      db.close();
    }
  }
  return createWorkCalendar(tables.length ? tables : loadBundledHolidayTables());
}

const weekday = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];

function missingNote(years: number[]): string {
  const ys = years.map((y) => `${y}年`).join('、');
  return `注意：${ys}的节假日安排尚未发布（或尚未收到县里下发的日历），暂${ESTIMATE_NOTE}；收到正式安排后以正式安排为准。`;
}

function isWorkdayCommand(dateArg: string | undefined, o: { dataDir?: string }): void {
  const date = checkDate(dateArg);
  const cal = loadCalendar(resolveDataDir(o.dataDir));
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = day === 0 || day === 6;
  const work = cal.isWorkday(date);
  const year = Number(date.slice(0, 4));
  // In a year without a table, name the statutory day the estimate counted (元旦, 春节 …).
  const statutory = cal.hasTable(year) ? undefined : statutoryRestDays(year).find((h) => h.date === date)?.name;
  const why = work ? (weekend ? '（调休上班）' : '') : statutory ? `（${statutory}，法定节假日）` : weekend ? '（周末）' : '（法定节假日）';
  console.log(`${date}（${weekday(date)}）：${work ? '工作日' : '休息日'}${why}`);
  if (!cal.hasTable(year)) console.log(missingNote([year]));
}

function addCommand(dateArg: string | undefined, nArg: string | undefined, o: { dataDir?: string }): void {
  const date = checkDate(dateArg);
  const n = checkInt(nArg, '工作日天数', 0, MAX_WORKDAYS, '30');
  const cal = loadCalendar(resolveDataDir(o.dataDir));
  const r = cal.addWorkdays(date, n);
  console.log(`${date} 之后第 ${n} 个工作日：${r.date}（${weekday(r.date)}）`);
  if (r.estimated) console.log(missingNote(cal.missingYears(Number(date.slice(0, 4)), Number(r.date.slice(0, 4)))));
}

// ---------------------------------------------------------------- restore

/** Restores into this data folder: the current register (opened with --pin-stdin/--recovery-stdin), or a new laptop's empty folder. */
async function restoreCommand(src: string, o: KeyOptions & { servesPoint?: string }): Promise<void> {
  const dataDir = resolveDataDir(o.dataDir);
  const vault = new Vault({ dataDir });
  const fresh = vault.state() === 'fresh';
  // On a new laptop the secret is the backup's: an agent's PIN of that point, or its recovery code.
  const secret = fresh && (o.pinStdin || o.recoveryStdin) ? fs.readFileSync(0, 'utf8').split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '' : '';
  if (fresh && !secret) {
    throw new CliError('在这台电脑上恢复加密的备份，需要备份时任一代办员的 PIN 或恢复码：\n  echo PIN | daiban restore 备份文件 --yes --pin-stdin\n  echo 恢复码 | daiban restore 备份文件 --yes --recovery-stdin', 2);
  }
  let identity = '';
  // Another point's backup is refused unless --serves-point confirms it; the restored register is a new device.
  const deviceSteps = (current: string | null) => ({
    check: (c: Db) => checkRestoreCandidate(current, c, o.servesPoint),
    afterRestore: (restored: Register) => (identity = adoptRestoredRegister(restored).message),
  });
  const report = async (reg: Register, safetyBackup: string | null) => {
    const n = (reg.db.prepare(`SELECT COUNT(*) AS n FROM cases`).get() as { n: number }).n;
    const point = getPoint(reg);
    console.log(`已从备份恢复：${src}`);
    console.log(`恢复后：${point ? point.unitName : '代办点尚未设置'}，代办件 ${n} 件（数据结构版本 ${reg.schemaVersion}${reg.encrypted ? '，已加密' : ''}）`);
    if (safetyBackup) console.log(`恢复前的数据已备份到：${safetyBackup}`);
    if (identity) console.log(identity);
  };
  if (fresh) {
    try {
      const r = await restoreFrom(null, src, {
        vault,
        dataDir,
        secret: o.recoveryStdin ? { recoveryCode: secret } : { pin: secret },
        ...deviceSteps(null),
      });
      try {
        await report(r.reg, null);
      } finally {
        r.reg.close();
      }
    } catch (e) {
      userError(e);
    }
    return;
  }
  await withRegister(o, 'restore', async ({ reg, ctx, secret: s }) => {
    const r = await restoreFrom(reg, src, {
      vault,
      agentId: ctx.session.agentId,
      secret: s ? (o.recoveryStdin ? { recoveryCode: s } : { pin: s }) : {},
      ...deviceSteps(getPoint(reg)?.villageCode ?? null),
    });
    ctx.setRegister(r.reg);
    await report(r.reg, r.safetyBackup);
  });
}

// ---------------------------------------------------------------- registration

export function registerCommands(program: Command): void {
  program.command('init')
    .description('创建（或升级）登记簿；给出村和代办员信息时同时完成代办点设置')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--village-code <code>', '村级12位统计用区划代码，如 150822101201')
    .option('--village-name <name>', '村（嘎查、社区）名称')
    .option('--township <name>', '乡镇（苏木）名称')
    .option('--county <name>', '县（旗、区）名称')
    .option('--agent <姓名:手机:PIN>', '代办员（可重复）', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--consult-phone <phone>', '咨询电话')
    .option('--complaint-phone <phone>', '投诉电话')
    .action(async (o: InitOpts) => initCommand(o));

  keyOptions(program.command('seed-demo'), false)
    .description('生成逼真的演示台账（合成数据，不含真实个人信息）；登记簿已加密时需要 --pin-stdin 或 --recovery-stdin')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--cases <n>', '代办件数量', '200')
    .option('--years <n>', '受理日期跨越的年数', '3')
    .option('--seed <n>', '随机种子（相同种子生成相同内容）')
    .option('--agent <name>', '只以这位代办员的名义登记（默认：值班表上的全部代办员）；也是 --pin-stdin 的代办员')
    .action(async (o: KeyOptions & { dataDir?: string; cases: string; years: string; seed?: string; agent?: string }) => {
      const cases = checkInt(o.cases, '--cases（代办件数量）', 1, 2_000_000, '200');
      const years = checkInt(o.years, '--years（年数）', 1, 30, '3');
      const seed = o.seed === undefined ? undefined : checkInt(o.seed, '--seed（随机种子）', 0, 2 ** 32 - 1, '42');
      const dataDir = resolveDataDir(o.dataDir);
      if (new Vault({ dataDir }).state() === 'fresh') {
        // A new folder: the demo point is set up the way the app does it (encrypted, with a recovery code).
        const env = await openCli(o.dataDir, {}, 'seed-demo');
        try {
          const st = await env.api.setupPoint(DEMO_SETUP);
          console.log(
            `已按演示代办点设置：${DEMO_SETUP.countyName}${DEMO_SETUP.townshipName}${DEMO_SETUP.villageName}（区划代码 ${DEMO_SETUP.villageCode}），` +
              `代办员 ${DEMO_SETUP.agents.map((a) => `${a.name}（PIN ${a.pin}）`).join('、')}`,
          );
          if (st.recovery) printRecoveryNotice(st.recovery);
          await seedWith(env.reg);
        } catch (e) {
          userError(e);
        } finally {
          if (env.ctx.isOpen) env.ctx.reg.close();
        }
        return;
      }
      await withRegister(o, 'seed-demo', async ({ reg }) => seedWith(reg));
      async function seedWith(reg: Register) {
        if (o.agent && getPoint(reg)) actingAgent(reg, o.agent);
        console.log(`正在生成 ${cases} 件演示代办件（${years} 年）…`);
        let shown = 0;
        const r = await seedDemo(reg, {
          cases,
          years,
          seed,
          agentName: o.agent,
          onProgress: (done, total) => {
            const pct = Math.floor((done / total) * 10);
            if (total >= 20_000 && pct > shown) {
              shown = pct;
              console.log(`  已完成 ${pct * 10}%`);
            }
          },
        });
        if (r.pointCreated) {
          console.log(
            `代办点尚未设置，已按演示代办点设置：${DEMO_SETUP.countyName}${DEMO_SETUP.townshipName}${DEMO_SETUP.villageName}（区划代码 ${DEMO_SETUP.villageCode}），` +
              `代办员 ${DEMO_SETUP.agents.map((a) => `${a.name}（PIN ${a.pin}）`).join('、')}`,
          );
        }
        const status = Object.entries(r.byStatus)
          .map(([s, n]) => `${CASE_STATUSES[s as CaseStatus] ?? s} ${n}`)
          .join('，');
        console.log(`已生成：代办件 ${r.cases} 件（受理日期 ${r.from} 至 ${r.to}），新申请人 ${r.applicantsCreated} 人，来访登记 ${r.visits} 条，回访 ${r.followups} 次，差评整改 ${r.rectifications} 件`);
        console.log(`登记簿现有代办件：${status}`);
        console.log(`共写入 ${r.changes} 条变更（每条都有历史记录和同步记录），用时 ${(r.ms / 1000).toFixed(1)} 秒`);
      }
    });

  keyOptions(program.command('backup'))
    .description('备份登记簿（加密的一致副本，可在程序运行时进行；写完后打开校验）')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--out <dir>', '备份到这个已存在的文件夹，如U盘（默认：数据文件夹下的 backups）')
    .action(async (o: KeyOptions & { out?: string }) => {
      await withRegister(o, 'backup', async ({ reg, dataDir, ctx }) => {
        const dir = o.out ? path.resolve(o.out) : backupsDir(dataDir);
        if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new CliError(`--out 应为文件夹：${dir} 是一个文件`);
        const info = await backupTo(reg, dir, '手动-', { createDir: !o.out, agentId: ctx.session.agentId });
        console.log(`已备份到：${info.path}（${formatBytes(info.bytes)}，已校验）`);
        if (reg.encrypted) console.log(`备份已加密；它的密钥文件在旁边：${path.basename(info.path)}.keys.json（恢复时需要一起复制）`);
      });
    });

  keyOptions(program.command('restore'))
    .description('用备份文件替换登记簿（替换前自动备份当前数据；需要 --yes 确认）。在另一台电脑上恢复时，用备份时任一代办员的 PIN 或恢复码')
    .argument('[file]', '备份文件（.sqlite）')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--yes', '确认替换当前登记簿')
    .option('--serves-point <code>', '恢复另一个代办点的备份时，确认本机今后为该代办点（12位区划代码）服务')
    .action(async (file: string | undefined, o: KeyOptions & { yes?: boolean; servesPoint?: string }) => {
      if (!file) throw new CliError('请指定要恢复的备份文件，例如：daiban restore 代办通备份-20261120-093000.sqlite --yes');
      const src = path.resolve(file);
      if (!fs.existsSync(src)) throw new CliError(`找不到备份文件：${src}`, 1);
      if (!fs.statSync(src).isFile()) throw new CliError(`${src} 不是文件`, 1);
      if (!o.yes) {
        throw new CliError(
          '恢复会用备份文件替换当前登记簿中的全部数据（替换前会先自动备份当前数据）。\n确认要恢复，请在命令末尾加上 --yes 再运行一次。',
          2,
        );
      }
      await restoreCommand(src, o);
    });

  keyOptions(program.command('doctor'))
    .description('检查登记簿的完整性和一致性；有问题时退出码为 1')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--report <file>', '另外把版本、检查结果、同步状态和最近日志写成一个诊断文件（不含个人信息），可拷到U盘交给县里技术人员')
    .action(async (o: KeyOptions & { report?: string }) => {
      await withRegister(o, 'doctor', async ({ reg, dataDir }) => {
        if (o.report) {
          const r = writeDoctorReport(reg, o.report);
          console.log(`诊断文件已写入：${r.file}`);
        }
        console.log(`检查登记簿：${registerPath(dataDir)}`);
        const report = runDoctor(reg);
        for (const c of report.checks) console.log(`${c.ok ? '✔ 通过' : '✘ 未通过'}  ${c.name}：${c.detail}`);
        if (report.ok) console.log('数据检查通过。');
        else {
          console.log('数据检查发现问题。请先备份（daiban backup），再联系技术支持。');
          process.exitCode = 1;
        }
      });
    });

  keyOptions(program.command('export'))
    .description('导出台账为 CSV（Excel 可直接打开）或 JSON；身份证号码和电话默认遮蔽')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--format <format>', '格式：csv 或 json')
    .option('--out <file>', '导出到这个文件')
    .option('--what <what>', '导出内容：cases（代办件）、visits（来访登记）、followups（回访记录）', 'cases')
    .option('--from <date>', '起始日期（含）')
    .option('--to <date>', '截止日期（含）')
    .option('--full', '导出完整的身份证号码和电话（请妥善保管导出文件）')
    .action(async (o: KeyOptions & { format?: string; out?: string; what: string; from?: string; to?: string; full?: boolean }) => {
      if (!o.format) throw new CliError('请用 --format 指定导出格式：csv 或 json');
      const format = o.format.trim().toLowerCase();
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`未知的导出格式“${o.format.slice(0, 20)}”：可选 csv 或 json`);
      if (!Object.prototype.hasOwnProperty.call(EXPORT_WHATS, o.what)) {
        throw new CliError(`未知的导出内容“${o.what.slice(0, 20)}”：可选 cases（代办件）、visits（来访登记）、followups（回访记录）`);
      }
      if (!o.out) throw new CliError('请用 --out 指定导出文件，例如 --out 台账.csv');
      const from = o.from === undefined ? undefined : checkDate(o.from, '起始日期');
      const to = o.to === undefined ? undefined : checkDate(o.to, '截止日期');
      if (from && to && from > to) throw new CliError('起始日期不能晚于截止日期');
      const what = o.what as ExportWhat;
      await withRegister(o, 'export', async ({ reg, ctx }) => {
        let r;
        try {
          r = exportRegister(reg, { what, format: format as ExportFormat, out: o.out!, full: o.full === true, from, to, agentId: ctx.session.agentId });
        } catch (e) {
          if (e instanceof Error && /[\u4e00-\u9fff]/.test(e.message)) throw new CliError(e.message, 1);
          if (e instanceof Error && 'code' in e) throw new CliError(`无法写入导出文件：${o.out}（${String((e as NodeJS.ErrnoException).code)}）`, 1);
          throw e;
        }
        console.log(`已导出 ${r.rows} 条${EXPORT_WHATS[what]}到：${r.file}（${formatBytes(r.bytes)}）`);
        if (o.full) console.log('注意：导出文件包含完整的身份证号码和电话，请妥善保管，用完及时删除。');
        else if (what !== 'followups') console.log('身份证号码和电话已遮蔽；确需完整号码时加 --full。');
      });
    });

  const calendar = program.command('calendar').description('工作日计算（按国务院节假日安排，含调休）');
  calendar.command('is-workday')
    .description('某天是工作日还是休息日')
    .argument('[date]', '日期，如 2026-01-04')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action((date: string | undefined, o: { dataDir?: string }) => isWorkdayCommand(date, o));
  calendar.command('add')
    .description('某天之后第 N 个工作日（受理当天不计，民法典第二百零一条）')
    .argument('[date]', '起始日期，如 2026-09-30')
    .argument('[n]', '工作日天数，如 30')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action((date: string | undefined, n: string | undefined, o: { dataDir?: string }) => addCommand(date, n, o));
}
