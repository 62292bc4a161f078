import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import type { HistoryFilter } from '../engine/history.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import type { GlobalOptions, StackFlags } from './cli-options.js';
import { completeSuggestions, hintsFor, planStackArgs, SANDBOX_SERVE_PORT } from './command-hints.js';
import { MAX_DEADLINE_SECONDS } from './deadline.js';
import { checkEndpointUrl } from './endpoint-url.js';
import { ExitCode, exitCodeHelp, exitCodeOf } from './exit-codes.js';
import { logLevels, type LogLevel } from './log-levels.js';
import { fromSandboxError } from './sandbox-errors.js';
import { colourWanted, style } from './style.js';
import { nearest } from './nearest-name.js';
import { parseRoutes } from '../verify/probe-routes.js';
import { helpWidth } from './rendered-help.js';
import type { ChangeSelectors } from '../engine/change-selection.js';

const examples = `Examples:
  remediate plan --sandbox                  what is wrong with the sandbox's broken stack, and the fixes
  remediate apply --sandbox                 dry run: the ordered steps and exact API calls
  remediate apply --sandbox --confirm       apply the latest plan, step by step, verified
  remediate rollback <run-id> --sandbox     undo that run, newest step first
  remediate verify --sandbox                the audits' proof tests (exit 12 when one fails)
  remediate apply --sandbox --confirm --verify    apply, then verify
  remediate apply --sandbox --confirm --target alb.http-redirect   that change and what it needs
  remediate rollback <run-id> --sandbox --skip-conflicts   undo what is safe, leave conflicts (exit 14)
  remediate plan --sandbox --format markdown      an incident report to paste into a ticket
  remediate plan --stack prod.yaml --profile oncall
  remediate plan --stack prod.yaml --endpoint-url http://127.0.0.1:4566   (LocalStack, moto)
  remediate verify --stack prod.yaml --endpoint-url http://127.0.0.1:4566 --resolve '*:443:127.0.0.1'   (probe a test server)`;

/** What the lock covers, and what it does not: said in --help as in the README. */
const lockHelp = `Lock: per resource, in one journal. A run locks every resource its steps write (ARNs;
  a repository file by its absolute path), all at once, before its first write: a second
  apply or rollback that would write any of them exits 7 at once, naming the holder, its
  run and the resources in common, whatever stack name either was planned under; runs on
  other resources go on side by side. Not covered: two journals (two --journal files or
  databases; machines sharing one postgres:// journal are covered), changes made outside
  remediate. A live run renews its lease (120 s);
  a run stuck past it loses the lock to the next run, and its next journal write is
  refused (exit 7).`;

// yargs' CommonJS build loads in a third of the time of its ESM one. Required on first use.
const yargs = (args: string[]) => (createRequire(import.meta.url)('yargs/yargs') as typeof import('yargs/yargs'))(args);

