// The program's own log, for the county's IT when a point phones in: `<data folder>/logs/<program>.log`,
// one JSON line per event (pino), rotated by size so it never fills a village laptop's disk.
// Written by both shells, the CLI and the county service; read back by `daiban doctor --report`.
//
// Never personal data: keys that may hold it are replaced (REDACTED_KEYS), and every line is scrubbed
// for anything shaped like an ID number or a phone number before it reaches the disk — so an error
// message that quotes an input cannot leak it either. Names cannot be recognised by shape: code logs
// ids, counts, codes and durations, never a record's fields.
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

export type LogProgram = 'app' | 'web' | 'cli' | 'county';
export type AppLogger = Logger;

/** Field names whose values are replaced wherever they appear (up to three levels deep). */
export const REDACTED_KEYS = [
  'idNumber', 'id_number', 'phone', 'mobile', 'name', 'applicantName', 'applicant_name', 'agentName', 'address',
  'pin', 'password', 'token', 'secret', 'recoveryCode', 'key', 'privateKey', 'input', 'body', 'authorization', 'cookie',
];
const CENSOR = '[已隐去]';

// 18-digit ID numbers (last may be X), 15-digit old ones, mainland mobiles, landlines with area code.
const PERSONAL_PATTERNS: RegExp[] = [
  /(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])/g,
  /(?<![0-9])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9])/g,
  /(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])/g,
  /(?<![0-9])0\d{2,3}-?\d{7,8}(?![0-9])/g,
];

/** The text with every ID-number- or phone-shaped run replaced. */
export function scrubPersonalData(text: string): string {
  return PERSONAL_PATTERNS.reduce((t, re) => t.replace(re, CENSOR), text);
}

export function logsDir(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

export type RotatingFileOptions = { file: string; maxBytes: number; keep: number };

/**
 * A pino destination that appends synchronously (a line written before a crash is on disk) and, once
 * the file passes maxBytes, renames it to .1 (.1 → .2 …, dropping the oldest past `keep`).
 * Written here because the maintained option, pino-roll, rotates asynchronously in a worker.
 */
export class RotatingFile {
  private fd: number;
  private size: number;
  constructor(private readonly opts: RotatingFileOptions) {
    fs.mkdirSync(path.dirname(opts.file), { recursive: true });
    this.fd = fs.openSync(opts.file, 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  write(line: string): void {
    const clean = scrubPersonalData(line);
    if (this.size > 0 && this.size + Buffer.byteLength(clean) > this.opts.maxBytes) this.rotate();
    this.size += fs.writeSync(this.fd, clean);
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    const { file, keep } = this.opts;
    fs.rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    if (keep >= 1) fs.renameSync(file, `${file}.1`);
    this.fd = fs.openSync(file, 'a');
    this.size = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export type OpenLogOptions = { dataDir: string; program: LogProgram; maxBytes?: number; keep?: number; level?: pino.Level };

/** Opens `<dataDir>/logs/<program>.log` and makes it the log lower layers write to (appLog()). */
export function openLog(opts: OpenLogOptions): AppLogger {
  const dest = new RotatingFile({
    file: path.join(logsDir(opts.dataDir), `${opts.program}.log`),
    maxBytes: opts.maxBytes ?? 2 * 1024 * 1024,
    keep: opts.keep ?? 4,
  });
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const logger = pino(
    {
      level: opts.level ?? (process.env.DAIBAN_LOG_LEVEL as pino.Level | undefined) ?? 'info',
      base: { program: opts.program, pid: process.pid },
      redact: { paths, censor: CENSOR },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    dest,
  );
  current = logger;
  return logger;
}

const silent: AppLogger = pino({ level: 'silent' });
let current: AppLogger = silent;

/** The log the running program opened, or a silent one (tests, or before a data folder is known). */
export function appLog(): AppLogger {
  return current;
}

/**
 * An error message fit for the log: ID numbers and phones scrubbed, and Chinese text left out —
 * a message may quote a person's name, which no pattern recognises. What remains (SQLite's and
 * Node's English messages, codes, numbers) is what IT needs; the error's code says the rest.
 */
export function loggableMessage(message: string): string {
  return scrubPersonalData(message).replace(/[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+/g, '…').slice(0, 300);
}

/** A caught error as loggable fields: its class and message (see loggableMessage), first stack lines. */
export function errorFields(e: unknown): { errName: string; errMessage: string; stack?: string } {
  if (!(e instanceof Error)) return { errName: typeof e, errMessage: loggableMessage(String(e)) };
  return {
    errName: e.name,
    errMessage: loggableMessage(e.message),
    stack: e.stack ? scrubPersonalData(e.stack.split('\n').slice(1, 6).join('\n')) : undefined,
  };
}

/** The last `maxBytes` of a program's log files, oldest first (for `daiban doctor --report`). */
export function recentLogText(dataDir: string, maxBytes = 256 * 1024): { file: string; text: string }[] {
  const dir = logsDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.log(\.\d+)?$/.test(f))
    .map((f) => ({ f, mtime: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const out: { file: string; text: string }[] = [];
  let budget = maxBytes;
  for (const { f } of files) {
    if (budget <= 0) break;
    const buf = fs.readFileSync(path.join(dir, f));
    const slice = buf.subarray(Math.max(0, buf.length - budget));
    budget -= slice.length;
    // Scrubbed again: a log written by an older version must not carry personal data to a USB stick.
    out.push({ file: f, text: scrubPersonalData(slice.toString('utf8')) });
  }
  return out.reverse();
}
