/**
 * An error the simulated AWS answers with: the AWS error code (`ListenerNotFound`,
 * `ClusterNotFoundException`, …), a message, and the HTTP status.
 *
 * Service handlers throw it; the request's wire protocol turns it into AWS's error shape
 * (a Query `<ErrorResponse>` or a JSON `{"__type": …}` body). A request that ends in an
 * `AwsError` leaves the sandbox state unchanged.
 */
export class AwsError extends Error {
  /** The code exactly as AWS sends it on the wire. */
  readonly code: string;
  /** HTTP status; 4xx are the caller's fault (`Sender`), 5xx the service's (`Receiver`). */
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
  }

  /** `Sender` for 4xx, `Receiver` for 5xx: the Query protocol's `<Type>`. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}