/** Parses the command line, runs the command, and returns the exit code. Errors are printed here and only here. */
export async function runCli(argv: readonly string[]): Promise<number> {
  rawArgs = argv;
  let exitCode: number = ExitCode.Ok;
  let format: 'text' | 'json' = jsonRequested(argv) ? 'json' : 'text';
  let color: boolean | undefined;
  const run = (work: () => Promise<number>) => async () => {
    exitCode = await work();
  };
  try {
    const parser = globalOptions(yargs([...argv]))
      .scriptName('remediate')
      .usage(
        'remediate <command> [options]\n\nFinds what is wrong with an AWS web stack (Route53 → CloudFront → ALB → target group → ECS),\nfixes it step by step, and can undo every step. Every step is journaled in SQLite.',
      )
      .command(
        'plan',
        'Read the stack and show each drift with its evidence and the change that fixes it (exit 2 when there are changes to apply, 16 when only findings that need a person are left, 0 when neither)',
        (y) =>
          y.option('fleet', {
            type: 'string',
            describe:
              'Plan every stack of a fleet file (accounts × regions × domains, docs/fleet-file.md): one plan each, one table; exit 18 when stacks failed, 19 when more than maxErrors did',
          }),
        (a) =>
          run(async () =>
            typeof a.fleet === 'string'
              ? (await import('./commands/fleet-command.js')).planFleetCommand({ ...globals(a), fleet: a.fleet })
              : (await import('./commands/plan-command.js')).planCommand(globals(a)),
          )(),
      )
      .command(
        'apply',
        'Apply the latest plan (or --plan <id>). Without --confirm: a dry run showing the ordered steps and exact API calls. With --verify: then verify (exit 12 when a proof test fails)',
        (y) =>
          y
            .option('confirm', {
              type: 'boolean',
              default: false,
              describe:
                'Really apply; without it nothing is changed. On a terminal, first shows account, region, stack and the number of changes and asks: only "yes" applies (anything else: exit 15, nothing changed)',
            })
            .option('auto-approve', {
              type: 'boolean',
              default: false,
              describe: "With --confirm on a terminal: apply without asking (Terraform's flag). Without a terminal nothing is asked anyway",
            })
            .option('plan', { type: 'string', describe: 'Plan id (or unique prefix) to apply instead of the latest' })
            .option('fleet', {
              type: 'string',
              describe:
                'Apply the newest fleet plan of this fleet file (or --plan fleet-…), stack by stack under its maxConcurrency, starting no new stack once more than maxErrors failed',
            })
            .option('rollback-on-failure', {
              type: 'boolean',
              default: false,
              describe: 'When a step fails, undo the steps of this run already applied',
            })
            .option('max-changes', {
              type: 'number',
              default: 20,
              describe: 'Refuse, before any write, a plan with more changes than this',
            })
            .option('max-plan-age', {
              type: 'string',
              default: '60m',
              describe: 'Warn when the plan is older than this (e.g. 30m, 2h); before values are re-checked anyway',
            })
            .option('verify', {
              type: 'boolean',
              default: false,
              describe: 'After a successful apply, run remediate verify; exit 12 (verify failed) when a proof test fails. Needs --confirm',
            })
            .option('wait', {
              type: 'boolean',
              default: true,
              describe: 'With --verify: poll the proof tests until AWS converges (exit 17 past --timeout); --no-wait probes once',
            })
            .option('timeout', {
              type: 'string',
              default: '15m',
              describe: 'With --verify: how long to wait for AWS to converge (e.g. 90s, 15m)',
            })
            .options(routeOptions)
            .options(selectionOptions('apply')),
        (a) =>
          run(async () =>
            typeof a.fleet === 'string'
              ? (await import('./commands/fleet-command.js')).applyFleetCommand({
                  ...globals(a),
                  fleet: a.fleet,
                  confirm: a.confirm === true,
                  plan: a.plan,
                })
              : (await import('./commands/apply-command.js')).applyCommand({
                  ...globals(a),
                  confirm: a.confirm === true,
                  plan: a.plan,
                  rollbackOnFailure: a['rollback-on-failure'] === true,
                  maxChanges: wholeNumber(a['max-changes'], '--max-changes', { min: 1, example: 20 }),
                  maxPlanAgeMs: duration(a['max-plan-age'], '--max-plan-age'),
                  verify: a.verify === true,
                  routes: routesOf(a),
                  selectors: selectorsOf(a),
                  autoApprove: a['auto-approve'] === true,
                  wait: a.wait === false ? undefined : { timeoutMs: duration(a.timeout, '--timeout') },
                }),
          )(),
      )
      .command(
        'rollback <run-id>',
        'Undo an apply run, newest step first; refuses (exit 6) if a resource changed since, unless --force (overwrite) or --skip-conflicts (undo the rest, exit 14)',
        (y) =>
          y
            .positional('run-id', {
              type: 'string',
              demandOption: true,
              describe: 'Apply run id (or unique prefix), from remediate history',
            })
            .option('force', {
              type: 'boolean',
              default: false,
              describe: 'Write the old values even where a resource changed since the apply',
            })
            .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would be undone; change nothing' })
            .option('skip-conflicts', {
              type: 'boolean',
              default: false,
              describe:
                'Undo every step that is safe to undo, leave those whose resource changed since the apply as they are (journaled as skipped) and exit 14; a later remediate rollback <run> finishes them',
            })
            .options(selectionOptions('rollback')),
        (a) =>
          run(async () =>
            String(a['run-id']).startsWith('fleet-')
              ? (await import('./commands/fleet-command.js')).rollbackFleetCommand({
                  ...globals(a),
                  fleetRunId: String(a['run-id']),
                  force: a.force === true,
                  dryRun: a['dry-run'] === true,
                })
              : (await import('./commands/rollback-command.js')).rollbackCommand({
                  ...globals(a),
                  runId: String(a['run-id']),
                  force: a.force === true,
                  dryRun: a['dry-run'] === true,
                  skipConflicts: a['skip-conflicts'] === true,
                  selectors: selectorsOf(a),
                }),
          )(),
      )
      .command(
        'verify',
        "Run the audits' proof tests against the live stack: HTTPS through the domain (health path and /), the load balancer directly with the Host header, a healthy target, ECS running = desired, HTTP → HTTPS; and each field the last apply wrote that was changed since (out of band), with both values. Read-only; exit 12 when a proof test fails (a changed field alone is reported, exit 0)",
        (y) =>
          y
            .option('wait', {
              type: 'boolean',
              default: false,
              describe:
                'Poll the proof tests, with backoff, until they all pass and AWS has converged (targets healthy, ECS rollouts COMPLETED, CloudFront Deployed); exit 17 past --timeout',
            })
            .option('timeout', { type: 'string', default: '15m', describe: 'With --wait: how long to wait (e.g. 90s, 15m)' })
            .options(routeOptions),
        (a) =>
          run(async () =>
            (await import('./commands/verify-command.js')).verifyCommand({
              ...globals(a),
              routes: routesOf(a),
              wait: a.wait === true ? { timeoutMs: duration(a.timeout, '--timeout') } : undefined,
            }),
          )(),
      )
      .command(
        'unlock <run-id>',
        'Release the lock of a run whose process is gone (refused while it is alive on this host); then reconcile that run',
        (y) =>
          y
            .positional('run-id', { type: 'string', demandOption: true, describe: 'The run holding the lock (see the lock-held message)' })
            .option('force', { type: 'boolean', default: false, describe: 'Release a lock held from another host before its lease ends' }),
        (a) =>
          run(async () =>
            (await import('./commands/unlock-command.js')).unlockCommand({
              ...globals(a),
              runId: String(a['run-id']),
              force: a.force === true,
            }),
          )(),
      )
      .command(
        'iam-policy [for]',
        'Print the least-privilege IAM policy a command needs (derived from what the checks and executors call). Reads on "*" (most Describe/List actions have no resource type); for apply and rollback, each write on the ARNs of the plan (--plan, or the latest plan of the stack named by --stack, stack flags or --sandbox), else on the ARN patterns of --account and --region; iam:PassRole only to the task roles, with iam:PassedToService ecs-tasks.amazonaws.com',
        (y) =>
          y
            .positional('for', {
              choices: ['plan', 'verify', 'apply', 'rollback'] as const,
              default: 'apply' as const,
              describe: 'The command to run with it',
            })
            .option('plan', { type: 'string', describe: 'Scope the writes to the resources of this plan (id or unique prefix)' })
            .option('account', {
              type: 'string',
              describe:
                'Without a plan: the 12-digit account of the ARN patterns (default: any account, *); the region is --region (default *)',
            }),
        (a) =>
          run(async () =>
            (await import('./commands/iam-policy-command.js')).iamPolicyCommand({
              ...globals(a),
              command: a.for as 'plan' | 'verify' | 'apply' | 'rollback',
              plan: typeof a.plan === 'string' ? a.plan : undefined,
              account: typeof a.account === 'string' ? a.account : undefined,
            }),
          )(),
      )
      .command(
        'history',
        'What was planned, applied and rolled back: when, by whom, with what outcome',
        (y) =>
          y
            .option('limit', { type: 'number', default: 50, describe: 'How many entries' })
            .option('since', {
              type: 'string',
              describe: 'Only entries since then: a duration back from now (90m, 2h, 7d) or a date (2026-12-01, 2026-12-01T08:00:00Z)',
            })
            .option('fleet', {
              type: 'string',
              describe:
                "List the fleet runs instead (plan --fleet, apply --fleet, rollback fleet-…: id, when, by whom, stacks by status); with a value, only that fleet's (its name, or the path given to --fleet)",
            }),
        (a) =>
          run(async () =>
            typeof a.fleet === 'string'
              ? (await import('./commands/fleet-command.js')).fleetHistoryCommand({
                  ...globals(a),
                  limit: wholeNumber(a.limit, '--limit', { min: 1, example: 20 }),
                  fleetName: a.fleet === '' ? undefined : a.fleet,
                  since: fleetHistorySince(a),
                })
              : (await import('./commands/history-command.js')).historyCommand({
                  ...globals(a),
                  limit: wholeNumber(a.limit, '--limit', { min: 1, example: 20 }),
                  filter: historyFilter(a),
                }),
          )(),
      )
      .command(
        'show <id>',
        'One plan or run in full: findings and changes, or steps with their calls, times and the values read back (a fleet run, fleet-…: its stacks with their plans and runs); --format markdown: its incident report again, from the journal alone (no AWS call)',
        (y) =>
          y.positional('id', {
            type: 'string',
            demandOption: true,
            describe: 'Plan or run id (or unique prefix); a fleet run (fleet-…): its stacks, their plans and runs',
          }),
        (a) =>
          run(async () =>
            String(a.id).startsWith('fleet-')
              ? (await import('./commands/fleet-command.js')).fleetShowCommand({ ...globals(a), id: String(a.id) })
              : (await import('./commands/history-command.js')).showCommand({ ...globals(a), id: String(a.id) }),
          )(),
      )
      .command(
        'version',
        "Print remediate's version, the git commit it was built from (when known) and the Node version",
        (y) => y,
        (a) => run(async () => (await import('./commands/version-command.js')).versionCommand(globals(a)))(),
      )
      .command(
        'completion <shell>',
        'Print a shell completion script: remediate completion bash >> ~/.bashrc (zsh: >> ~/.zshrc)',
        (y) => y.positional('shell', { choices: ['bash', 'zsh'] as const, demandOption: true, describe: 'The shell' }),
        (a) =>
          run(async () => {
            completionScript(String(a.shell) === 'zsh' ? 'zsh' : 'bash');
            return ExitCode.Ok;
          })(),
      )
      .command('journal', "The journal itself: copy a local history into the team's PostgreSQL journal", (y) =>
        y
          .command(
            'migrate',
            'Copy every plan, run, step and fleet run of one journal into another (e.g. --from journal.db --to postgres://…); run again, it copies only what is missing; refused (exit 9) when the target holds other records under the same ids',
            (z) =>
              z
                .option('from', {
                  type: 'string',
                  demandOption: true,
                  describe: 'The journal to copy: a file (opened read-only) or a postgres:// URL',
                })
                .option('to', { type: 'string', demandOption: true, describe: 'The journal to copy into: a postgres:// URL (or a file)' }),
            (a) =>
              run(async () =>
                (await import('./commands/journal-command.js')).journalMigrateCommand({
                  ...globals(a),
                  from: String(a.from),
                  to: String(a.to),
                }),
              )(),
          )
          .demandCommand(1, 'name a journal command: migrate'),
      )
      .command('sandbox', 'The built-in simulated AWS account (scenarios from the seed audits)', (y) =>
        y
          .command(
            'reset',
            'Start the sandbox over from a scenario (the journal is kept)',
            (z) =>
              z
                .option('scenario', { type: 'string', describe: 'Scenario name (see: remediate sandbox scenarios)' })
                .option('zone-records', {
                  type: 'number',
                  describe: "Add this many filler record sets to the scenario's hosted zone (a large zone, up to 10000)",
                })
                .option('minimal-summaries', {
                  type: 'boolean',
                  describe: 'ListDistributions answers minimal summaries (no Aliases, no Origins), as some AWS-compatible endpoints do',
                })
                .option('empty', {
                  type: 'boolean',
                  default: false,
                  describe: 'Start from an empty account (the scenario "empty"), to build a stack of your own',
                }),
            (a) =>
              run(async () =>
                (await import('./commands/sandbox-command.js')).sandboxResetCommand({
                  ...globals(a),
                  scenario: a.scenario,
                  empty: a.empty === true,
                  scenarioOptions: {
                    zoneRecords:
                      a['zone-records'] === undefined
                        ? undefined
                        : wholeNumber(a['zone-records'], '--zone-records', { min: 0, example: 10000 }),
                    minimalSummaries: a['minimal-summaries'] === true,
                  },
                }),
              )(),
          )
          .command(
            'scenarios',
            'List the scenarios',
            (z) => z,
            (a) => run(async () => (await import('./commands/sandbox-command.js')).sandboxScenariosCommand(globals(a)))(),
          )
          .command(
            'serve',
            'Serve the sandbox on 127.0.0.1 for other clients (aws CLI, SDKs) until interrupted; any credentials are accepted',
            (z) =>
              faultOptions(
                z
                  .option('port', { type: 'number', default: SANDBOX_SERVE_PORT, describe: 'Port on 127.0.0.1 (0: any free port)' })
                  .option('time-scale', {
                    type: 'number',
                    default: 0,
                    describe:
                      "How fast AWS converges after a write (targets turning healthy, ECS rollouts, CloudFront deployments): 1 at AWS's pace, 0.01 a hundred times faster, 0 at once",
                  }),
              ),
            (a) =>
              run(async () =>
                (await import('./commands/sandbox-command.js')).sandboxServeCommand({
                  ...globals(a),
                  port: port(a.port),
                  timeScale: numberIn(a['time-scale'], '--time-scale', { min: 0, max: 100, what: 'a time factor', example: 0.01 }),
                  faults: faultFlags(a),
                }),
              )(),
          )
          .command(
            'faults',
            'Store faults in the sandbox so later --sandbox commands meet them (no flags: show them)',
            (z) => faultOptions(z.option('clear', { type: 'boolean', default: false, describe: 'Remove every stored fault' })),
            (a) =>
              run(async () =>
                (await import('./commands/sandbox-command.js')).sandboxFaultsCommand({
                  ...globals(a),
                  faults: faultFlags(a),
                  clear: a.clear === true,
                }),
              )(),
          )
          .command(
            'calls',
            "The sandbox's record of every call it received since its last reset",
            (z) => z.option('mutating', { type: 'boolean', default: false, describe: 'Only calls that change state' }),
            (a) =>
              run(async () =>
                (await import('./commands/sandbox-command.js')).sandboxCallsCommand({ ...globals(a), mutating: a.mutating === true }),
              )(),
          )
          .command(
            'account <id>',
            'Add (or start over) another account of the sandbox, for fleets: its scenarios, and roles that refuse AssumeRole',
            (z) =>
              z
                .positional('id', { type: 'string', describe: 'The 12-digit account id' })
                .option('scenario', {
                  type: 'string',
                  array: true,
                  describe: 'A scenario to build in it (repeatable; each in its own regions)',
                })
                .option('deny-role', {
                  type: 'string',
                  array: true,
                  describe: 'A role name whose AssumeRole is AccessDenied (repeatable)',
                }),
            (a) =>
              run(async () =>
                (await import('./commands/sandbox-command.js')).sandboxAccountCommand({
                  ...globals(a),
                  account: String(a.id),
                  scenarios: (a.scenario ?? ['healthy']).map(String),
                  deniedRoles: (a['deny-role'] ?? []).map(String),
                }),
              )(),
          )
          .demandCommand(1, 'name a sandbox command: reset, scenarios, serve, faults, calls or account'),
      )
      .demandCommand(
        1,
        'name a command: plan, apply, rollback, verify, history, show, unlock, iam-policy, journal, sandbox, version or completion',
      )
      // The completion script's questions (--get-yargs-completions); the `completion` command above prints the script.
      .completion('completion-script', false)
      .check((a) => {
        const command = String(a._[0] ?? '');
        if (a['format'] === 'patch' && command !== 'plan') {
          throw new RemediateError(ErrorCode.BadInput, `--format patch is for plan, not ${command}`, {
            hint: 'remediate plan --repo DIR --format patch prints the file changes as a unified diff',
          });
        }
        if (a['format'] === 'markdown' && !markdownCommands.has(command)) {
          throw new RemediateError(ErrorCode.BadInput, `--format markdown is for ${[...markdownCommands].join(', ')}, not ${command}`, {
            hint: 'use --format text or --json',
          });
        }
        return true;
      }, true)
      .strict()
      .recommendCommands()
      .epilogue(
        `${examples}\n\n${lockHelp}\n\n${exitCodeHelp}\n\nDocs: README.md, docs/. Logs are JSON on stderr (--log-level); results on stdout.`,
      )
      .help()
      .alias('help', 'h')
      .version()
      // yargs renders the help of every command it runs (to keep it for a later showHelp, which remediate never
      // calls): wrapped, that is ~15 ms of CPU on each start, in the command's way. It is wrapped only when shown.
      .wrap(helpAsked(argv) ? helpWidth(process.stdout.columns) : null)
      // English whatever LANG says, like every other line remediate prints (and so the same help the build rendered).
      .locale('en')
      .exitProcess(false)
      .fail((message: string | null, error: Error | undefined) => {
        if (error !== undefined) throw error;
        // The flags of the command that failed (yargs has getOptions at run time; @types/yargs does not declare it).
        const known = Object.keys((parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
        throw new RemediateError(
          ErrorCode.BadInput,
          message !== null ? suggestFlag(oneLine(message, argv), known) : 'invalid command line',
          {
            hint: 'see remediate --help',
          },
        );
      });
    // yargs renders the help of every command it starts, to keep it for a later showHelp (remediate never calls it;
    // a help asked for is rendered afresh). yargs 17 has no option against it: its usage instance keeps nothing here.
    const usage = (parser as unknown as YargsInternals).getInternalMethods?.().getUsageInstance();
    if (usage !== undefined) usage.cacheHelpMessage = () => undefined;
    const parsed = await parser.parseAsync();
    format = parsed.json === true || parsed.format === 'json' ? 'json' : 'text';
    color = parsed.color as boolean | undefined;
  } catch (error) {
    return reportError(error, format, color);
  }
  return exitCode;
}

/**
 * Prints yargs' completion script for `shell`. yargs picks bash or zsh from $SHELL when an instance is made, so the
 * script is printed by an instance made for that shell; the script asks `remediate --get-yargs-completions`, which
 * the main parser answers (`.completion('completion-script', false)`).
 */
function completionScript(shell: 'bash' | 'zsh'): void {
  process.env['SHELL'] = shell === 'zsh' ? '/bin/zsh' : '/bin/bash';
  delete process.env['ZSH_NAME'];
  yargs([]).scriptName('remediate').completion('completion-script', false).showCompletionScript();
}

/**
 * `Unknown argument: x` with the known flag nearest to x, when one is near enough (a typo: at most 2 edits). yargs
 * also lists the camel-case form of a dashed flag (`lgo-level, lgoLevel`): the copy is dropped.
 */
function suggestFlag(message: string, known: readonly string[]): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (m === null || m[1] === undefined) return message;
  const given = m[1].split(', ');
  const unknown = given.filter((name) => !given.some((other) => other !== name && other.includes('-') && camel(other) === name));
  const flags = known.filter((k) => k.length > 1 && !/[A-Z]/.test(k));
  const named = unknown.map((name) => {
    const near = /^[\w-]+$/.test(name) ? nearest(name, flags) : undefined;
    return near === undefined ? name : `${name}: did you mean --${near}?`;
  });
  return `Unknown argument${unknown.length === 1 ? '' : 's'}: ${named.join(', ')}`;
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function faultOptions<T>(y: Argv<T>) {
  return y
    .option('latency-ms', { type: 'number', describe: 'Fault: add this latency to every call', group: 'Faults:' })
    .option('throttle-rate', { type: 'number', describe: 'Fault: share of calls answered with throttling (0–1)', group: 'Faults:' })
    .option('error-rate', { type: 'number', describe: 'Fault: share of calls answered with 500/503 (0–1)', group: 'Faults:' })
    .option('reset-rate', { type: 'number', describe: 'Fault: share of calls whose connection is reset (0–1)', group: 'Faults:' })
    .option('consistency-lag-ms', {
      type: 'number',
      describe: 'Fault: reads show the state before a write for this long',
      group: 'Faults:',
    })
    .option('fault-seed', { type: 'number', describe: 'Seed of the fault draws, for reproducible runs', group: 'Faults:' })
    .option('rate-limit', {
      type: 'string',
      describe:
        "Fault: a per-account API rate limit, answered with each protocol's throttling error: 'aws' (AWS's documented buckets per account, service and region) or RATE[/BURST] (every bucket refilled at RATE requests a second, holding BURST; default burst: RATE)",
      group: 'Faults:',
    });
}

/** `--rate-limit aws` or `--rate-limit RATE[/BURST]`: the sandbox's `rateLimit` fault option. */
function rateLimitFlag(value: unknown): { readonly rate?: number; readonly burst?: number } {
  const text = String(value).trim();
  if (text === 'aws') return {};
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(text);
  const rate = m === null ? NaN : Number(m[1]);
  const burst = m?.[2] !== undefined ? Number(m[2]) : Math.max(1, Math.ceil(rate));
  if (m === null || !(rate > 0) || burst < 1) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `--rate-limit must be 'aws' or RATE[/BURST] (a positive rate, a whole burst of at least 1), not "${text}"`,
      {
        hint: "e.g. --rate-limit aws (AWS's own figures), or --rate-limit 5/5 (5 requests a second per bucket, 5 at once)",
      },
    );
  }
  return { rate, burst };
}

