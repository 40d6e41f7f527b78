// `npm test` (scripts/run-stages.mjs): a failing stage no longer stops the later ones — Playwright runs
// even when Vitest failed — the exit status is still non-zero, the failed stages are named, and
// .ci/run's closing line (scripts/test-summary.mjs) names them too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-stages-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const node = JSON.stringify(process.execPath);
const run = (...stages: string[]) => spawnSync(process.execPath, ['scripts/run-stages.mjs', ...stages], { encoding: 'utf8' });
const summary = (log: string) => {
  const f = path.join(dir, `log-${Math.random()}.txt`);
  fs.writeFileSync(f, log);
  return spawnSync(process.execPath, ['scripts/test-summary.mjs', f], { encoding: 'utf8' }).stdout.trim();
};

describe('npm test stages', () => {
  it('run every stage after a failure, exit non-zero and name the failed stages', () => {
    const marker = path.join(dir, 'last-stage-ran');
    const r = run(
      `typecheck=${node} -e "process.exit(0)"`,
      `Vitest=${node} -e "console.log(' Tests  1 failed | 2 passed (3)'); process.exit(1)"`,
      `lint=${node} -e "process.exit(2)"`,
      `Playwright=${node} -e "require('fs').writeFileSync(${JSON.stringify(marker).replace(/"/g, "'")}, 'x'); console.log('  4 passed (1.0s)')"`,
    );
    expect(r.status).toBe(1);
    expect(fs.existsSync(marker)).toBe(true);
    expect(r.stdout).toMatch(/== stage Vitest: FAILED \(exit 1\)/);
    expect(r.stdout).toMatch(/== stage Playwright: passed/);
    expect(r.stdout).toContain('== stages failed: Vitest, lint (of typecheck, Vitest, lint, Playwright)');
    expect(summary(r.stdout)).toBe('6 passed, 1 failed, 0 skipped; stages failed: Vitest, lint');
  });

  it('exit 0 and say so when every stage passes', () => {
    const r = run(`a=${node} -e "0"`, `b=${node} -e "0"`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('== all stages passed: a, b');
    expect(summary(r.stdout)).toBe('0 passed, 0 failed, 0 skipped');
  });
});
