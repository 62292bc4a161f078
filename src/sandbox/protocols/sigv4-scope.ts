import type { SandboxHttpRequest } from './http-message.js';

/** The credential scope of a SigV4-signed request: who signed, for which region and service. */
export interface CredentialScope {
  readonly accessKeyId: string;
  /** YYYYMMDD. */
  readonly date: string;
  readonly region: string;
  /** The signing name: `elasticloadbalancing`, `ecs`, `acm`, `sts`, … */
  readonly service: string;
}

const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

/**
 * The credential scope from the `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=AKID/20261121/me-central-1/elasticloadbalancing/aws4_request, …`)
 * or from a presigned URL's `X-Amz-Credential`. Signatures are not verified.
 */
export function credentialScope(request: SandboxHttpRequest): CredentialScope | undefined {
  const header = request.headers['authorization'];
  const fromHeader = header === undefined ? undefined : /Credential=([^,\s]+)/.exec(header)?.[1];
  const credential = fromHeader ?? request.query.get('X-Amz-Credential') ?? undefined;
  if (credential === undefined) return undefined;
  const match = SCOPE.exec(credential);
  if (match === null) return undefined;
  const [, accessKeyId, date, region, service] = match;
  if (accessKeyId === undefined || date === undefined || region === undefined || service === undefined) return undefined;
  return { accessKeyId, date, region, service };
}
