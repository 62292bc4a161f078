import type { AwsCallObserver } from './aws-call-observer.js';

/** How to reach AWS (or something that speaks its protocols): everything the SDK clients are built from. */
export interface AwsConnection {
  readonly region: string;
  /** A named profile from the shared config files; otherwise the standard credential chain. */
  readonly profile?: string | undefined;
  /**
   * One endpoint for every service (LocalStack, moto, the sandbox). When absent, the SDK's own
   * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` variables and config apply.
   */
  readonly endpointUrl?: string | undefined;
  /**
   * Fixed credentials (the sandbox), or a provider of the SDK (a fleet's assumed role: fromTemporaryCredentials);
   * otherwise the credential chain.
   */
  readonly credentials?: AwsCredentials | CredentialProvider | undefined;
  /** Attempts per call, retries included, for throttling and transient faults. */
  readonly maxAttempts?: number | undefined;
  /**
   * The SDK's retry mode: `standard` (exponential backoff with jitter, a retry quota per client), or `adaptive`
   * (standard, plus the SDK's client-side rate limiter, which slows a client's sends once it is throttled). Absent:
   * the SDK's own choice (`AWS_RETRY_MODE`, the profile's `retry_mode`, else standard).
   */
  readonly retryMode?: 'standard' | 'adaptive' | undefined;
  /** Milliseconds to wait for a TCP (and TLS) connection; 0 = no limit. Default 60 000, like the aws CLI's `--cli-connect-timeout`. */
  readonly connectTimeoutMs?: number | undefined;
  /** Milliseconds a connection may stay silent while a response is awaited; 0 = no limit. Default 60 000, like the aws CLI's `--cli-read-timeout`. */
  readonly readTimeoutMs?: number | undefined;
  /** What ends calls before their own timeouts: the command's deadline, while it guards calls. */
  readonly guard?: CallGuard | undefined;
  /** Told of every attempt of every call (the CLI logs them at --log-level debug, and shows the awaited ones on a TTY). */
  readonly observer?: AwsCallObserver | undefined;
}

/** Credentials as the SDK takes them (its `AwsCredentialIdentity`). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}

/** A credential provider as the SDK calls it (its `AwsCredentialIdentityProvider`). */
export type CredentialProvider = () => Promise<AwsCredentials>;

/** What the middleware of every client is built from: the connection's guard and observer, and its region. */
export type ClientHooks = Pick<AwsConnection, 'guard' | 'observer' | 'region'>;

/**
 * A command's deadline as the AWS layer sees it. `check` is called before every attempt of every call (each page
 * too) and throws a `DeadlinePassed` once no call may start; `onStop` registers what ends the calls in flight
 * (a client closing its connections), run when calls must end, at once if they already must.
 */
export interface CallGuard {
  check(): void;
  onStop(stop: () => void): void;
}

/** The aws CLI's defaults for `--cli-connect-timeout` and `--cli-read-timeout`: 60 seconds each. */
export const defaultTimeoutMs = 60_000;

/** The endpoint identity plans are keyed by: `sandbox`, the custom endpoint URL, or `aws`. */
export function endpointIdentity(connection: AwsConnection, sandbox: boolean): string {
  if (sandbox) return 'sandbox';
  const url = connection.endpointUrl ?? process.env['AWS_ENDPOINT_URL'];
  return url !== undefined && url !== '' ? url : 'aws';
}
