// The CLI as one ES module bundle with lazy chunks (issue 11, goal 1), what bin/remediate.js runs. `npm run build`
// runs tsc (dist/, which the tests and benches import module by module) and then this, which bundles
// src/cli/main.ts into dist/bundle/: main.js, and under chunks/ one chunk per dynamic import (each command, each
// service's SDK classes, the sandbox, zod's schemas...) and the chunks they share. Without it, a plan resolves and
// loads some 370 modules of dist/ and the SDK's clients whole; `node scripts/bundle.mjs --analyze` prints what each
// chunk holds.
import { build, analyzeMetafile } from 'esbuild';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

/**
 * The SDK's schema modules (one per client, EC2's 1.3 MB: every shape of every operation) key their trait objects
 * with module constants, `{ [_xN]: _TSa }`. A computed key may run code (toString), so esbuild keeps every shape
 * whether used or not. Written with the constant's string literal (`{ "xmlName": _TSa }`, the same object), an
 * unused shape is a pure array literal, and only the shapes of the commands a surface exports stay.
 */
const sdkSchemaKeys = {
  name: 'sdk-schema-keys',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/].*[\\/]schemas[\\/]schemas_\d+\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const strings = new Map();
      for (const m of text.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) strings.set(m[1], m[2]);
      const contents = text.replace(/\[(_\w+)\]:/g, (key, name) => (strings.has(name) ? `${strings.get(name)}:` : key));
      return { contents, loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  // The entry serves `--help` alone (src/cli/bin-entry.ts) and imports src/cli/main.ts, a chunk, for the rest.
  entryPoints: { main: 'src/cli/bin-entry.ts' },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SDK's ES modules (its `module` field), which tree-shake, rather than its CommonJS build.
  mainFields: ['module', 'main'],
  // Native addons and packages that load files of their own at run time stay in node_modules, loaded from there.
  external: ['better-sqlite3', 'pg', 'web-tree-sitter', '@tree-sitter-grammars/*'],
  define: { REMEDIATE_BUNDLED: 'true' },
  plugins: [sdkSchemaKeys],
  minify: true,
  keepNames: true,
  legalComments: 'linked',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// `remediate --help` rendered by the bundle itself, at each width src/cli/rendered-help.ts serves, beside the output
// that holds that module (it reads help-<width>.txt relative to itself). Rendered here, the help cannot differ from
// what the same build would print; at any other width the CLI renders it as before.
const helpHolder = Object.entries(result.metafile.outputs).find(([, o]) => 'src/cli/rendered-help.ts' in o.inputs)?.[0];
if (helpHolder === undefined) throw new Error('no output holds src/cli/rendered-help.ts');
for (const width of [100, 120]) {
  // A pipe has no columns: 100. A terminal's width is its columns (at most 120), set here before the CLI runs.
  const columns = width === 100 ? [] : ['--import', `data:text/javascript,process.stdout.columns=${width}`];
  const r = spawnSync(process.execPath, [...columns, `${outdir}/main.js`, '--help'], { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr !== '') throw new Error(`rendering --help at ${width} columns: exit ${r.status}\n${r.stderr}`);
  await writeFile(`${root}${dirname(helpHolder)}/help-${width}.txt`, r.stdout);
}

// What each output file holds (its source modules: src/… and node_modules/…), for test/startup-modules.test.ts,
// which maps the chunks a real process loaded back to the packages and modules in them.
const inputs = Object.fromEntries(
  Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => [file.replace(/^dist\/bundle\//, ''), Object.keys(output.inputs)]),
);
await writeFile(`${outdir}/inputs.json`, `${JSON.stringify(inputs, null, 1)}\n`);
if (process.argv.includes('--analyze')) console.log(await analyzeMetafile(result.metafile));
