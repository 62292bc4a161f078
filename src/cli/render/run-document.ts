import type { RunResult } from '../../engine/run-result.js';
import { awsCliLines, type AwsCliConnection } from './aws-cli-command.js';
import type { RunDocumentBody } from '../documents/document-parts.js';

/**
 * A run as its `--json` document shows it: the result as the engine returned it, with each step's calls also as
 * `aws` CLI lines (`steps[].cli`, in the run's region over `awsCli`'s connection) and its `state` repeated as
 * `status`, the name the CLI's JSON contract gives it (`steps[].status`). The region is not a field of the
 * document: its lines name it.
 */
export function runDocument(result: RunResult, awsCli: AwsCliConnection): RunDocumentBody {
  const { region, ...rest } = result;
  return {
    ...rest,
    steps: result.steps.map(({ calls, observedBefore, observedAfter, memo, note, error, ...step }) => ({
      ...step,
      calls,
      cli: awsCliLines(calls, region, awsCli),
      observedBefore,
      observedAfter,
      memo,
      note,
      error,
      status: step.state,
    })),
  };
}
