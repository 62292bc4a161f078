import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The CLI tests run the built program: build it once, fresh, before any test, as `npm run build` does: tsc's dist/
 * (which tests and benches import module by module) and the bundle bin/remediate.js runs (scripts/bundle.mjs).
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`], { stdio: 'inherit' });
  execFileSync(process.execPath, [`${root}scripts/bundle.mjs`], { stdio: 'inherit' });
}
