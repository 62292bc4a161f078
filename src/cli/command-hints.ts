import { shellQuote } from '../fixes/shell-quote.js';
import type { StackFlags } from './cli-options.js';

/**
 * The flags a suggested next command repeats, each ready to append (empty, or starting with a space).
 * `where` names the journal and the account (`--sandbox`, `--journal`, `--endpoint-url`, `--profile`): enough
 * for the commands that take an id (`apply --plan`, `rollback`, `show`, `history`). `stack` adds what names
 * the stack (`--stack`, `--region`, `--domain`, …): what `plan`, `verify` and `apply` without `--plan` need.
 */
export interface CommandHints {
  readonly where: string;
  readonly stack: string;
}

/** The hints of a command run with these flags. */
export function commandHints(where: readonly string[], stackArgs: readonly string[]): CommandHints {
  const words = (args: readonly string[]) => (args.length === 0 ? '' : ` ${args.map(shellQuote).join(' ')}`);
  return { where: words(where), stack: words([...where, ...stackArgs]) };
}

/** The stack flags as given on the command line, in `--help` order. */
export function stackFlagArgs(flags: StackFlags): string[] {
  const pairs: ReadonlyArray<readonly [string, string | number | undefined]> = [
    ['--domain', flags.domain],
    ['--load-balancer', flags.loadBalancer],
    ['--target-group', flags.targetGroup],
    ['--cluster', flags.cluster],
    ['--service', flags.service],
    ['--health-path', flags.healthPath],
    ['--certificate-arn', flags.certificateArn],
    ['--stack-name', flags.name],
    ['--min-grace-period', flags.policy?.minHealthCheckGracePeriodSeconds],
    ['--tls-policy', flags.policy?.tlsPolicy],
    ['--health-check-matcher', flags.policy?.healthCheckMatcher ?? undefined],
  ];
  return pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)]));
}
