import type { LogLevel } from './log-levels.js';

/** The options every command accepts, parsed and typed. */
export interface GlobalOptions {
  readonly sandbox: boolean;
  readonly journal: string | undefined;
  readonly stack: string | undefined;
  readonly region: string | undefined;
  readonly profile: string | undefined;
  readonly endpointUrl: string | undefined;
  /** `--format`; `--json` is `--format json`. */
  readonly format: 'text' | 'json' | 'markdown';
  readonly logLevel: LogLevel;
  readonly color: boolean | undefined;
  readonly stackFlags: StackFlags;
}

/** Stack fields given as flags; they override the stack file. */
export interface StackFlags {
  readonly name?: string | undefined;
  readonly region?: string | undefined;
  readonly domain?: string | undefined;
  readonly loadBalancer?: string | undefined;
  readonly targetGroup?: string | undefined;
  readonly cluster?: string | undefined;
  readonly service?: string | undefined;
  readonly healthPath?: string | undefined;
  readonly certificateArn?: string | undefined;
  readonly policy?: {
    readonly minHealthCheckGracePeriodSeconds?: number | undefined;
    readonly tlsPolicy?: string | undefined;
    readonly healthCheckMatcher?: string | undefined;
  };
}
