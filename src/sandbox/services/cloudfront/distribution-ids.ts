import { freshSeed, hexId } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';

/** Identifiers of CloudFront distributions, in AWS's formats, derived from seeds (reproducible). */

/** A distribution id: `E` and 13 upper-case letters and digits. */
export function distributionId(seed: string): string {
  return `E${hexId(`${seed}:distribution-id`, 13).toUpperCase()}`;
}

/** `arn:aws:cloudfront::ACCOUNT:distribution/ID` (no region: CloudFront is global). */
export function distributionArn(account: string, id: string): string {
  return `arn:aws:cloudfront::${account}:distribution/${id}`;
}

/** The distribution's own domain name, `dXXXXXXXXXXXXX.cloudfront.net`. */
export function distributionDomainName(seed: string): string {
  return `d${hexId(`${seed}:distribution-domain`, 13)}.cloudfront.net`;
}

/** A version tag never handed out before in this sandbox: `E` and 13 upper-case letters and digits. */
export function freshETag(state: SandboxState): string {
  return `E${hexId(freshSeed(state, 'cloudfront-etag'), 13).toUpperCase()}`;
}
