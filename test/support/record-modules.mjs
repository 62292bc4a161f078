// Records every module a process loads, for test/startup-modules.test.ts: started with
// NODE_OPTIONS="--import <this file>" and RECORD_MODULES=<file>. ES modules are recorded by a load hook (one URL a
// line, as each loads); CommonJS ones (the SDK clients, yaml, pino, better-sqlite3 are required) from the require
// cache when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.RECORD_MODULES;
if (out) {
  register('./record-modules-hooks.mjs', import.meta.url, { data: { out } });
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => appendFileSync(out, Object.keys(cache).join('\n') + '\n'));
}
