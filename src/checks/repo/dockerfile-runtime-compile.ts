import type { Cmd, Entrypoint } from 'dockerfile-ast';
import { filePatchChange } from '../../fixes/repo-file-patch.js';
import type { Detection } from '../check.js';
import { defineCheck } from '../check.js';
import { applyEdits, dockerfileSubject, fileLine, offsetOf } from './support/dockerfiles.js';

/** The words of a CMD or ENTRYPOINT: its JSON strings (exec form), else its shell words. */
function wordsOf(instruction: Cmd | Entrypoint): string[] {
  const json = instruction.getJSONStrings();
  return json.length > 0 ? json.map((s) => s.getJSONValue()) : instruction.getArguments().map((a) => a.getValue());
}

/** A TypeScript source run as such: `src/server.ts` (not a declaration file). */
function typeScriptSource(word: string): boolean {
  return /\.(ts|mts|cts)$/.test(word) && !/\.d\.[mc]?ts$/.test(word);
}

/** The compiled form of a source path: `src/server.ts` → `dist/server.js` (tsc's usual `rootDir: src`, `outDir: dist`). */
function compiledPath(source: string): string {
  return `dist/${source.replace(/^\.\//, '').replace(/^src\//, '')}`.replace(/\.(m|c)?ts$/, (_m, k: string | undefined) => `.${k ?? ''}js`);
}

/** Whether a RUN instruction compiles TypeScript: `npm run build`, `yarn build`, `pnpm build`, `tsc`. */
function compiles(run: string): boolean {
  return /\b(npm run build|yarn( run)? build|pnpm( run)? build|npx tsc|tsc)\b/.test(run);
}

/**
 * `repo.dockerfile-runtime-compile`: a Dockerfile's CMD or ENTRYPOINT runs `ts-node` (or a `.ts` source): the container
 * compiles TypeScript at every start, which took the Nexora API past its memory and got it SIGKILLed (the audit, item
 * 1). When the Dockerfile compiles already (a RUN of `npm run build` or `tsc`), the fix is the compiled form
 * `CMD ["node", "dist/server.js"]` in place of that instruction's arguments (the rest byte-identical); without a build
 * step remediate cannot know where the output goes, so it is a finding with the line to change.
 */
export const dockerfileRuntimeCompileCheck = defineCheck({
  id: 'repo.dockerfile-runtime-compile',
  title: 'No Dockerfile compiles TypeScript at container start (ts-node at runtime)',
  subject: (o) => dockerfileSubject(o.repo),
  detect({ repo, dockerfiles }) {
    const detections: Detection[] = [];
    for (const { file, ast } of dockerfiles) {
      const builds = ast.getInstructions().some((i) => i.getKeyword().toUpperCase() === 'RUN' && compiles(i.getArgumentsContent() ?? ''));
      for (const instruction of [...ast.getCMDs(), ...ast.getENTRYPOINTs()]) {
        const words = wordsOf(instruction);
        const source = words.find(typeScriptSource);
        if (!words.includes('ts-node') && source === undefined) continue;
        const range = instruction.getArgumentsRange();
        if (range === null) continue;
        const at = fileLine(file, instruction.getRange().start);
        const keyword = instruction.getKeyword().toUpperCase();
        const compiled = source === undefined ? undefined : compiledPath(source);
        const finding = {
          severity: 'high' as const,
          resource: at,
          title: `${file.path} runs ${words.join(' ')} at container start: TypeScript is compiled in the container at every start (memory, SIGKILL) (${at})`,
          evidence: {
            file: file.path,
            line: instruction.getRange().start.line + 1,
            instruction: `${keyword} ${instruction.getArgumentsContent() ?? ''}`,
            buildStep: builds,
          },
        };
        if (!builds || compiled === undefined) {
          detections.push({
            finding: {
              ...finding,
              nextStep: `compile at build time (RUN npm run build) and change ${at} to run the compiled JavaScript (${keyword} ["node", "${compiled ?? 'dist/server.js'}"])`,
            },
          });
          continue;
        }
        const edit = {
          start: offsetOf(file.content, range.start),
          end: offsetOf(file.content, range.end),
          text: JSON.stringify(['node', compiled]).replace(/","/g, '", "'),
        };
        detections.push({
          finding,
          change: filePatchChange(
            repo,
            file,
            applyEdits(file.content, [edit]),
            `run the compiled ${compiled} (the Dockerfile builds it) instead of compiling ${source} at start`,
          ),
        });
      }
    }
    return detections;
  },
});
