import type { CertificateSummary } from '@aws-sdk/client-acm';
import { nameCovers } from '../aws/dns-names.js';

/** Whether a certificate summary's names could cover the domain or `www.` + domain (worth describing). */
export function summaryMayCover(summary: CertificateSummary, domain: string): boolean {
  const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])].filter((n): n is string => n !== undefined);
  return names.some((name) => nameCovers(name, domain) || nameCovers(name, `www.${domain}`));
}
