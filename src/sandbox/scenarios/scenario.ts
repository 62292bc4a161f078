import type { SandboxState } from '../sandbox-state.js';

/** A named starting point of the sandbox: a stack as it is in a real incident (or healthy). */
export interface Scenario {
  /** Kebab-case name: `incident`, `healthy`, … */
  readonly name: string;
  /** One paragraph: what is wrong with the stack, and where it comes from. */
  readonly description: string;
  /** The public domain of the stack. */
  readonly domain: string;
  /** The stack remediate is pointed at in this scenario. */
  readonly stack: ScenarioStack;
  /** The sandbox's state at `now` (dates such as certificate validity are relative to it). */
  build(now: Date): SandboxState;
}

/**
 * The stack a scenario points remediate at, in the terms of a stack file (`--stack`, docs/stack-file.md): the
 * CLI reads it as one. The sandbox's own narrow type, so that it needs nothing of `src/stack`.
 */
export interface ScenarioStack {
  /** A short name for the stack in the journal, locks and output. */
  readonly name?: string | undefined;
  readonly region: string;
  /** The public domain the stack serves. */
  readonly domain: string;
  readonly loadBalancer?: string | undefined;
  readonly targetGroup?: string | undefined;
  readonly cluster?: string | undefined;
  readonly service?: string | undefined;
  /** The path that answers 200 without authentication. */
  readonly healthPath?: string | undefined;
  readonly certificateArn?: string | undefined;
  /** What the scenario holds the stack to besides the defaults (a stack file's `policy`). */
  readonly policy?: ScenarioPolicy | undefined;
}

/** The members of a stack file's `policy` a scenario may set. */
export interface ScenarioPolicy {
  readonly minHealthCheckGracePeriodSeconds?: number | undefined;
  readonly tlsPolicy?: string | undefined;
  readonly healthCheckMatcher?: string | undefined;
  readonly maxHealthCheckIntervalSeconds?: number | undefined;
  readonly maxHealthyThresholdCount?: number | undefined;
  readonly minUnhealthyThresholdCount?: number | undefined;
  readonly minCertificateDaysLeft?: number | undefined;
}
