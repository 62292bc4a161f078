import type { Policy, StackInput } from '../model/stack-definition.js';
import type { LogLevel } from './log-levels.js';

/** The options every command accepts, parsed and typed. */
export interface GlobalOptions {
  readonly sandbox: boolean;
  readonly journal: string | undefined;
  readonly stack: string | undefined;
  readonly region: string | undefined;
  readonly profile: string | undefined;
  readonly endpointUrl: string | undefined;
  /** `--connect-timeout` and `--read-timeout`, in seconds (0 = none); undefined: the default, 60 s. */
  readonly connectTimeout?: number | undefined;
  readonly readTimeout?: number | undefined;
  /** `--deadline`, in seconds (0 = none); undefined: the command's default (src/cli/deadline.ts). */
  readonly deadline?: number | undefined;
  /** The command being run (`plan`, `apply`, …; `sandbox` for its subcommands): whose default deadline applies. */
  readonly command?: string | undefined;
  /** `--format`; `--json` is `--format json`. */
  readonly format: 'text' | 'json' | 'markdown' | 'patch';
  readonly logLevel: LogLevel;
  readonly color: boolean | undefined;
  readonly stackFlags: StackFlags;
  /** `--fleet FILE` (plan, apply): every stack of the fleet file instead of one. */
  readonly fleet?: string | undefined;
}

/** Stack fields given as flags; they override the stack file (and may leave anything out, the domain too). */
export type StackFlags = Partial<Omit<StackInput, 'policy'>> & { readonly policy?: Partial<Policy> };
