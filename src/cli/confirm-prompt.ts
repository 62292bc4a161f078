import { createInterface } from 'node:readline/promises';
import type { ApplySummary } from '../engine/apply-plan.js';

/** Whether `apply --confirm` asks before writing: on a terminal (stdin a TTY), unless `--auto-approve`. */
export function shouldAsk(autoApprove: boolean): boolean {
  return !autoApprove && process.stdin.isTTY === true;
}

/**
 * Terraform's convention: shows where the apply writes and how many changes, then asks; only `yes` applies.
 * The question goes to stderr (stdout stays the results); the answer is read from stdin.
 */
export async function askToApply(summary: ApplySummary): Promise<boolean> {
  const n = summary.changeIds.length;
  process.stderr.write(
    [
      `About to apply plan ${summary.planId}: ${n} change${n === 1 ? '' : 's'} (${summary.changeIds.join(', ')})`,
      `  account ${summary.account} · region ${summary.region} · stack ${summary.stack} · ${summary.endpoint}`,
      '',
    ].join('\n'),
  );
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    const answer = await rl.question('Only "yes" applies. Apply these changes? ');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
