import { hexId } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';

/**
 * ACM's DNS validation (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html): each name of a
 * requested certificate has a CNAME to create in its DNS; ACM issues the certificate once every name's CNAME
 * resolves. The sandbox derives the CNAME from the certificate's ARN and the name (a wildcard shares its base
 * name's record), and "resolves" it in the account's Route53 zones.
 */
export function dnsValidationRecord(certificateArn: string, domain: string): { readonly name: string; readonly value: string } {
  const base = domain.replace(/^\*\./, '');
  const token = hexId(`${certificateArn}:${base}`, 32);
  return { name: `_${token.slice(0, 32)}.${base}.`, value: `_${hexId(`${token}:value`, 32)}.xlfgrmvvlj.acm-validations.aws.` };
}

/** How long a certificate ACM issues is valid (395 days, i.e. 13 months). */
const AMAZON_ISSUED_VALIDITY_MS = 395 * 24 * 3600 * 1000;

/**
 * Issues every PENDING_VALIDATION Amazon-issued certificate of the account whose names' validation CNAMEs all
 * exist in its hosted zones (called after a Route53 change).
 */
export function issueDnsValidatedCertificates(state: SandboxState, now: Date): void {
  const cnames = new Map<string, string[]>();
  for (const zone of state.global.route53.hostedZones) {
    for (const record of zone.records) {
      if (record.Type !== 'CNAME' || record.Name === undefined) continue;
      cnames.set(
        record.Name.toLowerCase(),
        (record.ResourceRecords ?? []).map((r) => (r.Value ?? '').toLowerCase().replace(/\.?$/, '.')),
      );
    }
  }
  for (const region of Object.values(state.regions)) {
    for (const certificate of region.acm.certificates) {
      if (certificate.status !== 'PENDING_VALIDATION' || certificate.type !== 'AMAZON_ISSUED') continue;
      const validated = certificate.subjectAlternativeNames.every((domain) => {
        const wanted = dnsValidationRecord(certificate.arn, domain);
        return cnames.get(wanted.name)?.includes(wanted.value) === true;
      });
      if (!validated) continue;
      certificate.status = 'ISSUED';
      certificate.issuedAt = now.toISOString();
      certificate.notBefore = now.toISOString();
      certificate.notAfter = new Date(now.getTime() + AMAZON_ISSUED_VALIDITY_MS).toISOString();
    }
  }
}
