/** An HTTP request as the sandbox's protocol layer sees it: fully read, header names lower-cased. */
export interface SandboxHttpRequest {
  readonly method: string;
  /** The path without its query string, e.g. `/` or `/2020-05-31/distribution/EPJ3WQCO04UWW/config`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** An HTTP response to send. */
export interface SandboxHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The media type of a request (`application/x-amz-json-1.1`), without parameters, lower-cased. */
export function mediaType(request: SandboxHttpRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
