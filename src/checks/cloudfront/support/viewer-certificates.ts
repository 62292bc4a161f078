import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { ViewerCertificate } from '@aws-sdk/client-cloudfront';
import type { JsonObject } from '../../../model/json-value.js';
import type { Severity } from '../../../model/plan.js';
import type { Edge } from '../../support/cloudfront-edge.js';
import { bareName, nameCovers } from '../../../aws/dns-names.js';
import type { Observation } from '../../../observe/observation.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The only region whose ACM certificates CloudFront can use. */
export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/** The aliases the distribution must have: those it has, plus the domain and `www.` + domain. Lower case, no trailing dot. */
export function wantedAliases(o: Observation, edge: Edge): string[] {
  const domain = bareName(o.stack.domain);
  const current = (edge.config.Aliases?.Items ?? []).map((a) => bareName(a));
  return [...new Set([...current, domain, `www.${domain}`])];
}

/** Whole days from `now` until the certificate expires (negative once expired); undefined when it has no end date. */
export function daysLeft(cert: CertificateDetail, now: Date): number | undefined {
  return cert.NotAfter === undefined ? undefined : Math.floor((cert.NotAfter.getTime() - now.getTime()) / DAY_MS);
}

/** The names of a certificate: its domain name and subject alternative names. */
function namesOf(cert: CertificateDetail): string[] {
  return [...new Set([cert.DomainName, ...(cert.SubjectAlternativeNames ?? [])].filter((n): n is string => n !== undefined))];
}

/** Why a certificate cannot serve `names` now (not ISSUED, expired, a name not covered); undefined when it can. */
export function servingProblem(cert: CertificateDetail, names: readonly string[], now: Date): string | undefined {
  const region = cert.CertificateArn?.split(':')[3];
  if (region !== CLOUDFRONT_CERTIFICATE_REGION)
    return `in ${region ?? 'an unknown region'}, not ${CLOUDFRONT_CERTIFICATE_REGION} (CloudFront uses us-east-1 certificates only)`;
  if (cert.Status !== 'ISSUED') return `status ${cert.Status ?? 'unknown'}, not ISSUED`;
  if (cert.NotAfter !== undefined && cert.NotAfter.getTime() <= now.getTime()) return `expired on ${cert.NotAfter.toISOString()}`;
  const uncovered = names.filter((n) => !namesOf(cert).some((c) => nameCovers(c, n)));
  if (uncovered.length > 0) return `does not cover ${uncovered.join(', ')}`;
  return undefined;
}

/** {@link servingProblem}, or too close to expiry for the policy. */
export function certificateProblem(cert: CertificateDetail, names: readonly string[], now: Date, minDaysLeft: number): string | undefined {
  const serving = servingProblem(cert, names, now);
  if (serving !== undefined) return serving;
  const left = daysLeft(cert, now);
  if (left !== undefined && left < minDaysLeft)
    return `expires in ${left} days (on ${cert.NotAfter?.toISOString() ?? '?'}); the policy wants at least ${minDaysLeft}`;
  return undefined;
}

/** A certificate as evidence: ARN, names, status, expiry, days left, and the problem if any. */
export function viewerCertificateEvidence(cert: CertificateDetail, now: Date, problem: string | undefined): JsonObject {
  return {
    arn: cert.CertificateArn ?? '',
    names: namesOf(cert),
    status: cert.Status ?? 'unknown',
    notAfter: cert.NotAfter?.toISOString() ?? null,
    daysLeft: daysLeft(cert, now) ?? null,
    usable: problem === undefined,
    ...(problem !== undefined ? { problem } : {}),
  };
}

/** Where the distribution's viewer certificate stands, and what could replace it. */
export interface ViewerCertificateStanding {
  /** The ACM certificate in use, when there is one and it could be read. */
  readonly current: CertificateDetail | undefined;
  /** What is wrong with what is in use; undefined when it is fine. */
  readonly problem: string | undefined;
  readonly severity: Severity;
  /** A certificate that fixes it: ISSUED, in us-east-1, covering every wanted alias, valid long enough (the one that expires last). */
  readonly replacement: CertificateDetail | undefined;
  /** Every candidate looked at, with why not. */
  readonly considered: JsonObject[];
}

