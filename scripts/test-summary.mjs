// Reads the output of `npm test` and prints one closing line: "N passed, N failed, N skipped", followed by
// "; stages failed: …" when a stage of `npm test` failed.
import fs from 'node:fs';

const ESC = String.fromCharCode(27);
const text = fs.readFileSync(process.argv[2], 'utf8').replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
let passed = 0;
let failed = 0;
let skipped = 0;
// Vitest: "Tests  189 passed | 2 skipped (191)" (or "3 failed | 186 passed …").
for (const m of text.matchAll(/^\s*Tests\s+(.+)\(\d+\)\s*$/gm)) {
  for (const [, n, what] of m[1].matchAll(/(\d+) (passed|failed|skipped)/g)) {
    if (what === 'passed') passed += Number(n);
    else if (what === 'failed') failed += Number(n);
    else skipped += Number(n);
  }
}
// Playwright: "  6 passed (38.2s)", "  1 skipped", "  2 failed".
for (const [, n, what] of text.matchAll(/^\s{2}(\d+) (passed|failed|skipped|flaky)\b/gm)) {
  // A flaky test failed once and then passed on its retry.
  if (what === 'passed' || what === 'flaky') passed += Number(n);
  else if (what === 'failed') failed += Number(n);
  else skipped += Number(n);
}
// scripts/run-stages.mjs: a stage that failed without failing a test (typecheck, lint, a build, a
// runner that crashed) must show in the closing line too.
const stages = [...text.matchAll(/^== stages failed: (.+?) \(of /gm)].map((m) => m[1]);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped${stages.length ? `; stages failed: ${stages.join('; ')}` : ''}`);
