import type { SandboxState } from '../../sandbox-state.js';
import type { CertificateState } from '../acm/acm-state.js';

/**
 * The ACM certificates CloudFront distributions present to viewers: only certificates in
 * us-east-1 can be attached, and a certificate attached to a distribution lists the
 * distribution's ARN in ACM's `InUseBy` (through the certificate's `otherUsers`).
 */

/** The only region whose ACM certificates CloudFront can use. */
export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/** The us-east-1 certificate with that ARN, if there is one. */
export function viewerCertificateByArn(state: SandboxState, arn: string): CertificateState | undefined {
  return state.regions[CLOUDFRONT_CERTIFICATE_REGION]?.acm.certificates.find((c) => c.arn === arn);
}

/**
 * True when one of the certificate's names (its domain name and subject alternative names)
 * covers `host`: the same name, or a `*.` wildcard standing for exactly one leftmost label.
 */
export function certificateCovers(certificate: CertificateState, host: string): boolean {
  const wanted = host.toLowerCase().replace(/\.$/, '');
  return [certificate.domainName, ...certificate.subjectAlternativeNames].some((name) => {
    const pattern = name.toLowerCase().replace(/\.$/, '');
    if (!pattern.startsWith('*.')) return pattern === wanted;
    const dot = wanted.indexOf('.');
    return dot > 0 && wanted.slice(dot + 1) === pattern.slice(2);
  });
}

/**
 * Makes `certificateArn` (or none) the certificate the distribution uses, as far as ACM's
 * `InUseBy` is concerned: the distribution's ARN leaves every other us-east-1 certificate's users
 * and joins this one's (once).
 */
export function linkViewerCertificate(state: SandboxState, distributionArn: string, certificateArn: string | undefined): void {
  for (const certificate of state.regions[CLOUDFRONT_CERTIFICATE_REGION]?.acm.certificates ?? []) {
    const uses = certificate.otherUsers.includes(distributionArn);
    if (certificate.arn === certificateArn && !uses) certificate.otherUsers.push(distributionArn);
    if (certificate.arn !== certificateArn && uses) {
      certificate.otherUsers = certificate.otherUsers.filter((user) => user !== distributionArn);
    }
  }
}
