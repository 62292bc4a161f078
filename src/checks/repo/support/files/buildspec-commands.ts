import { createRequire } from 'node:module';
import type { SourceFile } from '../../../../repo/terraform/terraform-model.js';
import { lineAt } from './file-finding.js';

/** A buildspec: `buildspec.yml`, `buildspec-frontend.yml`, … (AWS CodeBuild, https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html). */
export const isBuildspec = (path: string): boolean => /(^|\/)buildspec[^/]*\.ya?ml$/i.test(path);

/** One word of a command, with where its text is in the file when it can be found there verbatim. */
export interface CommandWord {
  readonly text: string;
  readonly start: number | undefined;
}

/** A `docker build` in a buildspec: the folder it runs in (after `cd`s), its Dockerfile, context and build args. */
export interface DockerBuild {
  readonly file: string;
  readonly line: number;
  readonly command: string;
  /** The folder the command runs in, relative to the repository root (CodeBuild starts at the source root). */
  readonly cwd: string;
  readonly dockerfile: CommandWord | undefined;
  readonly context: CommandWord | undefined;
  /** `--build-arg NAME[=VALUE]`: the names. */
  readonly buildArgs: readonly string[];
}

/** Options of `docker build` that take a value (https://docs.docker.com/reference/cli/docker/buildx/build/). */
const WITH_VALUE = new Set([
  '-t',
  '--tag',
  '--target',
  '--platform',
  '--cache-from',
  '--cache-to',
  '--label',
  '--network',
  '--progress',
  '--secret',
  '--ssh',
  '--output',
  '-o',
  '--add-host',
  '--iidfile',
  '--shm-size',
  '--ulimit',
  '--build-context',
]);

/** Shell words of a command (quotes removed), each with its offset in the command when it has no quotes. */
function words(command: string): { text: string; at: number | undefined }[] {
  const out: { text: string; at: number | undefined }[] = [];
  const re = /(?:[^\s"'\\]|\\.|"(?:[^"\\]|\\.)*"|'[^']*')+/g;
  for (const m of command.matchAll(re)) {
    const raw = m[0];
    const quoted = /["'\\]/.test(raw);
    out.push({ text: quoted ? raw.replace(/^["']|["']$/g, '').replace(/\\(.)/g, '$1') : raw, at: quoted ? undefined : m.index });
  }
  return out;
}

const normalize = (dir: string, rel: string): string => {
  const parts = (rel.startsWith('/') ? rel : `${dir}/${rel}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
};

export const resolvePath = normalize;

/** `yaml` is required when a buildspec is first parsed (plan --repo with one), not when the checks load: a plan without one does not load it. */
const loadYaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** The `docker build`s of a buildspec's phases, in order, with the `cd`s before each followed. */
export function dockerBuilds(source: SourceFile): DockerBuild[] {
  const { isMap, isScalar, isSeq, parseDocument } = loadYaml();
  const doc = parseDocument(source.text, { keepSourceTokens: true });
  if (doc.errors.length > 0) return [];
  const phases = doc.get('phases');
  if (!isMap(phases)) return [];
  const out: DockerBuild[] = [];
  let cwd = '';
  for (const phase of phases.items) {
    const commands = isMap(phase.value) ? phase.value.get('commands') : undefined;
    if (!isSeq(commands)) continue;
    for (const item of commands.items) {
      if (!isScalar(item) || typeof item.value !== 'string' || item.range === undefined || item.range === null) continue;
      const command = item.value;
      // Where the command's text is in the file: a plain or quoted scalar without escapes holds it verbatim.
      const raw = source.text.slice(item.range[0], item.range[1]);
      const offset = raw.indexOf(command) >= 0 ? item.range[0] + raw.indexOf(command) : undefined;
      for (const part of command.split(/&&|;/)) {
        const partAt = command.indexOf(part);
        const ws = words(part);
        const at = (w: { at: number | undefined } | undefined) =>
          w?.at === undefined || offset === undefined ? undefined : offset + partAt + w.at;
        if (ws[0]?.text === 'cd' && ws[1] !== undefined && !ws[1].text.includes('$')) {
          cwd = normalize(cwd, ws[1].text);
          continue;
        }
        const docker = ws.findIndex((w) => w.text === 'docker');
        if (docker < 0 || ws[docker + 1]?.text !== 'build') continue;
        let dockerfile: CommandWord | undefined;
        let context: CommandWord | undefined;
        const buildArgs: string[] = [];
        for (let i = docker + 2; i < ws.length; i++) {
          const w = ws[i];
          if (w === undefined) break;
          if (w.text === '-f' || w.text === '--file') {
            const v = ws[++i];
            if (v !== undefined) dockerfile = { text: v.text, start: at(v) };
          } else if (w.text.startsWith('--file=')) {
            dockerfile = { text: w.text.slice(7), start: at(w) === undefined ? undefined : (at(w) ?? 0) + 7 };
          } else if (w.text === '--build-arg') {
            const v = ws[++i];
            if (v !== undefined) buildArgs.push(v.text.split('=')[0] ?? v.text);
          } else if (w.text.startsWith('--build-arg=')) {
            buildArgs.push(w.text.slice(12).split('=')[0] ?? '');
          } else if (WITH_VALUE.has(w.text)) {
            i++;
          } else if (!w.text.startsWith('-')) {
            context = { text: w.text, start: at(w) };
          }
        }
        out.push({
          file: source.path,
          line: lineAt(source.text, item.range[0]),
          command: part.trim(),
          cwd,
          dockerfile,
          context,
          buildArgs,
        });
      }
    }
  }
  return out;
}
