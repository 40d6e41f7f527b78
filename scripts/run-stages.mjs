// `npm test`: runs every stage given as "name=command" in order, each to the end even when an earlier
// one failed (a type error must not hide what Vitest or Playwright would say), then prints one line
// naming the stages that failed and exits non-zero if any did. scripts/test-summary.mjs (.ci/run's
// closing line) reads that line.
import { spawnSync } from 'node:child_process';

const stages = process.argv.slice(2).map((arg) => {
  const eq = arg.indexOf('=');
  if (eq < 1) {
    console.error(`run-stages: expected name=command, got "${arg}"`);
    process.exit(2);
  }
  return { name: arg.slice(0, eq), command: arg.slice(eq + 1) };
});

const failed = [];
for (const s of stages) {
  console.log(`\n== stage ${s.name}: ${s.command}`);
  const started = Date.now();
  const r = spawnSync(s.command, { stdio: 'inherit', shell: true });
  // Ctrl-C reaches the stage and us: stop rather than start the next stage.
  if (r.signal === 'SIGINT' || r.signal === 'SIGTERM') process.kill(process.pid, r.signal);
  const code = r.status ?? 1;
  const secs = Math.round((Date.now() - started) / 1000);
  console.log(`== stage ${s.name}: ${code === 0 ? 'passed' : `FAILED (exit ${r.signal ?? code})`} in ${secs} s`);
  if (code !== 0) failed.push(s.name);
}
console.log(
  failed.length
    ? `== stages failed: ${failed.join(', ')} (of ${stages.map((s) => s.name).join(', ')})`
    : `== all stages passed: ${stages.map((s) => s.name).join(', ')}`,
);
process.exit(failed.length ? 1 : 0);
