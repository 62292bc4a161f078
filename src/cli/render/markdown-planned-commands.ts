import { callsOf } from '../../engine/run-step.js';
import type { Plan } from '../../model/plan.js';
import { awsCliLines, type AwsCliConnection } from './aws-cli-command.js';

/**
 * The `aws` CLI commands each change of a plan will run, worked out from the plan alone (its `before` as the
 * live value): what a report shows before anything is applied. The dry run and the apply compute the same calls
 * from the value they read live, and the CLI renders those from the calls their run results carry. Pure.
 */
export function plannedCommands(plan: Plan, awsCli: AwsCliConnection): ReadonlyMap<string, readonly string[]> {
  return new Map(
    plan.changes.map((change, seq) => [
      change.id,
      awsCliLines(
        callsOf({ seq, change, from: change.before, to: change.after, recorded: null }, { value: change.before, memo: null }),
        plan.target.region,
        awsCli,
      ),
    ]),
  );
}
