#!/usr/bin/env node
// The `daiban` command line (and the county service: `daiban county serve`), run from its esbuild
// bundle dist-cli/daiban.mjs: no tsx or TypeScript at run time. In a checkout the bundle is
// rebuilt first when a source file is newer (about 2 s); see scripts/build-cli.mjs.
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from '../scripts/build-cli.mjs';

const bundle = await ensureCliBundle();
await import(pathToFileURL(bundle).href);