/** The longest fault delay accepted, in milliseconds (the sandbox's own limit). */
const MAX_FAULT_MS = 600_000;

/** The fault flags given, each checked here so a bad one is named as typed (`--throttle-rate`), with its range. */
function faultFlags(a: Parsed) {
  const given = (key: string) => a[key] !== undefined;
  const ms = (key: string) =>
    given(key) ? numberIn(a[key], `--${key}`, { min: 0, max: MAX_FAULT_MS, what: 'a number of milliseconds', example: 250 }) : undefined;
  const rate = (key: string) =>
    given(key) ? numberIn(a[key], `--${key}`, { min: 0, max: 1, what: 'a share of calls', example: 0.2 }) : undefined;
  const flags = {
    latencyMs: ms('latency-ms'),
    throttleRate: rate('throttle-rate'),
    errorRate: rate('error-rate'),
    resetRate: rate('reset-rate'),
    consistencyLagMs: ms('consistency-lag-ms'),
    seed: given('fault-seed') ? wholeNumber(a['fault-seed'], '--fault-seed', { min: 0, example: 42 }) : undefined,
    rateLimit: given('rate-limit') ? rateLimitFlag(a['rate-limit']) : undefined,
  };
  const total = (flags.throttleRate ?? 0) + (flags.errorRate ?? 0) + (flags.resetRate ?? 0);
  if (total > 1 + 1e-9) {
    throw new RemediateError(
      ErrorCode.BadInput,
      `--throttle-rate, --error-rate and --reset-rate must add up to at most 1, not ${Math.round(total * 1e6) / 1e6}`,
      {
        hint: 'each is a share of all calls, e.g. --throttle-rate 0.2 --error-rate 0.1',
      },
    );
  }
  return flags;
}