/**
 * Judges the viewer certificate against every wanted alias and the policy's minimum days left. Undefined when
 * the distribution names an ACM certificate that could not be read (a gap: `stack.unreachable` reports it).
 */
export function viewerCertificateStanding(o: Observation, edge: Edge): ViewerCertificateStanding | undefined {
  const names = wantedAliases(o, edge);
  const current = (edge.config.Aliases?.Items ?? []).map((a) => bareName(a));
  const minDays = o.stack.policy.minCertificateDaysLeft;
  const vc = edge.config.ViewerCertificate;
  const arn = vc?.ACMCertificateArn !== undefined && vc.ACMCertificateArn !== '' ? vc.ACMCertificateArn : undefined;
  const all = o.edgeCertificates ?? [];
  const cert =
    arn === undefined
      ? undefined
      : o.viewerCertificate?.CertificateArn === arn
        ? o.viewerCertificate
        : all.find((c) => c.CertificateArn === arn);
  if (arn !== undefined && cert === undefined) return undefined;

  const candidates = all.filter((c) => c.CertificateArn !== arn);
  const considered = candidates.map((c) => viewerCertificateEvidence(c, o.observedAt, certificateProblem(c, names, o.observedAt, minDays)));
  const replacement = candidates
    .filter((c) => certificateProblem(c, names, o.observedAt, minDays) === undefined)
    .sort((a, b) => (b.NotAfter?.getTime() ?? 0) - (a.NotAfter?.getTime() ?? 0))[0];

  if (cert === undefined) {
    const problem =
      vc?.IAMCertificateId !== undefined && vc.IAMCertificateId !== ''
        ? `uses the IAM server certificate ${vc.IAMCertificateId}, not an ACM certificate`
        : `uses CloudFront's default certificate (*.cloudfront.net), which cannot serve ${names.join(', ')}`;
    const severity: Severity = vc?.IAMCertificateId !== undefined && vc.IAMCertificateId !== '' ? 'medium' : 'critical';
    return { current: undefined, problem, severity, replacement, considered };
  }
  const problem = certificateProblem(cert, names, o.observedAt, minDays);
  const brokenNow = servingProblem(cert, current, o.observedAt) !== undefined;
  const severity: Severity =
    problem === undefined ? 'info' : brokenNow ? 'critical' : servingProblem(cert, names, o.observedAt) !== undefined ? 'high' : 'medium';
  return { current: cert, problem, severity, replacement, considered };
}

/**
 * The certificate that will serve the wanted aliases once the plan is applied: the one in use if it can
 * serve them now, else the replacement; undefined when none can (adding an alias would then be refused).
 */
export function certificateForWantedAliases(o: Observation, edge: Edge): CertificateDetail | undefined {
  const standing = viewerCertificateStanding(o, edge);
  if (standing === undefined) return undefined;
  const names = wantedAliases(o, edge);
  if (standing.current !== undefined && servingProblem(standing.current, names, o.observedAt) === undefined) return standing.current;
  return standing.replacement;
}

/**
 * The viewer certificate setting for an ACM certificate, in the form CloudFront reads it back: SNI and the
 * minimum TLS version kept from the current custom certificate (else `sni-only`, `TLSv1.2_2021`), the
 * deprecated `Certificate`/`CertificateSource` members included when CloudFront reports them.
 */
export function acmViewerCertificate(current: ViewerCertificate | undefined, certificateArn: string): ViewerCertificate {
  const custom = current !== undefined && current.CloudFrontDefaultCertificate !== true;
  return {
    CloudFrontDefaultCertificate: false,
    ACMCertificateArn: certificateArn,
    SSLSupportMethod: (custom ? current.SSLSupportMethod : undefined) ?? 'sni-only',
    MinimumProtocolVersion: (custom ? current.MinimumProtocolVersion : undefined) ?? 'TLSv1.2_2021',
    ...(current?.CertificateSource !== undefined ? { Certificate: certificateArn, CertificateSource: 'acm' as const } : {}),
  };
}
