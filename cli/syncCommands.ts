// county …, enrol, sync, batch … (issue: 同步). County commands take the county's data folder as
// --data-dir (or DAIBAN_COUNTY_DIR); village commands take the village register's.
import { appLog } from '../db/log';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, keyOptions, openCli, type KeyOptions } from './common';
import { County, resolveCountyDir } from '../county/db';
import { buildEnrolPackage, createTicket, revokeDevice, upsertPoint } from '../county/enrol';
import { importBatch } from '../county/importer';
import { buildReply } from '../county/reply';
import { DECISION_WORDS, decideCase, initCounty, publishCatalog, publishHolidays } from '../county/publish';
import { countyDoctor, countyStatus, importLog, skewText } from '../county/report';
import { describeVerdict, verifyPointHistory } from '../county/verify';
import { startCountyServer } from '../county/server';
import { audit, createAccount, createFirstAdmin, resetPassword, toAccount, type AccountRow } from '../county/console/accounts';
import { ROLES, type Role } from '../county/console/types';

function printOneTime(name: string, password: string): void {
  console.log(`登录名：${name}`);
  console.log(`一次性密码：${password}`);
  console.log('请妥善转交；首次登录县级控制台时必须修改密码。此密码不会再次显示。');
}
import { changeCountyUrl, enrolByCode, enrolByFile, exportBatches, importReplyFile, runSync, syncStatus } from '../sync/village/engine';
import { checkBody, checkSignature, manifestJson, splitContainer, SyncRejection } from '../sync/wire/container';
import { batchManifest, strictParse } from '../sync/wire/protocol';
import { isSealed } from '../sync/wire/seal';
import { getEnrolment } from '../sync/village/state';
import { fingerprint } from '../sync/wire/keys';
import { AppError } from '../domain/errors';

async function openCounty(dir: string | undefined, needIdentity = true): Promise<County> {
  const d = resolveCountyDir(dir);
  if (!d) throw new CliError('请用 --data-dir 指定县级数据文件夹（或设置 DAIBAN_COUNTY_DIR）');
  const c = await County.open({ dataDir: d });
  if (needIdentity && !c.identity()) {
    c.close();
    throw new CliError(`${d} 还不是县级数据文件夹，请先运行 daiban county init --data-dir ${d} --code 县级区划代码 --name 县名`);
  }
  return c;
}

/** Runs `fn` with the county open and closes it; plain Errors become CliErrors. */
async function withCounty<T>(dir: string | undefined, fn: (c: County) => T | Promise<T>, needIdentity = true): Promise<T> {
  const c = await openCounty(dir, needIdentity);
  try {
    return await fn(c);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(e instanceof Error ? e.message : String(e), 1);
  } finally {
    c.close();
  }
}

async function withVillage<T>(o: KeyOptions, command: string, fn: (env: Awaited<ReturnType<typeof openCli>>) => T | Promise<T>): Promise<T> {
  const env = await openCli(o.dataDir, o, command);
  try {
    if (!env.ctx.isOpen) throw new CliError('代办点尚未设置：请先运行 daiban init（或启动代办通完成首次设置）', 1);
    return await fn(env);
  } catch (e) {
    if (e instanceof AppError) throw new CliError(e.message, 1);
    throw e;
  } finally {
    if (env.ctx.isOpen) env.ctx.reg.close();
  }
}

function readJsonFile(p: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch (e) {
    throw new CliError(`无法读取 ${p}：${e instanceof Error ? e.message : String(e)}`);
  }
}

