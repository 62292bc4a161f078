import { bareName } from '../../aws/dns-names.js';
import { defineCheck, pointing } from '../check.js';
import { configWith, distributionChange, edgeOf } from '../support/cloudfront-edge.js';
import { certificateForWantedAliases, CLOUDFRONT_CERTIFICATE_REGION, wantedAliases } from './support/viewer-certificates.js';

/**
 * `cloudfront.aliases`: the distribution answers for the domain and `www.` + domain. The missing names are
 * added (the others kept) when a certificate covering them all is in use or can be (the
 * `cloudfront.viewer-certificate` change, merged into the same change): CloudFront refuses an alias its
 * certificate does not cover.
 */
export const aliasesCheck = defineCheck({
  id: 'cloudfront.aliases',
  title: 'The distribution answers for the domain and www',
  subject: (o) => edgeOf(o),
  detect(edge, o) {
    const current = (edge.config.Aliases?.Items ?? []).map((a) => bareName(a));
    const wanted = wantedAliases(o, edge);
    const missing = wanted.filter((n) => !current.includes(n));
    if (missing.length === 0) return [];
    const finding = {
      severity: missing.includes(bareName(o.stack.domain)) ? ('critical' as const) : ('high' as const),
      resource: edge.arn,
      title: `CloudFront ${edge.id} does not answer for ${missing.join(' and ')}`,
      evidence: { distribution: edge.id, aliases: current, missing },
    };
    const certificate = certificateForWantedAliases(o, edge);
    if (certificate === undefined) {
      return [
        {
          finding: {
            ...finding,
            nextStep: pointing(
              ['cloudfront.viewer-certificate'],
              (failed) =>
                `not planned: no usable ${CLOUDFRONT_CERTIFICATE_REGION} certificate covers ${wanted.join(', ')} (CloudFront refuses an alias its certificate does not cover); ${failed.length > 0 ? 'see cloudfront.viewer-certificate' : `request one in ${CLOUDFRONT_CERTIFICATE_REGION} covering them, attach it, then plan again`}`,
            ),
          },
        },
      ];
    }
    const aliases = [...(edge.config.Aliases?.Items ?? []), ...missing];
    const after = configWith(edge.config, (draft) => {
      draft.Aliases = { Quantity: aliases.length, Items: aliases };
    });
    return [
      {
        finding: { ...finding, evidence: { ...finding.evidence, certificate: certificate.CertificateArn ?? '' } },
        change: distributionChange(edge, after, `add the alternate domain names ${missing.join(', ')} so that CloudFront serves them`),
      },
    ];
  },
});