/** `--resolve` and `--connect-to` (verify, apply --verify): curl's options, repeatable. */
const routeOptions = {
  resolve: {
    type: 'string',
    describe:
      "HOST:PORT:ADDR (curl's --resolve, repeatable; HOST may be *): the HTTP probes to HOST on PORT connect to ADDR, not what DNS says; Host and TLS name stay HOST. Needed against a local emulator, whose names are not on the internet",
    group: 'Probes:',
  },
  'connect-to': {
    type: 'string',
    describe:
      "HOST1:PORT1:HOST2:PORT2 (curl's --connect-to, repeatable; a field may be empty): the HTTP probes to HOST1 on PORT1 connect to HOST2 on PORT2",
    group: 'Probes:',
  },
} as const;

/** `--target` and `--exclude` (apply, rollback): which changes to work on, repeatable. */
function selectionOptions(command: 'apply' | 'rollback') {
  const what =
    command === 'apply'
      ? 'and what it depends on (said on stderr: "also applying c3 (needed by c6)")'
      : 'and the applied steps that depend on it (said on stderr: "also undoing c6 (depends on c3)")';
  return {
    target: {
      type: 'string',
      describe: `Only this change, ${what}: a change id (c3), a check id (alb.http-redirect), or a resource ARN or name as the plan shows it. Repeatable`,
      group: 'Choose changes:',
    },
    exclude: {
      type: 'string',
      describe: `Leave this change out (same selectors, repeatable); refused (exit 3) when a chosen change ${command === 'apply' ? 'depends on it' : 'it depends on is undone'}`,
      group: 'Choose changes:',
    },
  } as const;
}

