import type {
  CertificateDetail,
  CertificateStatus,
  CertificateSummary,
  DescribeCertificateResponse,
  ListCertificatesResponse,
} from '@aws-sdk/client-acm';

import { regionState, type RegionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { listenersUsingCertificate } from '../elbv2/listeners.js';
import { acmErrors } from './acm-errors.js';
import type { CertificateState } from './acm-state.js';
import { dnsValidationRecord } from './dns-validation.js';

/** A certificate detail/summary as AWS sends it: `KeyAlgorithm` is spelled `RSA-2048` on the wire, not the SDK enum's `RSA_2048`. */
type WireKeyAlgorithm<T> = Omit<T, 'KeyAlgorithm'> & { KeyAlgorithm?: string };

const STATUSES: readonly CertificateStatus[] = [
  'PENDING_VALIDATION',
  'ISSUED',
  'INACTIVE',
  'EXPIRED',
  'VALIDATION_TIMED_OUT',
  'REVOKED',
  'FAILED',
];
const DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048'];

/**
 * ListCertificates: the region's certificates, filtered by `CertificateStatuses` and
 * `Includes.keyTypes` (by default only RSA_1024 and RSA_2048, as AWS does); paginated by
 * `MaxItems`/`NextToken`.
 */
export function listCertificates(
  state: SandboxState,
  input: InputReader,
  ctx: RequestContext,
): Omit<ListCertificatesResponse, 'CertificateSummaryList'> & { CertificateSummaryList: WireKeyAlgorithm<CertificateSummary>[] } {
  const region = regionState(state, ctx.region);
  const statuses = input.optionalStringList('CertificateStatuses') ?? [];
  for (const status of statuses) {
    if (!STATUSES.some((s) => s === status)) {
      throw acmErrors.validation(
        `1 validation error detected: Value '[${status}]' at 'certificateStatuses' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${STATUSES.join(', ')}]]`,
      );
    }
  }
  const keyTypes = input.optionalStruct('Includes')?.optionalStringList('keyTypes') ?? DEFAULT_KEY_TYPES;
  const matching = region.acm.certificates.filter(
    (c) => (statuses.length === 0 || statuses.includes(c.status)) && keyTypes.includes(c.keyAlgorithm.replace(/-/g, '_')),
  );
  const maxItems = input.optionalInteger('MaxItems') ?? 1000;
  if (maxItems < 1 || maxItems > 1000) throw acmErrors.validation('MaxItems must be between 1 and 1000.');
  const token = input.optionalString('NextToken');
  const start = token === undefined ? 0 : decodeToken(token);
  const page = matching.slice(start, start + maxItems);
  const next = start + maxItems < matching.length ? encodeToken(start + maxItems) : undefined;
  return {
    CertificateSummaryList: page.map((c) => certificateSummary(region, c)),
    ...(next === undefined ? {} : { NextToken: next }),
  };
}

/** DescribeCertificate: one certificate of the request's region; another region's is `ResourceNotFoundException`. */
export function describeCertificate(
  state: SandboxState,
  input: InputReader,
  ctx: RequestContext,
): Omit<DescribeCertificateResponse, 'Certificate'> & { Certificate: WireKeyAlgorithm<CertificateDetail> } {
  const region = regionState(state, ctx.region);
  const arn = input.string('CertificateArn');
  if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/.test(arn)) throw acmErrors.invalidArn(arn);
  const certificate = region.acm.certificates.find((c) => c.arn === arn);
  if (certificate === undefined) throw acmErrors.resourceNotFound(arn, state.account);
  return { Certificate: certificateDetail(region, certificate) };
}

/** Who uses the certificate: the load balancers whose listeners serve it, then its other users. */
export function certificateUsers(region: RegionState, certificate: CertificateState): string[] {
  const loadBalancers = new Set(listenersUsingCertificate(region.elbv2, certificate.arn).map((listener) => listener.loadBalancerArn));
  return [...[...loadBalancers].sort(), ...certificate.otherUsers];
}

function certificateSummary(region: RegionState, c: CertificateState): WireKeyAlgorithm<CertificateSummary> {
  const issued = hasBeenIssued(c);
  const inUse = certificateUsers(region, c).length > 0;
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNameSummaries: [...c.subjectAlternativeNames],
    HasAdditionalSubjectAlternativeNames: false,
    Status: c.status,
    Type: c.type,
    KeyAlgorithm: c.keyAlgorithm,
    ...(issued
      ? {
          KeyUsages: ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'],
          ExtendedKeyUsages: ['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION'],
        }
      : {}),
    ExportOption: 'DISABLED',
    InUse: inUse,
    RenewalEligibility: c.status === 'ISSUED' && inUse ? 'ELIGIBLE' : 'INELIGIBLE',
    ...dates(c),
  };
}

function certificateDetail(region: RegionState, c: CertificateState): WireKeyAlgorithm<CertificateDetail> {
  const issued = hasBeenIssued(c);
  const users = certificateUsers(region, c);
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNames: [...c.subjectAlternativeNames],
    DomainValidationOptions: c.subjectAlternativeNames.map((domain) => {
      const record = dnsValidationRecord(c.arn, domain);
      return {
        DomainName: domain,
        ValidationDomain: domain,
        ValidationStatus: issued ? 'SUCCESS' : c.status === 'PENDING_VALIDATION' ? 'PENDING_VALIDATION' : 'FAILED',
        ResourceRecord: { Name: record.name, Type: 'CNAME', Value: record.value },
        ValidationMethod: 'DNS',
      };
    }),
    ...(issued ? { Serial: c.serial, Subject: `CN=${c.domainName}`, Issuer: 'Amazon' } : {}),
    ...dates(c),
    Status: c.status,
    KeyAlgorithm: c.keyAlgorithm,
    ...(issued ? { SignatureAlgorithm: 'SHA256WITHRSA' } : {}),
    InUseBy: users,
    Type: c.type,
    ...(issued
      ? {
          KeyUsages: [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }],
          ExtendedKeyUsages: [
            { Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' },
            { Name: 'TLS_WEB_CLIENT_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.2' },
          ],
        }
      : {}),
    RenewalEligibility: c.status === 'ISSUED' && users.length > 0 ? 'ELIGIBLE' : 'INELIGIBLE',
    Options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' },
  };
}

function hasBeenIssued(c: CertificateState): boolean {
  return c.issuedAt !== undefined;
}

function dates(c: CertificateState): Pick<CertificateSummary, 'CreatedAt' | 'IssuedAt' | 'NotBefore' | 'NotAfter'> {
  return {
    CreatedAt: new Date(c.createdAt),
    ...(c.issuedAt === undefined ? {} : { IssuedAt: new Date(c.issuedAt) }),
    ...(c.notBefore === undefined ? {} : { NotBefore: new Date(c.notBefore) }),
    ...(c.notAfter === undefined ? {} : { NotAfter: new Date(c.notAfter) }),
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodeToken(token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'offset' in parsed && typeof parsed.offset === 'number') {
      return parsed.offset;
    }
  } catch (error) {
    throw acmErrors.invalidArgs(`Invalid NextToken: ${(error as Error).message}`);
  }
  throw acmErrors.invalidArgs('Invalid NextToken.');
}
