import { iamPolicy, type IamCommand } from '../../engine/iam-policy.js';
import type { GlobalOptions } from '../cli-options.js';
import { ExitCode } from '../exit-codes.js';
import { output } from '../output.js';

/** `remediate iam-policy <command>`: the least-privilege IAM policy that command needs, as JSON. */
export async function iamPolicyCommand(options: GlobalOptions & { readonly command: IamCommand }): Promise<ExitCode> {
  const out = output(options);
  const policy = iamPolicy(options.command);
  if (out.json) out.document('iam-policy', { for: options.command, policy });
  else out.text(`${JSON.stringify(policy, null, 2)}\n`);
  return ExitCode.Ok;
}
