import { readdirSync, readFileSync } from 'node:fs';
import type { SourceFile } from '../../src/repo/terraform/terraform-model.js';

/** The files of a fixture folder under test/fixtures/terraform/, as the detectors take them (paths relative to it). */
export function fixtureSources(folder: string): SourceFile[] {
  const dir = new URL(`../fixtures/terraform/${folder}/`, import.meta.url);
  const out: SourceFile[] = [];
  const walk = (sub: string): void => {
    for (const entry of readdirSync(new URL(sub, dir), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}${entry.name}`;
      if (entry.isDirectory()) walk(`${rel}/`);
      else out.push({ path: rel, text: readFileSync(new URL(rel, dir), 'utf8') });
    }
  };
  walk('');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
