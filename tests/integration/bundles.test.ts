// The shipped programs load only what package.json's "dependencies" hold: the Electron main
// process (packed by electron-builder with exactly those dependencies) and the CLI / county
// service bundle (run with no tsx). A renderer library or a build tool loaded at run time fails
// here, and so does a production dependency nothing loads (it would only make the installer bigger).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const BUILTINS = new Set([...builtinModules, 'electron']);

/** Packages a bundle loads at run time, from the esbuild metafile the build script writes. */
function loadedPackages(bundle: string): string[] {
  const names = JSON.parse(fs.readFileSync(path.join(ROOT, `${bundle}.externals.json`), 'utf8')) as string[];
  return names.filter((n) => !BUILTINS.has(n));
}

function run(file: string, args: string[], input?: string) {
  return spawnSync(process.execPath, [file, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, input });
}

describe('what ships', () => {
  it('the Electron main process loads only production dependencies, and every one of them', () => {
    const r = run('scripts/build-electron.mjs', []);
    expect(r.status, r.stderr).toBe(0);
    const loaded = loadedPackages('dist-electron/main.cjs');
    // The one SQLite module of the product: the SQLite3 Multiple Ciphers build (encrypted register).
    expect(loaded).toContain('better-sqlite3-multiple-ciphers');
    expect(loaded).not.toContain('better-sqlite3');
    for (const name of loaded) expect(Object.keys(pkg.dependencies), `main.cjs loads ${name}`).toContain(name);
    for (const name of Object.keys(pkg.dependencies)) {
      expect(loaded, `${name} is in "dependencies" but main.cjs never loads it`).toContain(name);
    }
  });

  it('the CLI runs from its bundle without tsx, loading only production dependencies', () => {
    const b = run('scripts/build-cli.mjs', []);
    expect(b.status, b.stderr).toBe(0);
    const code = fs.readFileSync(path.join(ROOT, 'dist-cli/daiban.mjs'), 'utf8');
    expect(code).not.toMatch(/from ["']tsx/);
    for (const name of loadedPackages('dist-cli/daiban.mjs')) {
      expect(Object.keys(pkg.dependencies), `daiban.mjs loads ${name}`).toContain(name);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bundle-'));
    try {
      const point = ['--village-code', '150822101201', '--village-name', '红旗村', '--township', '巴彦镇', '--county', '五原县'];
      const init = run('bin/daiban.mjs', ['init', '--data-dir', dir, ...point, '--agent', '王秀兰:13904781234:135246']);
      expect(init.status, init.stderr).toBe(0);
      expect(init.stdout).toContain('登记簿');
      // The register is encrypted from setup on: the doctor opens it with the agent's PIN.
      const doctor = run('bin/daiban.mjs', ['doctor', '--data-dir', dir, '--pin-stdin', '--agent', '王秀兰'], '135246\n');
      expect(doctor.status, doctor.stderr).toBe(0);
      expect(doctor.stdout).toContain('数据检查通过');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
