import { readFileSync, statSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * A test file that starts processes (the CLI, the aws CLI, crash runs: a second of CPU or more each, the suite's
 * long poles), by the helpers it calls; importing only `tempDir` from support/cli.js starts none.
 */
const startsProcesses = /\b(runCli|binPath|awsCli|awsCliError|freshSandbox|usePreparedJournal)\(|\bspawn\(process\.execPath, \[binPath/;

/**
 * The same order on every machine, cache or none (CI starts from a clean clone, so vitest's own order there is by
 * file size alone): the files that start processes first, so that the longest ones do not start last and leave one
 * worker running alone at the end; then the in-process ones, which fill the gaps. Larger files first within each.
 */
export default class ProcessesFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (spec: TestSpecification) => {
      const text = readFileSync(spec.moduleId, 'utf8');
      return { spec, processes: startsProcesses.test(text), size: statSync(spec.moduleId).size };
    };
    return files
      .map(key)
      .sort((a, b) => Number(b.processes) - Number(a.processes) || b.size - a.size)
      .map((k) => k.spec);
  }
}
