// A replacement laptop downloads its point's whole register from the county (real `daiban county
// serve` and `daiban sync` processes, SIGKILLed mid-download) and ends identical; an upload killed
// halfway resends nothing the county already imported.
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SYNCED_TABLES } from '../../db/changes';
import { registerPath } from '../../db/dataDir';
import { seedDemo } from '../../db/seed';
import { County } from '../../county/db';
import { createTicket, upsertPoint } from '../../county/enrol';
import { enrolByCode, runSync } from '../../sync/village/engine';
import { cli, cliBackground, count, newDir, openCounty, openVillage, removeDirs, startCountyProcess } from './helpers';

afterAll(removeDirs);

const POINT = '150822101201'; // the seed's demo point

async function ticket(dir: string): Promise<string> {
  const c = await County.open({ dataDir: dir });
  try {
    return c.tx(() => {
      upsertPoint(c, { code: POINT, villageName: '红旗村', townshipName: '巴彦镇' });
      return createTicket(c, POINT, 7).code;
    });
  } finally {
    c.close();
  }
}

/** Reads one value from a register another process is writing (WAL: readers do not block it). */
function peek<T>(dir: string, sql: string): T {
  const db = new Database(registerPath(dir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}

async function waitFor(what: string, cond: () => boolean, ms = 240_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function records(db: { prepare(sql: string): { all(): unknown[] } }, t: string, cols: string[]): unknown[] {
  return db.prepare(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY id`).all();
}

describe('a replacement laptop', () => {
  it('downloads a 3,000-case point from the county, killed twice mid-download, and ends identical', { timeout: 900_000 }, async () => {
    const C = newDir('daiban-county-');
    (await openCounty({ dir: C })).close();
    const srv = await startCountyProcess(C);
    try {
      // The old laptop: 3,000 cases, all at the county.
      const old = await openVillage({ setup: false });
      await seedDemo(old.reg, { cases: 3000, seed: 7 });
      await enrolByCode(old.reg, srv.url, await ticket(C));
      await runSync(old.reg);
      const oldCases = count(old.reg.db, `SELECT COUNT(*) AS n FROM cases`);
      expect(oldCases).toBe(3000);

      // The new laptop: first-run setup for the same point, enrolled with a new code.
      const N = newDir('daiban-village-');
      const fresh = await openVillage({ dir: N, code: POINT });
      await enrolByCode(fresh.reg, srv.url, await ticket(C));
      fresh.close();

      const env = { DAIBAN_SYNC_RECORDS_PAGE: '1500' };
      for (let cut = 1; cut <= 2; cut++) {
        const before = peek<{ r: number }>(N, `SELECT records_through AS r FROM sync_state`).r;
        const { proc, done } = cliBackground(['sync', '--data-dir', N], env);
        await waitFor(`download page ${cut}`, () => proc.exitCode !== null || peek<{ r: number }>(N, `SELECT records_through AS r FROM sync_state`).r > before);
        proc.kill('SIGKILL');
        const r = await done;
        expect(r.signal, `the download finished before cut ${cut}: ${r.stdout}`).toBe('SIGKILL');
      }
      const progress = peek<{ done: number; total: number }>(N, `SELECT records_done AS done, records_total AS total FROM sync_state`);
      expect(progress.done).toBeGreaterThan(0);
      expect(progress.done).toBeLessThan(progress.total);

      const last = await cli(['sync', '--data-dir', N], { env, timeoutMs: 600_000 });
      expect(last.code, last.stdout + last.stderr).toBe(0);
      expect(last.stdout).toMatch(/待同步 0 条/);

      const now = await openVillage({ dir: N });
      try {
        for (const t of SYNCED_TABLES) {
          const cols = (old.reg.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[])
            .map((c) => c.name)
            .filter((c) => !['secret_hash', 'failed_attempts', 'locked_until'].includes(c));
          const mine = records(old.reg.db, t, cols) as { id: string }[];
          const theirs = new Map((records(now.reg.db, t, cols) as { id: string }[]).map((r) => [r.id, r]));
          for (const r of mine) expect(theirs.get(r.id), `${t} ${r.id}`).toEqual(r);
        }
        expect(count(now.reg.db, `SELECT COUNT(*) AS n FROM cases`)).toBe(3000);
        expect(now.reg.db.pragma('foreign_key_check')).toEqual([]);
        // It works as if it had always been there: new cases continue without a collision.
        const { addCase } = await import('./helpers');
        const c = await addCase(now, { name: '新电脑' });
        expect(c.caseNo).toMatch(/-B\d{3}$/);
        expect(count(now.reg.db, `SELECT COUNT(*) AS n FROM cases WHERE case_no = ?`, c.caseNo)).toBe(1);
      } finally {
        now.close();
        old.close();
      }
    } finally {
      await srv.stop();
    }
  });
});

describe('an upload cut halfway', () => {
  it('resends nothing the county already imported (counted in bytes)', { timeout: 900_000 }, async () => {
    const C = newDir('daiban-county-');
    (await openCounty({ dir: C })).close();
    const srv = await startCountyProcess(C);
    try {
      const v = await openVillage({ setup: false });
      await seedDemo(v.reg, { cases: 400, seed: 9 });
      await enrolByCode(v.reg, srv.url, await ticket(C));
      const total = count(v.reg.db, `SELECT COUNT(*) AS n FROM outbox`);
      v.close();
      const env = { DAIBAN_SYNC_BATCH_CHANGES: '100' };
      const batches = Math.ceil(total / 100);
      const imported = () => {
        const c = new Database(`${C}/county.sqlite`, { readonly: true, fileMustExist: true });
        try {
          return (c.prepare(`SELECT COUNT(*) AS n FROM import_log WHERE result = 'imported'`).get() as { n: number }).n;
        } finally {
          c.close();
        }
      };
      const { proc, done } = cliBackground(['sync', '--data-dir', v.dir], env);
      await waitFor('half of the upload', () => proc.exitCode !== null || imported() >= batches / 2);
      proc.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');

      const c1 = await County.open({ dataDir: C });
      const countyHad = (c1.db.prepare(`SELECT applied_through AS n FROM devices`).get() as { n: number }).n;
      c1.close();
      expect(countyHad).toBeGreaterThan(0);
      expect(countyHad).toBeLessThan(total);

      const sentBefore = peek<{ n: number; b: number }>(v.dir, `SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM sync_batches`);
      const r = await cli(['sync', '--data-dir', v.dir], { env, timeoutMs: 600_000 });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`上传 ${total - countyHad} 条变更`));

      const after = await openVillage({ dir: v.dir });
      try {
        const resent = after.reg.db
          .prepare(`SELECT from_seq, to_seq, bytes FROM sync_batches ORDER BY created_at, rowid LIMIT -1 OFFSET ?`)
          .all(sentBefore.n) as { from_seq: number; to_seq: number; bytes: number }[];
        // Every batch of the second run starts after what the county had: no byte of an imported change again.
        expect(resent.length).toBeGreaterThan(0);
        for (const b of resent) expect(b.from_seq).toBeGreaterThan(countyHad);
        const bytesResent = resent.reduce((s, b) => s + b.bytes, 0);
        const bytesAll = sentBefore.b + bytesResent;
        expect(bytesResent).toBeLessThan(bytesAll);
        console.log(`upload cut at ${countyHad}/${total} changes: second run sent ${bytesResent} bytes in ${resent.length} batches, none already imported`);
      } finally {
        after.close();
      }
      const c2 = await County.open({ dataDir: C });
      try {
        expect(count(c2.db, `SELECT COUNT(*) AS n FROM changes`)).toBe(total);
        expect(count(c2.db, `SELECT COUNT(*) AS n FROM import_log WHERE result = 'already'`)).toBe(0);
      } finally {
        c2.close();
      }
    } finally {
      await srv.stop();
    }
  });
});