function selectorsOf(a: Parsed): ChangeSelectors {
  return { targets: repeated(a, 'target'), excludes: repeated(a, 'exclude') };
}

/** The values of a repeatable string option (yargs gives one value as a string, several as an array). */
function repeated(a: Parsed, key: string): string[] {
  const value = a[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function routesOf(a: Parsed) {
  return parseRoutes(repeated(a, 'resolve'), repeated(a, 'connect-to'));
}

function globalOptions(y: Argv) {
  return y
    .option('sandbox', {
      type: 'boolean',
      default: false,
      describe: 'Run against the built-in sandbox (no AWS account needed); its state lives beside the journal',
      group: 'Where:',
    })
    .option('stack', {
      type: 'string',
      describe: 'Stack file (YAML or JSON): region, domain, loadBalancer, targetGroup, cluster, service, healthPath, policy',
      group: 'Where:',
    })
    .option('region', {
      type: 'string',
      describe:
        'Default region for what the chain does not say: a region in an ARN or an ELB DNS name wins (a disagreement is noted); default: the stack file, then AWS_REGION',
      group: 'Where:',
    })
    .option('profile', { type: 'string', describe: 'AWS profile from the shared config files', group: 'Where:' })
    .option('endpoint-url', {
      type: 'string',
      describe:
        'One endpoint for every AWS service, http(s)://host[:port] (LocalStack, moto, remediate sandbox serve); AWS_ENDPOINT_URL[_<SERVICE>] also work',
      group: 'Where:',
    })
    .option('connect-timeout', {
      type: 'number',
      describe: 'Seconds to wait for a connection to an AWS endpoint, per attempt (default 60, like the aws CLI; 0 = no limit)',
      group: 'Where:',
    })
    .option('read-timeout', {
      type: 'number',
      describe:
        'Seconds an AWS endpoint may stay silent while an answer is awaited, per attempt (default 60, like the aws CLI; 0 = no limit)',
      group: 'Where:',
    })
    .option('deadline', {
      type: 'number',
      describe:
        'Seconds the command may run (0 = none). Then plan and verify stop their AWS calls; apply and rollback finish the steps in flight, record the run interrupted and stop (exit 13). Default: plan, verify, unlock 600; apply, rollback 1800',
      group: 'Where:',
    })
    .option('journal', {
      type: 'string',
      describe:
        "Journal: a file, or a postgres:// URL (the team's shared journal; keep the password in PGPASSWORD or ~/.pgpass) (default: $REMEDIATE_JOURNAL, else $XDG_STATE_HOME/remediate/journal.db)",
      group: 'Where:',
    })
    .option('domain', { type: 'string', describe: 'The public domain of the stack', group: 'Stack (override the stack file):' })
    .option('load-balancer', { type: 'string', describe: 'Load balancer name or ARN', group: 'Stack (override the stack file):' })
    .option('target-group', { type: 'string', describe: 'Target group name or ARN', group: 'Stack (override the stack file):' })
    .option('cluster', { type: 'string', describe: 'ECS cluster name or ARN', group: 'Stack (override the stack file):' })
    .option('service', { type: 'string', describe: 'ECS service name or ARN', group: 'Stack (override the stack file):' })
    .option('health-path', {
      type: 'string',
      describe: 'Public health path that answers 200 without auth',
      group: 'Stack (override the stack file):',
    })
    .option('repo', {
      type: 'string',
      describe:
        "The repository of the stack (Dockerfiles, Terraform, buildspecs): its files are checked and patched too, and a live fix's Terraform declaration with it",
      group: 'Stack (override the stack file):',
    })
    .option('allow-dirty', {
      type: 'boolean',
      describe: 'Patch a git-tracked file that has uncommitted changes (recorded in the plan)',
      group: 'Stack (override the stack file):',
    })
    .option('certificate-arn', {
      type: 'string',
      describe: 'ACM certificate for the HTTPS listener (default: one found in ACM)',
      group: 'Stack (override the stack file):',
    })
    .option('stack-name', {
      type: 'string',
      describe: 'Name of the stack in the journal (default: the domain)',
      group: 'Stack (override the stack file):',
    })
    .option('min-grace-period', {
      type: 'number',
      describe: 'Policy: minimum ECS health-check grace period in seconds (default 180)',
      group: 'Stack (override the stack file):',
    })
    .option('tls-policy', {
      type: 'string',
      describe: 'Policy: SSL policy of a new HTTPS listener (default ELBSecurityPolicy-TLS13-1-2-2021-06)',
      group: 'Stack (override the stack file):',
    })
    .option('health-check-matcher', {
      type: 'string',
      describe: 'Policy: health-check matcher HTTP codes to enforce, e.g. 200-399',
      group: 'Stack (override the stack file):',
    })
    .option('format', {
      alias: 'output',
      choices: ['text', 'json', 'markdown', 'patch'] as const,
      default: 'text' as const,
      describe:
        "text; json (one document, versioned: formatVersion); markdown: an incident report for a ticket (plan, apply, rollback, verify; show: the report of a past plan or run, from the journal); patch: the plan's file changes as a unified diff (plan --repo). --output is the same (the aws CLI flag)",
      group: 'Output:',
    })
    .option('json', { type: 'boolean', default: false, describe: 'Same as --format json', group: 'Output:' })
    .option('color', { type: 'boolean', describe: 'Colour (default: on a terminal, unless NO_COLOR)', group: 'Output:' })
    .option('log-level', {
      choices: logLevels,
      default: 'warn' as LogLevel,
      describe:
        'JSON logs on stderr; debug and trace log every AWS call (service, operation, region, endpoint, status, latency, attempt, request id)',
      group: 'Output:',
    })
    .option('debug', { type: 'boolean', default: false, describe: 'Same as --log-level debug (the aws CLI flag)', group: 'Output:' });
}

type Parsed = Record<string, unknown>;

/** Whether the raw arguments ask for JSON (`--json`, `--format json`): errors before parsing then answer JSON too. */
function jsonRequested(argv: readonly string[]): boolean {
  return argv.some(
    (arg, i) =>
      arg === '--json' ||
      arg === '--format=json' ||
      arg === '--output=json' ||
      ((arg === '--format' || arg === '--output') && argv[i + 1] === 'json'),
  );
}

/** The part of yargs 17's internals that renders a command's help to keep it (see runCli). */
interface YargsInternals {
  getInternalMethods?(): { getUsageInstance(): { cacheHelpMessage: () => void } };
}

/** Whether the command line asks for help (--help or -h, before any `--`): the only time yargs' help is printed. */
function helpAsked(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** The commands that write a Markdown incident report with --format markdown. */
const markdownCommands: ReadonlySet<string> = new Set(['plan', 'apply', 'rollback', 'verify', 'show']);

/** `--format`, with `--json` as its alias; the two must agree. */
function formatOf(a: Parsed): GlobalOptions['format'] {
  const format = a['format'] === 'json' || a['format'] === 'markdown' || a['format'] === 'patch' ? a['format'] : 'text';
  if (a['json'] !== true) return format;
  if (format === 'markdown' || format === 'patch')
    throw new RemediateError(ErrorCode.BadInput, `--json and --format ${format} conflict`, { hint: 'choose one: --json is --format json' });
  if (formatGiven(rawArgs))
    throw new RemediateError(ErrorCode.BadInput, '--json and --format text conflict', { hint: 'choose one: --json is --format json' });
  return 'json';
}

/** Whether `--format` (or `--output`) was typed with a value other than json (the default, text, is not typed). */
function formatGiven(argv: readonly string[]): boolean {
  return argv.some((arg, i) => {
    const m = /^--(?:format|output)(?:=(.*))?$/.exec(arg);
    if (m === null) return false;
    return (m[1] ?? argv[i + 1]) !== 'json';
  });
}

function globals(a: Parsed): GlobalOptions {
  const str = (key: string) => (typeof a[key] === 'string' ? (a[key] as string) : undefined);
  const num = (key: string, flag: string, example: number) =>
    a[key] === undefined ? undefined : wholeNumber(a[key], flag, { min: 0, example });
  const stackFlags: StackFlags = {
    name: str('stack-name'),
    domain: str('domain'),
    loadBalancer: str('load-balancer'),
    targetGroup: str('target-group'),
    cluster: str('cluster'),
    service: str('service'),
    healthPath: str('health-path'),
    repo: str('repo'),
    allowDirty: a['allow-dirty'] === true ? true : undefined,
    certificateArn: str('certificate-arn'),
    policy: {
      minHealthCheckGracePeriodSeconds: num('min-grace-period', '--min-grace-period', 180),
      tlsPolicy: str('tls-policy'),
      healthCheckMatcher: str('health-check-matcher'),
    },
  };
  parsedOptions = {
    sandbox: a['sandbox'] === true,
    journal: str('journal'),
    stack: str('stack'),
    region: str('region'),
    profile: str('profile'),
    endpointUrl: endpointUrl(str('endpoint-url')),
    connectTimeout: num('connect-timeout', '--connect-timeout', 10),
    readTimeout: num('read-timeout', '--read-timeout', 30),
    deadline:
      a['deadline'] === undefined
        ? undefined
        : wholeNumber(a['deadline'], '--deadline', { min: 0, max: MAX_DEADLINE_SECONDS, example: 300 }),
    command: String((a['_'] as readonly unknown[] | undefined)?.[0] ?? ''),
    format: formatOf(a),
    logLevel: logLevelOf(a),
    color: typeof a['color'] === 'boolean' ? a['color'] : undefined,
    stackFlags,
  };
  return parsedOptions;
}

/** `--log-level`, with `--debug` as `--log-level debug` (trace, more verbose, stays trace). */
function logLevelOf(a: Parsed): LogLevel {
  const level = (a['log-level'] as LogLevel | undefined) ?? 'warn';
  return a['debug'] === true && level !== 'trace' ? 'debug' : level;
}

function endpointUrl(value: string | undefined): string | undefined {
  return value === undefined ? undefined : checkEndpointUrl(value, '--endpoint-url');
}

/** The options of the command being run, once parsed: an error's suggested commands repeat its flags. */
let parsedOptions: GlobalOptions | undefined;

/** The command line as given, to quote a bad value as it was typed (yargs turns `abc` into NaN). */
let rawArgs: readonly string[] = [];

/** What was given for `flag` (`--flag value` or `--flag=value`), quoted; else the parsed value. */
function givenText(flag: string, value: unknown): string {
  const i = rawArgs.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  const raw = i < 0 ? undefined : rawArgs[i]?.startsWith(`${flag}=`) === true ? rawArgs[i]?.slice(flag.length + 1) : rawArgs[i + 1];
  return JSON.stringify(raw ?? String(value));
}

/** A whole-number flag in its range (`max` absent: no upper bound); else one line with the range and an example. */
function wholeNumber(
  value: unknown,
  flag: string,
  range: { readonly min: number; readonly max?: number; readonly example: number },
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= range.min && (range.max === undefined || value <= range.max))
    return value;
  const accepted = range.max === undefined ? `a whole number ≥ ${range.min}` : `a whole number from ${range.min} to ${range.max}`;
  throw new RemediateError(ErrorCode.BadInput, `${flag} must be ${accepted}, not ${givenText(flag, value)}`, {
    hint: `e.g. ${flag} ${range.example}`,
  });
}

/** A number flag from `min` to `max`; else one line with the range and an example. */
function numberIn(
  value: unknown,
  flag: string,
  range: { readonly min: number; readonly max: number; readonly what: string; readonly example: number },
): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max) return value;
  throw new RemediateError(
    ErrorCode.BadInput,
    `${flag} must be ${range.what} from ${range.min} to ${range.max}, not ${givenText(flag, value)}`,
    {
      hint: `e.g. ${flag} ${range.example}`,
    },
  );
}

