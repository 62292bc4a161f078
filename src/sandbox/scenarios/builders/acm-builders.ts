import type { CertificateStatus } from '@aws-sdk/client-acm';

import { hexId, uuidId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import { certificateArn } from '../../services/acm/acm-arns.js';
import type { CertificateState } from '../../services/acm/acm-state.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `now` shifted by a number of days (negative: in the past). */
export function daysFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/**
 * Adds an Amazon-issued RSA-2048 certificate. ISSUED and EXPIRED certificates were valid for 395
 * days ending at `notAfter`; PENDING_VALIDATION ones have no validity yet.
 */
export function addCertificate(
  state: SandboxState,
  region: string,
  spec: {
    domainName: string;
    subjectAlternativeNames?: readonly string[];
    status: Extract<CertificateStatus, 'ISSUED' | 'EXPIRED' | 'PENDING_VALIDATION'>;
    /** Required for PENDING_VALIDATION; issued certificates were requested 10 minutes before they were issued. */
    createdAt?: Date;
    /** Required unless PENDING_VALIDATION. */
    notAfter?: Date;
    /** Users the sandbox does not model (a CloudFront distribution ARN). */
    otherUsers?: readonly string[];
    /** Distinguishes several certificates of one domain. */
    label: string;
  },
): CertificateState {
  const seed = `${state.account}:${region}:certificate:${spec.label}`;
  const base: CertificateState = {
    arn: certificateArn(region, state.account, uuidId(seed)),
    domainName: spec.domainName,
    subjectAlternativeNames: [...(spec.subjectAlternativeNames ?? [spec.domainName])],
    status: spec.status,
    type: 'AMAZON_ISSUED',
    keyAlgorithm: 'RSA-2048',
    serial: (hexId(`${seed}:serial`, 32).match(/../g) ?? []).join(':'),
    createdAt: '',
    otherUsers: [...(spec.otherUsers ?? [])],
  };
  let certificate: CertificateState;
  if (spec.status === 'PENDING_VALIDATION') {
    if (spec.createdAt === undefined) throw new Error(`certificate ${spec.label}: a pending certificate needs createdAt`);
    certificate = { ...base, createdAt: spec.createdAt.toISOString() };
  } else {
    if (spec.notAfter === undefined) throw new Error(`certificate ${spec.label}: an issued certificate needs notAfter`);
    const notBefore = daysFrom(spec.notAfter, -395);
    certificate = {
      ...base,
      createdAt: new Date(notBefore.getTime() - 10 * 60 * 1000).toISOString(),
      issuedAt: notBefore.toISOString(),
      notBefore: notBefore.toISOString(),
      notAfter: spec.notAfter.toISOString(),
    };
  }
  ensureRegionState(state, region).acm.certificates.push(certificate);
  return certificate;
}
