// Power cuts: a child process writes through the API and is killed with SIGKILL at random
// moments, many times over the same data folder. Whatever it reported as saved must be there,
// with its history and its sync entry, and the register must stay consistent.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Register } from '../../db/register';
import { setupPoint } from '../../db/point';
import { runDoctor } from '../../db/doctor';
import { DEMO_POINT, tempDir } from '../support/tempRegister';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = 20;
const dir = tempDir('daiban-crash-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Round = { lines: string[]; readyMs: number; killedAfterMs: number; stderr: string };

/**
 * Starts the writer, waits until it has reported its first saved change, kills it 0–350 ms later;
 * returns the complete lines it printed. Waiting for the first write (not for a time) keeps every
 * round a mid-write kill however busy the machine is.
 */
function crashOnce(): Promise<Round> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('tests', 'support', 'crashChild.ts'), dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let readyMs = -1;
    let delay = -1;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child never became ready: ${err.slice(0, 500)}`));
    }, 120_000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      out += s;
      if (readyMs < 0 && out.includes('READY\n')) readyMs = Date.now() - started;
      if (delay < 0 && readyMs >= 0 && /\n[CTFV] /.test(out.slice(out.indexOf('READY\n') + 5))) {
        delay = Math.floor(Math.random() * 351);
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    });
    child.stderr.on('data', (s: string) => (err += s));
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') {
        reject(new Error(`child exited by itself (code ${code}): ${err.slice(0, 500)}`));
        return;
      }
      // Only whole lines: a line cut by the kill was never fully reported.
      const lines = out.split('\n').slice(0, -1).filter((l) => l && l !== 'READY');
      resolve({ lines, readyMs, killedAfterMs: delay, stderr: err });
    });
  });
}

function verify(reg: Register, lines: string[]): void {
  const db = reg.db;
  const one = (sql: string, ...p: string[]) => (db.prepare(sql).get(...p) as { n: number }).n;
  for (const line of lines) {
    const [kind, id, what] = line.split(' ');
    switch (kind) {
      case 'C':
        expect(one(`SELECT COUNT(*) AS n FROM cases WHERE id = ?`, id), line).toBe(1);
        expect(one(`SELECT COUNT(*) AS n FROM events WHERE case_id = ? AND action = 'case.create' AND outbox_seq IS NOT NULL`, id), line).toBe(1);
        expect(one(`SELECT COUNT(*) AS n FROM outbox WHERE entity = 'cases' AND entity_id = ? AND op = 'insert'`, id), line).toBe(1);
        // The materials and the applicant came in the same transaction.
        expect(one(`SELECT COUNT(*) AS n FROM case_materials WHERE case_id = ?`, id), line).toBeGreaterThan(0);
        expect(
          one(`SELECT COUNT(*) AS n FROM case_materials m WHERE m.case_id = ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'case_materials' AND o.entity_id = m.id)`, id),
          line,
        ).toBe(0);
        expect(one(`SELECT COUNT(*) AS n FROM cases c JOIN applicants a ON a.id = c.applicant_id WHERE c.id = ?`, id), line).toBe(1);
        break;
      case 'T':
        expect(one(`SELECT COUNT(*) AS n FROM events WHERE case_id = ? AND action = ? AND outbox_seq IS NOT NULL`, id, `case.${what}`), line).toBe(1);
        expect(one(`SELECT COUNT(*) AS n FROM outbox o JOIN events e ON e.outbox_seq = o.seq WHERE e.case_id = ? AND e.action = ? AND o.op = 'update'`, id, `case.${what}`), line).toBe(1);
        break;
      case 'F':
        expect(one(`SELECT COUNT(*) AS n FROM followups WHERE case_id = ? AND kind = ?`, id, what), line).toBe(1);
        expect(
          one(`SELECT COUNT(*) AS n FROM followups f JOIN outbox o ON o.entity = 'followups' AND o.entity_id = f.id WHERE f.case_id = ? AND f.kind = ?`, id, what),
          line,
        ).toBe(1);
        break;
      case 'V':
        expect(one(`SELECT COUNT(*) AS n FROM visits v JOIN outbox o ON o.entity = 'visits' AND o.entity_id = v.id WHERE v.id = ?`, id), line).toBe(1);
        break;
      default:
        throw new Error(`unexpected line from child: ${line}`);
    }
  }
  // The case status agrees with the last reported status change.
  const last = new Map<string, string>();
  for (const l of lines) if (l.startsWith('T ')) last.set(l.split(' ')[1], l.split(' ')[2]);
  const expected: Record<string, string[]> = { withdraw: ['withdrawn'], handUp: ['handedUp', 'decided'], decide: ['decided'] };
  for (const [id, action] of last) {
    const s = db.prepare(`SELECT status FROM cases WHERE id = ?`).get(id) as { status: string };
    expect(expected[action]).toContain(s.status);
  }
  // The sync sequence has no gap and every entry has its history event.
  const seq = db.prepare(`SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM outbox`).get() as { n: number; lo: number; hi: number };
  expect(seq.lo).toBe(1);
  expect(seq.hi).toBe(seq.n);
}

describe('crash safety', () => {
  it(`keeps every committed change through ${ROUNDS} SIGKILLs mid-write`, async () => {
    const reg0 = await Register.open({ dataDir: dir });
    setupPoint(reg0, DEMO_POINT);
    reg0.close();

    const all: string[] = [];
    let rounds = 0;
    let writingRounds = 0;
    for (; rounds < ROUNDS; rounds++) {
      const r = await crashOnce();
      if (r.lines.length) writingRounds++;
      all.push(...r.lines);
      // Reopen the same folder as the app would after the power comes back.
      const reg = await Register.open({ dataDir: dir });
      try {
        const report = runDoctor(reg);
        expect(report.checks.filter((c) => !c.ok), `round ${rounds + 1} (killed ${r.killedAfterMs} ms after start of writing)`).toEqual([]);
        verify(reg, r.lines);
      } finally {
        reg.close();
      }
    }
    expect(rounds).toBe(ROUNDS);
    expect(writingRounds).toBe(ROUNDS);
    expect(all.filter((l) => l.startsWith('C ')).length).toBeGreaterThan(rounds);

    // Everything reported over all rounds is still there at the end.
    const reg = await Register.open({ dataDir: dir });
    try {
      expect(runDoctor(reg).ok).toBe(true);
      verify(reg, all);
    } finally {
      reg.close();
    }
  }, 600_000);
});
