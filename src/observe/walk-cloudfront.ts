import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { Distribution, DistributionSummary } from '@aws-sdk/client-cloudfront';
import { bareName, isCloudFrontDomain, regionOfElbDnsName } from '../aws/dns-names.js';
import { boundedMap } from './bounded-map.js';
import { summaryMayCover } from './certificate-names.js';
import type { DistributionObservation } from './observation.js';
import type { PortUse } from './port-reads.js';
import { GLOBAL_REGION, type Walk } from './walk-context.js';

/** The port methods the CloudFront walker calls. */
export const cloudFrontReads = {
  cloudfront: ['listDistributionPage', 'getDistribution'],
  acm: ['listCertificates', 'describeCertificate'],
} as const satisfies PortUse;

export interface CloudFrontWalk {
  /** The distribution whose aliases hold the domain, from the list alone (before the records are known). */
  readonly byAlias: Promise<DistributionSummary | undefined>;
  /** The distribution in front of the stack: the one the apex aliases, else the one whose aliases hold the domain. */
  readonly distribution: Promise<DistributionObservation | undefined>;
  /** The load balancer DNS name among the distribution's origins. */
  readonly distributionOrigin: Promise<string | undefined>;
  /** The distribution's viewer certificate (ACM, us-east-1). */
  readonly viewerCertificate: Promise<CertificateDetail | undefined>;
  /** The us-east-1 certificates that could cover the domain or `www.`, the viewer certificate first. */
  readonly edgeCertificates: Promise<CertificateDetail[]>;
}

/** The load balancer DNS name among a distribution's (or summary's) origins. */
export function originOf(
  summary: { Origins?: { Items?: { DomainName?: string | undefined }[] | undefined } | undefined } | undefined,
): string | undefined {
  return summary?.Origins?.Items?.map((o) => o.DomainName).find((n) => regionOfElbDnsName(n) !== undefined);
}

/** Pages of the distribution list a walk reads at most (100 a page: 100,000 distributions, far past any account). */
const MAX_DISTRIBUTION_PAGES = 1000;

/** One page of the distribution list. */
interface SummaryPage {
  readonly items: readonly DistributionSummary[];
  readonly nextMarker?: string | undefined;
}

/**
 * CloudFront: the distribution list is read from its first page at once, and only as far as the answer needs; the one whose aliases hold the domain is fetched without
 * waiting for the records, and the records decide when they alias a distribution (by its DomainName). A
 * summary is not the resource: a field missing from one (some endpoints return minimal summaries) is never
 * evidence of absence, so the distributions whose summaries cannot tell are read in full before concluding.
 */