/**
 * A yargs validation message on one line: `Invalid values:` and its `Argument: x, Given: "y", Choices: …` lines
 * become `--x "y" is not one of …` (a positional is named by its command); `Did you mean plan?` names the unknown
 * command; anything else has its lines joined.
 */
function oneLine(message: string, argv: readonly string[]): string {
  const command = argv.find((arg) => !arg.startsWith('-')) ?? 'remediate';
  const suggestion = /^Did you mean (.+)\?$/.exec(message.trim());
  if (suggestion !== null) {
    const firstOption = argv.findIndex((arg) => arg.startsWith('-'));
    const leading = firstOption < 0 ? argv : argv.slice(0, firstOption);
    return `unknown command "${leading[leading.length - 1] ?? command}": did you mean ${suggestion[1] ?? ''}?`;
  }
  const invalid = /^Invalid values?:\s*\n([\s\S]*)$/.exec(message);
  if (invalid === null) return message.replace(/\s*\n\s*/g, ' ').trim();
  return (invalid[1] ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^Argument: (.+?), Given: (.+?), Choices: (.+)$/.exec(line);
      if (m === null) return line;
      const [, name = '', given = '', choices = ''] = m;
      const flag = argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
      return `${flag ? `--${name}` : command} ${given} is not one of ${choices}`;
    })
    .join('; ');
}

