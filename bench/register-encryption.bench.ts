// `npm run bench -- register` (this file's name starts with "register"): what encryption costs.
// The PIN KDF's cost (scrypt, target ≥ 250 ms per guess), then save and search p95 on an encrypted
// register (the cipher a new register gets, db/connection.ts CIPHER) next to the same run on a plain
// one, interleaved call by call so both see the same machine load (target: overhead ≤ 20 %). Kept
// apart from register.bench.ts (100k-case figures).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from './run';
import { Register } from '../db/register';
import { Vault } from '../db/vault';
import { seedDemo, DEMO_SETUP } from '../db/seed';
import { createContext, type ServiceContext } from '../api/context';
import { createDaibanApi } from '../api/service';
import type { ApiInput, DaibanApi } from '../api/contract';
import { KDF, wrapKey, newDataKey } from '../db/keyring';
import { residentIdCheckChar } from '../domain/idNumber';

const BENCH = 'register-encryption';
const CASES = Number(process.env.DAIBAN_BENCH_CIPHER_CASES ?? 20_000);
const RUNS = 200;

const round = (x: number) => Math.round(x * 100) / 100;
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

type Side = { name: 'plain' | 'encrypted'; ctx: ServiceContext; api: DaibanApi; dir: string };

async function side(name: Side['name'], dir: string): Promise<Side> {
  if (name === 'plain') {
    const reg = await Register.open({ dataDir: dir });
    const ctx = createContext({ initial: reg, shell: 'web', open: () => Register.open({ dataDir: dir }) });
    const api = createDaibanApi(ctx);
    await api.setupPoint(DEMO_SETUP);
    return { name, ctx, api, dir };
  }
  const vault = new Vault({ dataDir: dir });
  const ctx = createContext({ vault, shell: 'web' });
  const api = createDaibanApi(ctx);
  await api.setupPoint(DEMO_SETUP);
  return { name, ctx, api, dir };
}

export async function run(report: Report): Promise<void> {
  // The KDF: what one PIN guess costs (and what a sign-in waits).
  const key = newDataKey();
  const kdf: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await wrapKey(key, '802113');
    kdf.push(performance.now() - t);
  }
  const kdfMedian = [...kdf].sort((a, b) => a - b)[2];
  report({
    bench: BENCH,
    metric: 'pin_kdf_ms',
    value: Math.round(kdfMedian),
    unit: 'ms',
    target: '≥ 250',
    ok: kdfMedian >= 250,
    kdf: `scrypt N=${KDF.N} r=${KDF.r} p=${KDF.p} (${(128 * KDF.N * KDF.r) / 2 ** 20} MiB)`,
    runs: kdf.map(Math.round),
  });

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bench-cipher-'));
  const sides: Side[] = [];
  try {
    for (const name of ['plain', 'encrypted'] as const) {
      const s = await side(name, path.join(root, name));
      const t = performance.now();
      await seedDemo(s.ctx.reg, { cases: CASES, years: 5, seed: 2026 });
      report({ bench: BENCH, metric: `${name}_seed_${CASES}_cases_s`, value: round((performance.now() - t) / 1000), unit: 's' });
      sides.push(s);
    }
    const item = (await sides[0].api.searchCatalog({ q: '低保' }))[0];
    const apps = sides[0].ctx.reg.db.prepare(`SELECT name, name_initials, id_number FROM applicants ORDER BY rowid LIMIT 2000`).all() as {
      name: string;
      name_initials: string;
      id_number: string;
    }[];
    const queries: ApiInput<'searchCases'>[] = Array.from({ length: RUNS }, (_, i) => {
      const a = apps[(i * 7919) % apps.length];
      return [{ q: [...a.name].slice(0, 2).join('') }, { q: a.name_initials }, { q: a.id_number.slice(-6) }, { q: '' }][i % 4];
    });
    const saves: Record<string, number[]> = { plain: [], encrypted: [] };
    const searches: Record<string, number[]> = { plain: [], encrypted: [] };
    for (const s of sides) await s.api.searchCases({ q: '王' }); // warm-up
    for (let i = 0; i < RUNS; i++) {
      // Alternate which side goes first, so neither always pays for the other's cache misses.
      for (const s of i % 2 ? [...sides].reverse() : sides) {
        const first17 = `15082219850315${String(i % 1000).padStart(3, '0')}`;
        let t = performance.now();
        await s.api.createCase({
          applicant: { kind: 'person', name: '测试申请人', idNumber: first17 + residentIdCheckChar(first17), phone: `137${String(20_000_000 + i).slice(-8)}` },
          itemCode: item.code,
          handlingMode: 'proxy',
          materials: item.materials.map((m) => ({ ...m, state: 'both' as const, custody: 'none' as const })),
        });
        saves[s.name].push(performance.now() - t);
        t = performance.now();
        await s.api.searchCases(queries[i]);
        searches[s.name].push(performance.now() - t);
      }
    }
    for (const [what, xs] of [
      ['save_intake', saves],
      ['search', searches],
    ] as const) {
      const plain = p95(xs.plain);
      const enc = p95(xs.encrypted);
      const overhead = (enc - plain) / plain;
      // The median as well: on a shared machine the p95 of 200 calls swings by tens of percent between runs.
      const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
      report({ bench: BENCH, metric: `${what}_p95_ms_plain`, value: round(plain), unit: 'ms', runs: RUNS, cases: CASES });
      report({ bench: BENCH, metric: `${what}_p95_ms_encrypted`, value: round(enc), unit: 'ms', runs: RUNS, cases: CASES });
      report({
        bench: BENCH,
        metric: `${what}_encryption_overhead_pct`,
        value: Math.round(overhead * 1000) / 10,
        unit: '%',
        target: '≤ 20',
        ok: overhead <= 0.2,
        cipher: sides[1].ctx.reg.cipher,
        p50_ms_plain: round(median(xs.plain)),
        p50_ms_encrypted: round(median(xs.encrypted)),
      });
    }
  } finally {
    for (const s of sides) if (s.ctx.isOpen) s.ctx.reg.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
