import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Check, LayerChecks } from '../src/checks/check.js';
import { checks, type CheckId } from '../src/checks/checks.js';
import { apexAliasCheck } from '../src/checks/dns/index.js';
import { gracePeriodCheck } from '../src/checks/ecs/index.js';
import { checkLayers } from '../src/model/check-id.js';

/**
 * A check is one file, src/checks/<layer>/<name>.ts, holding the check `<layer>.<name>`; the layer's index.ts
 * lists it and src/checks/checks.ts takes every layer's index. A check file the index forgets would never run, so
 * every file of a layer folder (but index.ts and support/) must export a check its index lists, and every check an
 * index lists must be in `checks`, once.
 */
const checksDir = new URL('../src/checks/', import.meta.url);
const layers = readdirSync(checksDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'support')
  .map((e) => e.name)
  .sort();

function isCheck(value: unknown): value is Check {
  return (
    typeof value === 'object' && value !== null && typeof (value as Check).id === 'string' && typeof (value as Check).detect === 'function'
  );
}

async function exportedChecks(url: URL): Promise<Check[]> {
  const module = (await import(url.href)) as Record<string, unknown>;
  return Object.values(module).flatMap((v) => (isCheck(v) ? [v] : Array.isArray(v) ? v.filter(isCheck) : []));
}

describe('checks registered by layer', () => {
  it('has the layers of the check ids', () => {
    expect(layers).toEqual(['alb', 'cloudfront', 'dns', 'ecs', 'logs', 'network', 'repo', 'stack', 'tg']);
    expect([...checkLayers].sort()).toEqual(layers);
  });

  it('each check id is once, and each check is of the layer of its id (its folder)', () => {
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
    for (const check of checks) expect(check.layer, check.id).toBe(check.id.split('.')[0]);
  });

  it('the compiler holds a layer index to its layer, and CheckId to the ids that exist', () => {
    // Checked by tsc (npm test compiles the tests): a check of another layer in a layer's list does not compile,
    // nor an id no index lists; and the real ones do.
    // @ts-expect-error: ecs.health-check-grace-period is not a dns check
    const mixed: LayerChecks<'dns'> = [apexAliasCheck, gracePeriodCheck];
    // @ts-expect-error: no index lists this id
    const unknown: CheckId = 'dns.no-such-check';
    const known: CheckId[] = ['dns.apex-alias', 'ecs.health-check-grace-period'];
    expect(mixed.length + unknown.length).toBeGreaterThan(0);
    expect(known.every((id) => checks.some((c) => c.id === id))).toBe(true);
  });

  it('lists findings by layer, top to bottom, in each index order within a layer', () => {
    const order = checks.map((c) => checkLayers.indexOf(c.layer));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  for (const layer of layers) {
    const dir = new URL(`${layer}/`, checksDir);
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && e.name !== 'index.ts')
      .map((e) => e.name.replace(/\.ts$/, ''));

    it(`${layer}: every check file holds the check named after it, and index.ts lists it`, async () => {
      const listed = new Set(await exportedChecks(new URL('index.ts', dir)));
      expect(listed.size).toBeGreaterThan(0);
      for (const name of files) {
        const found = await exportedChecks(new URL(`${name}.ts`, dir));
        expect(
          found.map((c) => c.id),
          `src/checks/${layer}/${name}.ts holds ${layer}.${name} (helpers go under ${layer}/support/)`,
        ).toEqual([`${layer}.${name}`]);
        expect(
          found.every((c) => listed.has(c)),
          `src/checks/${layer}/index.ts lists ${layer}.${name}`,
        ).toBe(true);
      }
      expect([...listed].map((c) => c.id).sort(), `src/checks/${layer}/index.ts lists only the checks of its files`).toEqual(
        files.map((f) => `${layer}.${f}`).sort(),
      );
    });
  }

  it('checks.ts lists every check of every layer index, each once', async () => {
    const all = (await Promise.all(layers.map((l) => exportedChecks(new URL(`${l}/index.ts`, checksDir))))).flatMap((cs) => [
      ...new Set(cs),
    ]);
    expect(checks.length).toBe(new Set(checks).size);
    expect([...checks].map((c) => c.id).sort()).toEqual(all.map((c) => c.id).sort());
    expect(all.every((c) => checks.some((listed) => listed === c))).toBe(true);
  });
});
