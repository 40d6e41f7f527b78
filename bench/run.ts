// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints
// one JSON line per measurement: {"bench": ..., "metric": ..., "value": ..., "unit": ..., "target": ...}.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type Measurement = { bench: string; metric: string; value: number; unit: string; target?: string; ok?: boolean; [k: string]: unknown };
export type Report = (m: Measurement) => void;
export type BenchModule = { run(report: Report): Promise<void> };

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
  .sort();

let failed = false;
for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(here, f)).href)) as BenchModule;
  await mod.run((m) => {
    if (m.ok === false) failed = true;
    console.log(JSON.stringify(m));
  });
}
process.exit(failed ? 1 : 0);