/** The stack flags history cannot filter by: refused rather than ignored (`--stack FILE` filters by the file's stack name). */
const notHistoryFilters = ['load-balancer', 'target-group', 'cluster', 'service', 'health-path', 'certificate-arn'];

/** `history --stack-name`, `--domain`, `--since`: what the entries must match. */
function historyFilter(a: Parsed): HistoryFilter {
  const other = notHistoryFilters.find((key) => a[key] !== undefined);
  if (other !== undefined) {
    throw new RemediateError(ErrorCode.BadInput, `history filters by --stack-name, --domain and --since only, not --${other}`, {
      hint: 'drop it',
    });
  }
  const text = (key: string) => (typeof a[key] === 'string' ? (a[key] as string) : undefined);
  const since = text('since');
  return { stackName: text('stack-name'), domain: text('domain'), since: since === undefined ? undefined : sinceDate(since) };
}

/** `history --fleet`: filtered by --since only (a fleet run has many stacks): the stack flags are refused. */
function fleetHistorySince(a: Parsed): Date | undefined {
  const other = ['stack', 'stack-name', 'domain', ...notHistoryFilters].find((key) => a[key] !== undefined);
  if (other !== undefined) {
    throw new RemediateError(ErrorCode.BadInput, `history --fleet filters by fleet name and --since only, not --${other}`, {
      hint: `drop --${other}, or drop --fleet to list the plans and runs of one stack`,
    });
  }
  return typeof a['since'] === 'string' ? sinceDate(a['since']) : undefined;
}

