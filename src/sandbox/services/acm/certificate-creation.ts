import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

import type { ImportCertificateResponse, RequestCertificateResponse } from '@aws-sdk/client-acm';

import { freshSeed, hexId, uuidId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { certificateArn } from './acm-arns.js';
import { acmErrors } from './acm-errors.js';
import type { CertificateState } from './acm-state.js';

/** A domain name ACM accepts: labels of letters, digits and hyphens, an optional leading `*.`, at most 253 characters. */
const DOMAIN = /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * ImportCertificate (https://docs.aws.amazon.com/acm/latest/APIReference/API_ImportCertificate.html): `Certificate`
 * (one PEM X.509 certificate), `PrivateKey` (its unencrypted PEM key) and an optional `CertificateChain`, all blobs
 * (base64 in JSON; the aws CLI's `fileb://`). The certificate is parsed for real: its subject CN and DNS SANs,
 * validity and key algorithm become the ACM certificate's. Refused with `ValidationException`: not PEM, a key that
 * does not match, a certificate outside its validity period. `CertificateArn` re-imports over a certificate of the
 * region (unknown: `ResourceNotFoundException`). Imported certificates are ISSUED and of type IMPORTED.
 */
export function importCertificate(state: SandboxState, input: InputReader, ctx: RequestContext): ImportCertificateResponse {
  const pem = blobText(input, 'Certificate');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw acmErrors.validation('The certificate field contains an invalid certificate: it is not a PEM-encoded X.509 certificate.');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(blobText(input, 'PrivateKey'));
  } catch {
    throw acmErrors.validation('The private key is not supported: it must be an unencrypted PEM-encoded RSA or EC key.');
  }
  if (!certificate.checkPrivateKey(key)) throw acmErrors.validation('The private key does not match the public key in the certificate.');
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (ctx.now < notBefore || ctx.now > notAfter) {
    throw acmErrors.validation(
      `The certificate is not valid at this time: it is valid from ${notBefore.toISOString()} to ${notAfter.toISOString()}.`,
    );
  }
  const commonName = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1];
  const sans = (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  const domainName = commonName ?? sans[0];
  if (domainName === undefined)
    throw acmErrors.validation('The certificate names no domain (no subject CN and no DNS subject alternative name).');
  const region = ensureRegionState(state, ctx.region);
  const reimported = input.optionalString('CertificateArn');
  const existing = reimported === undefined ? undefined : region.acm.certificates.find((c) => c.arn === reimported);
  if (reimported !== undefined && existing === undefined) throw acmErrors.resourceNotFound(reimported, state.account);
  if (existing !== undefined && existing.type !== 'IMPORTED')
    throw acmErrors.validation('Only an imported certificate can be re-imported.');
  const imported: CertificateState = {
    arn: existing?.arn ?? certificateArn(ctx.region, state.account, uuidId(freshSeed(state, 'certificate'))),
    domainName,
    subjectAlternativeNames: [domainName, ...sans.filter((s) => s !== domainName)],
    status: 'ISSUED',
    type: 'IMPORTED',
    keyAlgorithm: keyAlgorithmOf(key),
    serial: (certificate.serialNumber.match(/../g) ?? []).join(':').toLowerCase(),
    createdAt: existing?.createdAt ?? ctx.now.toISOString(),
    issuedAt: ctx.now.toISOString(),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    otherUsers: existing?.otherUsers ?? [],
  };
  if (existing === undefined) region.acm.certificates.push(imported);
  else Object.assign(existing, imported);
  return { CertificateArn: imported.arn };
}

/**
 * RequestCertificate (https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html): a public
 * certificate for `DomainName` and `SubjectAlternativeNames` (each a valid domain: `ValidationException`),
 * validated by DNS (`EMAIL` is refused: the sandbox has no mailbox). It starts PENDING_VALIDATION;
 * DescribeCertificate gives each name's validation CNAME, and the sandbox issues it (13 months, RSA-2048) as soon
 * as every name's CNAME exists in a hosted zone of the account (see `issueDnsValidatedCertificates`). The same
 * `IdempotencyToken` within an hour returns the same certificate, as ACM does.
 */
export function requestCertificate(state: SandboxState, input: InputReader, ctx: RequestContext): RequestCertificateResponse {
  const domainName = input.string('DomainName').toLowerCase();
  const sans = (input.optionalStringList('SubjectAlternativeNames') ?? []).map((s) => s.toLowerCase());
  for (const name of [domainName, ...sans]) {
    if (name.length > 253 || !DOMAIN.test(name)) {
      throw acmErrors.validation(
        `1 validation error detected: Value '${name}' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$`,
      );
    }
  }
  const method = input.optionalEnumString('ValidationMethod', ['DNS', 'EMAIL', 'HTTP'] as const) ?? 'EMAIL';
  if (method !== 'DNS')
    throw acmErrors.invalidArgs(`The sandbox validates certificates by DNS only: pass --validation-method DNS (not ${method}).`);
  const region = ensureRegionState(state, ctx.region);
  const token = input.optionalString('IdempotencyToken');
  const seed =
    token === undefined ? freshSeed(state, 'certificate') : `${state.account}:${ctx.region}:certificate-token:${token}:${domainName}`;
  const arn = certificateArn(ctx.region, state.account, uuidId(seed));
  if (region.acm.certificates.some((c) => c.arn === arn)) return { CertificateArn: arn };
  region.acm.certificates.push({
    arn,
    domainName,
    subjectAlternativeNames: [domainName, ...sans.filter((s) => s !== domainName)],
    status: 'PENDING_VALIDATION',
    type: 'AMAZON_ISSUED',
    keyAlgorithm: input.optionalString('KeyAlgorithm')?.replace('_', '-') ?? 'RSA-2048',
    serial: (hexId(`${arn}:serial`, 32).match(/../g) ?? []).join(':'),
    createdAt: ctx.now.toISOString(),
    otherUsers: [],
  });
  return { CertificateArn: arn };
}

function blobText(input: InputReader, name: string): string {
  return Buffer.from(input.string(name), 'base64').toString('utf8');
}

function keyAlgorithmOf(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return `RSA-${details?.modulusLength ?? 2048}`;
  if (key.asymmetricKeyType === 'ec') return `EC-${details?.namedCurve ?? 'prime256v1'}`;
  throw acmErrors.validation(`The private key is not supported: ${key.asymmetricKeyType ?? 'unknown'} keys cannot be imported.`);
}
