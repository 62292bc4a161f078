import { iamPolicy, type IamCommand, type IamPolicy } from '../../engine/iam-policy.js';
import { planIamPolicy } from '../../engine/plan-iam-policy.js';
import { ErrorCode, RemediateError } from '../../model/errors.js';
import { stackName } from '../../model/stack-definition.js';
import type { GlobalOptions } from '../cli-options.js';
import { stackFlagArgs } from '../command-hints.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';
import { openRuntime } from '../runtime.js';

export interface IamPolicyOptions extends GlobalOptions {
  readonly command: IamCommand;
  /** `--plan`: scope the writes to this plan's resources. */
  readonly plan: string | undefined;
  /** `--account`: the account of the ARN patterns when no plan scopes the policy (else any account, `*`). */
  readonly account: string | undefined;
}

/**
 * `remediate iam-policy <command>`: the least-privilege IAM policy that command needs, as JSON. With `--plan`, or a
 * stack named (`--stack`, stack flags, `--sandbox`'s scenario), apply's and rollback's writes are scoped to the
 * resources of that plan (else the stack's latest plan); otherwise to the ARN patterns of `--account` and `--region`.
 */
export async function iamPolicyCommand(options: IamPolicyOptions): Promise<ExitCode> {
  const out = output(options);
  const writes = options.command === 'apply' || options.command === 'rollback';
  const named = options.stack !== undefined || stackFlagArgs({ ...options.stackFlags, policy: undefined }).length > 0;
  if (options.plan !== undefined && !writes) {
    throw new RemediateError(ErrorCode.BadInput, `--plan scopes the writes of apply and rollback, and ${options.command} only reads`, {
      hint: `drop --plan, or ask for remediate iam-policy apply --plan ${options.plan}`,
    });
  }
  if (options.plan !== undefined && named) {
    throw new RemediateError(
      ErrorCode.BadInput,
      '--plan names the plan and therefore its stack; it cannot be combined with --stack or stack flags',
      {
        hint: "drop the stack flags, or drop --plan for that stack's latest plan",
      },
    );
  }
  if (options.plan !== undefined && options.account !== undefined) {
    throw new RemediateError(ErrorCode.BadInput, '--plan names the plan and therefore its account; it cannot be combined with --account', {
      hint: 'drop --account, or drop --plan for the account-wide ARN patterns',
    });
  }
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new RemediateError(ErrorCode.BadInput, `--account ${options.account} is not an AWS account id (12 digits)`, {
      hint: 'give the 12-digit account id, e.g. --account 123456789012',
    });
  }
  if (writes && (options.plan !== undefined || named || options.sandbox)) {
    const rt = await openRuntime(options, options.plan === undefined ? 'if-named' : 'unused');
    try {
      const name = options.plan === undefined && rt.hasStack() ? stackName(rt.stack()) : undefined;
      const scoped = await planIamPolicy(rt.ctx, options.command, { planId: options.plan, stackName: name });
      print(out, options.command, scoped.policy, {
        plan: scoped.planId,
        stack: scoped.stack,
        account: scoped.account,
        region: scoped.region,
      });
    } finally {
      await rt.close();
    }
    return ExitCode.Ok;
  }
  const place = { account: options.account ?? '*', region: options.region ?? '*' };
  print(out, options.command, iamPolicy(options.command, { kind: 'patterns', place }), { account: place.account, region: place.region });
  return ExitCode.Ok;
}

function print(out: ReturnType<typeof output>, command: IamCommand, policy: IamPolicy, scope: Record<string, string>): void {
  if (out.json) out.document('iam-policy', { for: command, scope, policy });
  else out.text(`${JSON.stringify(policy, null, 2)}\n`);
}