/** `--since`: a duration back from now (`90m`, `2h`, `7d`), or a date or date-time (ISO 8601). */
function sinceDate(value: string): Date {
  const ago = /^(\d+)(m|h|d)$/.exec(value.trim());
  if (ago !== null) return new Date(Date.now() - Number(ago[1]) * (ago[2] === 'm' ? 60_000 : ago[2] === 'h' ? 3_600_000 : 86_400_000));
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim()) ? new Date(value.trim()) : undefined;
  if (date !== undefined && !Number.isNaN(date.getTime())) return date;
  throw new RemediateError(ErrorCode.BadInput, `--since ${JSON.stringify(value)} is neither a duration nor a date`, {
    hint: 'e.g. --since 2h, --since 7d, --since 2026-12-01T08:00:00Z',
  });
}

/** `90s`, `30m`, `2h` or a number of minutes, in milliseconds. */
function duration(value: unknown, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(String(value).trim());
  if (m === null)
    throw new RemediateError(ErrorCode.BadInput, `${flag} "${String(value)}" is not a duration`, { hint: `e.g. ${flag} 30m (s, m or h)` });
  const unit = m[2] === 's' ? 1000 : m[2] === 'h' ? 3_600_000 : 60_000;
  return Math.round(Number(m[1]) * unit);
}

function port(value: unknown): number {
  return wholeNumber(value, '--port', { min: 0, max: 65535, example: 4566 });
}

function reportError(thrown: unknown, format: 'text' | 'json', color: boolean | undefined): number {
  const error = fromSandboxError(thrown);
  const s = style(colourWanted(process.stderr, color));
  if (error instanceof RemediateError) {
    const code = exitCodeOf(error.code);
    const hints = parsedOptions === undefined ? undefined : hintsFor(parsedOptions);
    const complete = (text: string) =>
      hints === undefined ? text : completeSuggestions(text, hints, planStackArgs(error.details?.['stack']));
    const message = complete(error.message);
    const hint = error.hint === undefined ? undefined : complete(error.hint);
    process.stderr.write(`${s.red('remediate:')} ${message}${hint !== undefined ? ` ${s.dim(`(${hint})`)}` : ''}\n`);
    for (const line of detailLines(error)) process.stderr.write(`  ${line}\n`);
    if (format === 'json') {
      process.stdout.write(
        `${JSON.stringify({ formatVersion: 1, error: { code: error.code, exitCode: code, message, hint: hint ?? null, details: error.details ?? null } }, null, 2)}\n`,
      );
    }
    return code;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `${s.red('remediate: internal error:')} ${message} ${s.dim('(a bug: please report it with the output of --log-level debug)')}\n`,
  );
  if (error instanceof Error && error.stack !== undefined && process.env['REMEDIATE_DEBUG'] !== undefined)
    process.stderr.write(`${error.stack}\n`);
  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ formatVersion: 1, error: { code: ErrorCode.Internal, exitCode: ExitCode.Error, message, hint: null, details: null } }, null, 2)}\n`,
    );
  }
  return ExitCode.Error;
}

/** The differences behind a stale plan or a rollback conflict, one line each. */
function detailLines(error: RemediateError): string[] {
  const list = (error.details?.['drift'] ?? error.details?.['conflicts']) as Record<string, unknown>[] | undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((d) => {
    const expected = d['expected'] as Record<string, unknown> | null;
    const live = d['live'] as Record<string, unknown> | null;
    const fields = (d['fields'] as string[] | undefined) ?? [];
    return [
      `${String(d['changeId'])} ${String(d['label'])}:`,
      ...fields.map((f) =>
        f === '(value)' || f === '(identity)'
          ? `    ${String(d['reason'])}`
          : `    ${f}: expected ${JSON.stringify(expected?.[f] ?? null)}, found ${JSON.stringify(live?.[f] ?? null)}`,
      ),
    ];
  });
}

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
process.exitCode = await runCli(process.argv.slice(2));
