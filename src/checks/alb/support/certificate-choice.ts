import type { CertificateDetail } from '@aws-sdk/client-acm';
import { nameCovers } from '../../../aws/dns-names.js';
import type { JsonObject } from '../../../model/json-value.js';

/** What makes a certificate unusable for the domain, or undefined when it is usable. */
export function certificateProblem(cert: CertificateDetail, domain: string, now: Date): string | undefined {
  if (cert.Status !== 'ISSUED') return `status ${cert.Status ?? 'unknown'}, not ISSUED`;
  const names = certificateNames(cert);
  if (!names.some((n) => nameCovers(n, domain))) return `does not cover ${domain} (covers ${names.join(', ')})`;
  if (cert.NotAfter !== undefined && cert.NotAfter.getTime() <= now.getTime()) return `expired on ${cert.NotAfter.toISOString()}`;
  return undefined;
}

/**
 * Picks the certificate an HTTPS listener for `domain` should use: the stack's own one if given and usable,
 * else the usable one that expires last. Every certificate looked at is returned as evidence, with why not.
 */
export function chooseCertificate(
  certificates: readonly CertificateDetail[],
  domain: string,
  now: Date,
  preferredArn?: string,
): { chosen: CertificateDetail | undefined; considered: JsonObject[] } {
  const considered = certificates.map((c) => certificateEvidence(c, certificateProblem(c, domain, now)));
  const usable = certificates.filter((c) => certificateProblem(c, domain, now) === undefined);
  if (preferredArn !== undefined) {
    return { chosen: usable.find((c) => c.CertificateArn === preferredArn), considered };
  }
  const chosen = [...usable].sort((a, b) => (b.NotAfter?.getTime() ?? 0) - (a.NotAfter?.getTime() ?? 0))[0];
  return { chosen, considered };
}

/** A certificate as evidence: its ARN, names, status, expiry, and the problem if any. */
export function certificateEvidence(cert: CertificateDetail, problem?: string): JsonObject {
  return {
    arn: cert.CertificateArn ?? '',
    names: certificateNames(cert),
    status: cert.Status ?? 'unknown',
    notAfter: cert.NotAfter?.toISOString() ?? null,
    usable: problem === undefined,
    ...(problem !== undefined ? { problem } : {}),
  };
}

function certificateNames(cert: CertificateDetail): string[] {
  const names = [cert.DomainName, ...(cert.SubjectAlternativeNames ?? [])].filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}