export function walkCloudFront(
  walk: Walk<typeof cloudFrontReads>,
  dns: { readonly apexTarget: Promise<string | undefined> },
): CloudFrontWalk {
  const { domain, global, attempt, missing, track } = walk;
  const holdsDomain = (aliases: { Items?: string[] | undefined } | undefined): boolean =>
    (aliases?.Items ?? []).some((a) => bareName(a) === domain);

  // The list, page by page, each page read once and only when a search gets to it: the first summary that answers
  // is the one a read of the whole list would find first, so the pages after it are never needed.
  const pages: Promise<SummaryPage | undefined>[] = [];
  const pageAt = (index: number): Promise<SummaryPage | undefined> => {
    const known = pages[index];
    if (known !== undefined) return known;
    const read = track(
      index === 0
        ? attempt('cloudfront', domain, () => global.cloudfront.listDistributionPage())
        : pageAt(index - 1).then((previous) =>
            previous?.nextMarker === undefined
              ? undefined
              : attempt('cloudfront', domain, () => global.cloudfront.listDistributionPage(previous.nextMarker)),
          ),
    );
    pages[index] = read;
    return read;
  };
  /** The first summary `wanted` holds, reading pages until it is found; undefined when a page could not be read. */
  const search = async (
    wanted: (s: DistributionSummary) => boolean,
  ): Promise<{ readonly found: DistributionSummary | undefined } | undefined> => {
    for (let index = 0; index < MAX_DISTRIBUTION_PAGES; index++) {
      const page = await pageAt(index);
      if (page === undefined) return undefined;
      const found = page.items.find(wanted);
      if (found !== undefined || page.nextMarker === undefined) return { found };
    }
    return { found: undefined };
  };
  /** Every summary (when no search found one: the summaries that cannot tell are read in full). */
  const everySummary = async (): Promise<DistributionSummary[]> => {
    const all: DistributionSummary[] = [];
    for (let index = 0; index < MAX_DISTRIBUTION_PAGES; index++) {
      const page = await pageAt(index);
      all.push(...(page?.items ?? []));
      if (page?.nextMarker === undefined) break;
    }
    return all;
  };
  const aliasSearch = track(search((s) => holdsDomain(s.Aliases)));
  const byAlias = track(aliasSearch.then((r) => r?.found));
  const aliasDistribution = track(
    byAlias.then((s) =>
      s?.Id === undefined ? undefined : attempt('cloudfront', s.Id, () => global.cloudfront.getDistribution(s.Id ?? '')),
    ),
  );
  const distribution = track(
    Promise.all([aliasSearch, dns.apexTarget]).then(
      async ([aliased, target]): Promise<{ distribution: Distribution; etag: string } | undefined> => {
        if (aliased === undefined) return undefined;
        const alias = aliased.found;
        const cloudFrontTarget = isCloudFrontDomain(target) ? bareName(target) : undefined;
        const targeted =
          cloudFrontTarget === undefined ? { found: undefined } : await search((s) => bareName(s.DomainName) === cloudFrontTarget);
        if (targeted === undefined) return undefined;
        const byTarget = targeted.found;
        const chosen = byTarget ?? alias;
        if (chosen?.Id !== undefined) {
          return chosen.Id === alias?.Id
            ? aliasDistribution
            : attempt('cloudfront', chosen.Id, () => global.cloudfront.getDistribution(chosen.Id ?? ''));
        }
        const unknown = (await everySummary()).filter((s) => s.Id !== undefined && (s.DomainName === undefined || s.Aliases === undefined));
        const read = await boundedMap(unknown, 4, (s) =>
          attempt('cloudfront', s.Id ?? '', () => global.cloudfront.getDistribution(s.Id ?? '')),
        );
        const full = read.filter((d): d is { distribution: Distribution; etag: string } => d !== undefined);
        const found =
          (cloudFrontTarget === undefined ? undefined : full.find((d) => bareName(d.distribution.DomainName) === cloudFrontTarget)) ??
          full.find((d) => holdsDomain(d.distribution.DistributionConfig?.Aliases));
        if (found === undefined && cloudFrontTarget !== undefined) {
          missing('cloudfront', cloudFrontTarget, `${domain} points to ${cloudFrontTarget}, which is no distribution of this account`);
        }
        return found;
      },
    ),
  );
  // The load balancer the distribution sends to, from the most complete read: the distribution itself.
  const distributionOrigin = track(distribution.then((d) => originOf(d?.distribution.DistributionConfig)));

  const viewerCertificate = track(
    distribution.then(async (d) => {
      const arn = d?.distribution.DistributionConfig?.ViewerCertificate?.ACMCertificateArn;
      return arn === undefined ? undefined : attempt('viewer-certificate', arn, () => global.acm.describeCertificate(arn));
    }),
  );

  const edgeCertificates = track(
    distribution.then(async (d): Promise<CertificateDetail[]> => {
      if (d === undefined) return [];
      const summaries = (await attempt('viewer-certificate', GLOBAL_REGION, () => global.acm.listCertificates())) ?? [];
      const current = await viewerCertificate;
      const arns = summaries
        .filter((s) => summaryMayCover(s, domain))
        .map((s) => s.CertificateArn ?? '')
        .filter((arn) => arn !== '' && arn !== current?.CertificateArn);
      const details = await Promise.all(arns.map((arn) => attempt('viewer-certificate', arn, () => global.acm.describeCertificate(arn))));
      return [...(current !== undefined ? [current] : []), ...details.filter((c): c is CertificateDetail => c !== undefined)];
    }),
  );

  return { byAlias, distribution, distributionOrigin, viewerCertificate, edgeCertificates };
}