function writeAtomic(file: string, bytes: Buffer): void {
  const tmp = `${file}.part`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

const dataDirOpt = ['--data-dir <dir>', '数据文件夹'] as const;

function countyCommands(program: Command): void {
  const county = program.command('county').description('县政务服务中心：初始化、登记代办点、导入同步批次、生成回执、运行服务');

  county
    .command('init')
    .description('初始化县级数据文件夹（生成县级签名密钥，载入事项目录与节假日安排）')
    .option(...dataDirOpt)
    .requiredOption('--code <code>', '县级区划代码（6 位）')
    .requiredOption('--name <name>', '县名，如 五原县')
    .option('--admin <name>', '第一个管理员的登录名', 'admin')
    .action(async (o: { dataDir?: string; code: string; name: string; admin: string }) => {
      await withCounty(
        o.dataDir,
        async (c) => {
          const r = initCounty(c, { code: o.code, name: o.name });
          console.log(`已初始化：${r.name}（${r.code}）`);
          console.log(`县级公钥指纹：${fingerprint(r.publicKey)}`);
          const a = await createFirstAdmin(c, o.admin);
          printOneTime(a.row.name, a.password);
        },
        false,
      );
    });

  const accounts = county.command('accounts').description('县级控制台账号：列出、添加、重置密码');
  accounts
    .command('list')
    .option(...dataDirOpt)
    .action(async (o: { dataDir?: string }) => {
      await withCounty(o.dataDir, (c) => {
        for (const r of c.db.prepare(`SELECT * FROM accounts ORDER BY role, name`).all() as AccountRow[]) {
          const a = toAccount(c, r);
          console.log(`${a.name}\t${ROLES[a.role]}${a.townshipName ? `（${a.townshipName}）` : ''}${a.disabled ? '\t已停用' : ''}${a.lockedUntil ? '\t已锁定' : ''}`);
        }
      });
    });
  accounts
    .command('add')
    .description('添加账号（首个管理员在 county init 时创建）')
    .option(...dataDirOpt)
    .requiredOption('--name <name>', '登录名')
    .requiredOption('--role <role>', 'admin（县中心管理员）、clerk（县中心工作人员）或 township（乡镇工作人员）')
    .option('--township <code>', '乡镇工作人员所属乡镇的 9 位代码')
    .option('--display-name <name>', '姓名')
    .action(async (o: { dataDir?: string; name: string; role: string; township?: string; displayName?: string }) => {
      if (!(o.role in ROLES)) throw new CliError('角色应为 admin、clerk 或 township');
      await withCounty(o.dataDir, async (c) => {
        const a = await createAccount(c, { name: o.name, role: o.role as Role, townshipCode: o.township ?? null, displayName: o.displayName });
        audit(c, 'account', { id: 'cli', name: '命令行' }, `新建账号 ${a.row.name}`);
        printOneTime(a.row.name, a.password);
      });
    });
  accounts
    .command('reset-password')
    .description('重置账号密码（也解除锁定），打印新的一次性密码')
    .option(...dataDirOpt)
    .requiredOption('--name <name>', '登录名')
    .action(async (o: { dataDir?: string; name: string }) => {
      await withCounty(o.dataDir, async (c) => {
        const row = c.db.prepare(`SELECT id FROM accounts WHERE name = ?`).get(o.name) as { id: string } | undefined;
        if (!row) throw new CliError(`没有登录名为 ${o.name} 的账号`);
        const a = await resetPassword(c, row.id);
        audit(c, 'account', { id: 'cli', name: '命令行' }, `重置账号 ${a.row.name} 的密码`);
        printOneTime(a.row.name, a.password);
      });
    });

  county
    .command('enrol')
    .description('登记代办点并生成一次性登记码和登记文件')
    .option(...dataDirOpt)
    .requiredOption('--point <code>', '代办点（村）的 12 位区划代码')
    .option('--village <name>', '村（嘎查、社区）名')
    .option('--township <name>', '乡镇（苏木）名')
    .option('--days <n>', '登记码和登记文件的有效天数', '7')
    .option('--out <file>', '登记文件保存位置')
    .action(async (o: { dataDir?: string; point: string; village?: string; township?: string; days: string; out?: string }) => {
      await withCounty(o.dataDir, (c) => {
        const existing = c.db.prepare(`SELECT village_name, township_name FROM points WHERE code = ?`).get(o.point) as
          | { village_name: string; township_name: string }
          | undefined;
        const village = o.village ?? existing?.village_name;
        const township = o.township ?? existing?.township_name;
        if (!village || !township) throw new CliError('新代办点请同时填写 --village 和 --township');
        const out = path.resolve(o.out ?? `daiban-enrol-${o.point}.enrol`);
        const { ticket, bytes } = c.tx(() => {
          upsertPoint(c, { code: o.point, villageName: village, townshipName: township });
          const t = createTicket(c, o.point, Number(o.days));
          return { ticket: t, bytes: buildEnrolPackage(c, o.point, { ticket: t }) };
        });
        writeAtomic(out, bytes);
        console.log(`代办点：${o.point} ${township}${village}`);
        console.log(`登记码：${ticket.code}`);
        console.log(`登记文件：${out}`);
        console.log(`有效期至：${ticket.expiresAt.slice(0, 10)}（登记码与登记文件只能使用其中一个，且只能使用一次）`);
      });
    });

  county
    .command('import')
    .description('导入代办点交来的同步批次文件（每个文件一行结果；有被拒绝的文件时退出码非零）')
    .option(...dataDirOpt)
    .argument('<files...>', '批次文件')
    .action(async (files: string[], o: { dataDir?: string }) => {
      const rejected = await withCounty(o.dataDir, (c) => {
        let bad = 0;
        for (const f of files) {
          let bytes: Buffer;
          try {
            bytes = fs.readFileSync(f);
          } catch {
            console.log(`${f}：拒绝：无法读取文件`);
            bad++;
            continue;
          }
          const r = importBatch(c, bytes, { source: `file:${path.basename(f)}` });
          if (r.result === 'imported') console.log(`${f}：已导入 ${r.applied} 条 — ${r.message}`);
          else if (r.result === 'already') console.log(`${f}：已导入过 — ${r.message}`);
          else if (r.result === 'held') console.log(`${f}：暂存 — ${r.message}`);
          else {
            console.log(`${f}：拒绝：${r.reason}`);
            bad++;
          }
        }
        return bad;
      });
      if (rejected) throw new CliError(`${rejected} 个文件被拒绝，未导入其中任何内容`, 1);
    });

  county
    .command('reply')
    .description('为代办点生成县级回执文件（确认收到的变更、事项目录、节假日安排、办理决定）')
    .option(...dataDirOpt)
    .requiredOption('--point <code>', '代办点区划代码')
    .requiredOption('--out <file>', '回执文件保存位置')
    .action(async (o: { dataDir?: string; point: string; out: string }) => {
      await withCounty(o.dataDir, (c) => {
        const r = buildReply(c, o.point);
        writeAtomic(path.resolve(o.out), r.bytes);
        console.log(`已生成回执：${path.resolve(o.out)}（${r.devices} 台设备的确认，${r.messages} 条县级消息）`);
      });
    });

  county
    .command('serve')
    .description('运行县级同步服务（默认只监听本机 127.0.0.1）')
    .option(...dataDirOpt)
    .option('--port <n>', '端口', '8787')
    .option('--host <addr>', '监听地址', '127.0.0.1')
    .option('--max-upload-mb <n>', '单个批次上传上限（MB）', '10')
    .option('--quiet', '不打印每个请求')
    .option('--cert <file>', 'HTTPS 证书（PEM）')
    .option('--key <file>', 'HTTPS 私钥（PEM）')
    .option('--trust-proxy', '在反向代理（nginx 等）之后运行：采用代理传来的客户端地址与 HTTPS（登记码限流按真实地址计算）')
    .action(async (o: { dataDir?: string; port: string; host: string; maxUploadMb: string; quiet?: boolean; cert?: string; key?: string; trustProxy?: boolean }) => {
      if (!!o.cert !== !!o.key) throw new CliError('--cert 和 --key 需要同时提供');
      const c = await openCounty(o.dataDir);
      const srv = await startCountyServer(c, {
        https: o.cert && o.key ? { cert: fs.readFileSync(path.resolve(o.cert)), key: fs.readFileSync(path.resolve(o.key)) } : undefined,
        trustProxy: !!o.trustProxy,
        host: o.host,
        port: Number(o.port),
        maxUploadBytes: Math.round(Number(o.maxUploadMb) * 1024 * 1024),
        // Every request line goes to logs/county.log; the terminal shows them unless --quiet.
        log: (l) => {
          appLog().info({ event: l }, 'county');
          if (!o.quiet) console.log(`[county] ${new Date().toISOString()} ${l}`);
        },
      });
      console.log(`URL: ${srv.url}`);
      console.log(`${c.requireIdentity().name}同步服务已启动，按 Ctrl+C 停止`);
      const stop = async () => {
        await srv.close().catch(() => undefined);
        c.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      await new Promise(() => undefined);
    });

  county
    .command('decide')
    .description('对报送到县里的代办件作出决定（准予 / 不予 / 退回补正），随回执下发到代办点')
    .option(...dataDirOpt)
    .requiredOption('--case <no>', '件号')
    .requiredOption('--result <r>', '准予、不予 或 退回补正')
    .option('--date <date>', '决定日期 YYYY-MM-DD（默认今天）')
    .option('--note <text>', '说明', '')
    .option('--by <name>', '经办人', '')
    .action(async (o: { dataDir?: string; case: string; result: string; date?: string; note: string; by: string }) => {
      const w = DECISION_WORDS[o.result];
      if (!w) throw new CliError('--result 应为 准予、不予 或 退回补正');
      await withCounty(o.dataDir, (c) => {
        const date = o.date ?? new Date(c.clock.nowMs() + 8 * 3600_000).toISOString().slice(0, 10);
        const r = decideCase(c, { caseNo: o.case, ...w, date, note: o.note, by: o.by });
        console.log(`已记录：${o.case} ${o.result}（${date}），将随下次回执发给代办点 ${r.pointCode}`);
      });
    });

  county
    .command('revoke')
    .description('停用一台设备（丢失或更换的电脑），其后的批次一律拒绝')
    .option(...dataDirOpt)
    .requiredOption('--device <id>', '设备编号')
    .option('--reason <text>', '原因', '')
    .action(async (o: { dataDir?: string; device: string; reason: string }) => {
      await withCounty(o.dataDir, (c) => {
        const r = revokeDevice(c, o.device, o.reason);
        console.log(`已停用设备 ${o.device}（代办点 ${r.pointCode}）`);
      });
    });

  county
    .command('publish-catalog')
    .description('发布新版事项目录，随回执下发到各代办点')
    .option(...dataDirOpt)
    .argument('<file>', '事项目录 JSON 文件')
    .action(async (file: string, o: { dataDir?: string }) => {
      const json = readJsonFile(file);
      await withCounty(o.dataDir, (c) => {
        const r = publishCatalog(c, json);
        console.log(`已发布事项目录 ${r.version}（${r.items} 项）`);
      });
    });

  county
    .command('publish-holidays')
    .description('发布节假日安排（holidays-cn.json 格式），随回执下发到各代办点')
    .option(...dataDirOpt)
    .argument('<file>', '节假日 JSON 文件')
    .action(async (file: string, o: { dataDir?: string }) => {
      const json = readJsonFile(file);
      await withCounty(o.dataDir, (c) => {
        const r = publishHolidays(c, json);
        console.log(`已发布 ${r.years.join('、')} 年节假日安排；县里 ${r.dueChanged} 件在办件的承诺办结日期已重算`);
      });
    });

  county
    .command('status')
    .description('代办点与设备：登记、停用、最后同步、序号缺口、时钟偏差；最近的导入记录')
    .option(...dataDirOpt)
    .option('--log <n>', '显示最近几条导入记录', '10')
    .option('--json', '以 JSON 输出')
    .action(async (o: { dataDir?: string; log: string; json?: boolean }) => {
      await withCounty(o.dataDir, (c) => {
        const s = countyStatus(c);
        const log = importLog(c, Number(o.log));
        if (o.json) {
          console.log(JSON.stringify({ ...s, log }, null, 1));
          return;
        }
        console.log(`${s.county?.name}（${s.county?.code}）：${s.points.length} 个代办点，未处理冲突 ${s.openConflicts} 处，暂存批次 ${s.held} 个`);
        for (const p of s.points) {
          console.log(`${p.code} ${p.townshipName}${p.villageName}：代办件 ${p.records} 件`);
          for (const d of p.devices) {
            const gaps = d.gaps.length ? `，缺口 ${d.gaps.map(([a, b]) => `${a}–${b}`).join('、')}` : '';
            console.log(
              `  设备 ${d.id}${d.revokedAt ? `（已停用 ${d.revokedAt.slice(0, 10)}）` : ''}：已导入至第 ${d.appliedThrough} 条${gaps}，最后同步 ${d.lastSeenAt ?? '从未'}，时钟 ${skewText(d.clockSkewMs)}`,
            );
          }
        }
        if (log.length) console.log('最近导入：');
        for (const l of log) {
          console.log(`  ${l.at} ${l.source} ${l.pointCode ?? '-'} ${l.fromSeq ?? ''}–${l.toSeq ?? ''} ${l.result} ${l.applied}${l.reason ? ' ' + l.reason : ''}`);
        }
      });
    });

  county
    .command('verify')
    .description('核对一个代办点在县里的历史记录：重新验证每个批次的设备签名，逐条重算每台设备的历史记录链，指出第一处断链')
    .option(...dataDirOpt)
    .option('--point <code>', '代办点的12位区划代码')
    .action(async (o: { dataDir?: string; point?: string }) => {
      if (!o.point || !/^\d{12}$/.test(o.point.trim())) throw new CliError('请用 --point 指定代办点的12位区划代码，例如 --point 150822101201');
      const point = o.point.trim();
      const ok = await withCounty(o.dataDir, (c) => {
        if (!c.db.prepare(`SELECT 1 FROM points WHERE code = ?`).get(point)) throw new CliError(`县里没有代办点 ${point}`, 1);
        const v = verifyPointHistory(c, point);
        for (const line of describeVerdict(v)) console.log(line);
        return v.ok;
      });
      if (!ok) throw new CliError('历史记录核对发现问题', 1);
    });

  county
    .command('doctor')
    .description('检查县级数据库')
    .option(...dataDirOpt)
    .action(async (o: { dataDir?: string }) => {
      const ok = await withCounty(o.dataDir, (c) => {
        const r = countyDoctor(c);
        for (const ch of r.checks) console.log(`${ch.ok ? '✓' : '✗'} ${ch.name}：${ch.detail}`);
        return r.ok;
      });
      if (!ok) throw new CliError('县级数据检查发现问题', 1);
    });
}

function villageCommands(program: Command): void {
  keyOptions(program.command('enrol'))
    .description('把本代办点登记到县政务服务中心：有网络用登记码（--code 和 --url），没有网络用登记文件（--file）')
    .option(...dataDirOpt)
    .option('--code <code>', '一次性登记码')
    .option('--url <url>', '县级服务地址，如 http://10.1.2.3:8787')
    .option('--file <file>', '登记文件')
    .action(async (o: KeyOptions & { code?: string; url?: string; file?: string }) => {
      if (!o.file && !(o.code && o.url)) throw new CliError('请使用 --code 和 --url，或使用 --file');
      await withVillage(o, 'enrol', async ({ reg }) => {
        const r = o.file ? enrolByFile(reg, o.file, o.url ?? '') : await enrolByCode(reg, o.url!, o.code!);
        console.log(r.message);
        console.log(`本机指纹：${r.deviceFingerprint}；县级指纹：${r.countyFingerprint}`);
      });
    });

  keyOptions(program.command('sync'))
    .description('立即与县里同步（上传待同步的变更，取回县里的回执）')
    .option(...dataDirOpt)
    .option('--url <url>', '县级服务地址（该地址的服务证明自己是本县中心后保存，以后自动使用）')
    .option('--status', '只显示同步状态')
    .action(async (o: KeyOptions & { url?: string; status?: boolean }) => {
      await withVillage(o, 'sync', async ({ reg }) => {
        if (o.url && o.status) await changeCountyUrl(reg, o.url);
        if (!o.status) {
          // The new address is saved only once the county there has proved itself.
          const r = await runSync(reg, o.url);
          console.log(r.message);
          for (const a of r.applied) console.log(`  ${a.summary}`);
        }
        const s = syncStatus(reg);
        console.log(
          s.enrolled
            ? `${s.countyName}：待同步 ${s.waiting} 条，上次成功同步 ${s.lastSuccessAt ?? '从未'}${s.conflicts ? `，未处理冲突 ${s.conflicts} 处` : ''}${s.awaitingConfirmation ? '，等待县里确认本机登记' : ''}`
            : '本机尚未登记到县里',
        );
      });
    });

  const batch = program.command('batch').description('U 盘同步：导出批次文件、检查批次文件、导入县级回执');
  keyOptions(batch.command('export'))
    .description('把县里尚未确认的全部变更导出为批次文件')
    .option(...dataDirOpt)
    .requiredOption('--out <dir>', '保存到的文件夹（如 U 盘）')
    .action(async (o: KeyOptions & { out: string }) => {
      await withVillage(o, 'batch export', ({ reg }) => {
        fs.mkdirSync(o.out, { recursive: true });
        const r = exportBatches(reg, path.resolve(o.out));
        for (const f of r.files) console.log(`${f.path}：第 ${f.fromSeq}–${f.toSeq} 条，共 ${f.count} 条`);
        console.log(r.message);
      });
    });

  keyOptions(batch.command('verify'))
    .description('检查批次文件是否完好（未被改动、未被截断）')
    .option(...dataDirOpt)
    .argument('<file>', '批次文件')
    .action(async (file: string, o: { dataDir?: string }) => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch {
        throw new CliError(`无法读取 ${file}`);
      }
      await withVillage(o, 'batch verify', ({ reg }) => {
        try {
          const c = splitContainer(bytes, 'BATCH');
          const m = strictParse(batchManifest, manifestJson(c), '批次清单');
          const e = getEnrolment(reg);
          let signed = '签名未核对（不是本机导出的批次）';
          if (e && m.device === reg.deviceId) {
            checkSignature(c, e.device_public_key, '本机');
            signed = '本机签名有效';
          }
          // The length and SHA-256 in the signed manifest cover every byte of the (sealed) body; its
          // lines are sealed to the county's key, so only the county can read and check them one by one.
          checkBody(c, m);
          if (!isSealed(c.body)) throw new SyncRejection('bad_content', '批次内容没有加密（不是本版本导出的批次）');
          console.log(`完好：代办点 ${m.point}，设备 ${m.device}，第 ${m.fromSeq}–${m.toSeq} 条，共 ${m.count} 条，生成于 ${m.createdAt}；${signed}；内容已加密，只有县级中心能读取`);
        } catch (err) {
          if (err instanceof SyncRejection || err instanceof SyntaxError) throw new CliError(`损坏：${err instanceof SyncRejection ? err.message : '内容不是有效的 JSON'}`, 1);
          throw err;
        }
      });
    });

  keyOptions(batch.command('import-reply'))
    .description('导入县里的回执文件（确认、事项目录、节假日安排、办理决定）')
    .option(...dataDirOpt)
    .argument('<file>', '回执文件')
    .action(async (file: string, o: KeyOptions) => {
      await withVillage(o, 'batch import-reply', ({ reg }) => {
        const r = importReplyFile(reg, file);
        console.log(r.message);
        for (const a of r.applied) console.log(`  ${a.summary}`);
        for (const w of r.warnings) console.log(`  注意：${w}`);
        console.log(`待同步 ${r.waiting} 条`);
      });
    });
}

export function syncCommands(program: Command): void {
  countyCommands(program);
  villageCommands(program);
}
