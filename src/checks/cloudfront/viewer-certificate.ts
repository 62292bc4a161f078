import { defineCheck } from '../check.js';
import { configWith, distributionChange, edgeOf } from '../support/cloudfront-edge.js';
import {
  acmViewerCertificate,
  CLOUDFRONT_CERTIFICATE_REGION,
  viewerCertificateEvidence,
  viewerCertificateStanding,
  wantedAliases,
} from './support/viewer-certificates.js';

/**
 * `cloudfront.viewer-certificate`: the distribution presents an ACM certificate from us-east-1 that is
 * ISSUED, covers every alias it has or must have, and stays valid at least `policy.minCertificateDaysLeft`
 * days. A change only when a certificate that passes all of that exists in us-east-1.
 */
export const viewerCertificateCheck = defineCheck({
  id: 'cloudfront.viewer-certificate',
  title: 'The distribution uses an ISSUED us-east-1 ACM certificate covering every alias, valid long enough',
  /** The distribution. */
  subject: edgeOf,
  detect(edge, o) {
    const standing = viewerCertificateStanding(o, edge);
    if (standing === undefined || standing.problem === undefined) return [];
    const names = wantedAliases(o, edge);
    const vc = edge.config.ViewerCertificate;
    const evidence = {
      distribution: edge.id,
      aliasesWanted: names,
      current:
        standing.current !== undefined
          ? viewerCertificateEvidence(standing.current, o.observedAt, standing.problem)
          : {
              source: vc?.IAMCertificateId !== undefined && vc.IAMCertificateId !== '' ? 'iam' : 'cloudfront-default',
              problem: standing.problem,
            },
      candidatesConsidered: standing.considered,
      policyMinDaysLeft: o.stack.policy.minCertificateDaysLeft,
    };
    const title = `CloudFront ${edge.id}'s viewer certificate ${standing.problem}`;
    const replacement = standing.replacement?.CertificateArn;
    if (replacement === undefined) {
      const sans = names.filter((n) => n !== names[0]).join(' ');
      return [
        {
          finding: {
            severity: standing.severity,
            resource: edge.arn,
            title,
            evidence,
            nextStep: `request an ACM certificate in ${CLOUDFRONT_CERTIFICATE_REGION} covering ${names.join(', ')} (aws acm request-certificate --domain-name ${names[0] ?? ''}${sans !== '' ? ` --subject-alternative-names ${sans}` : ''} --validation-method DNS --region ${CLOUDFRONT_CERTIFICATE_REGION}), validate it, then run remediate plan again`,
          },
        },
      ];
    }
    const after = configWith(edge.config, (draft) => {
      draft.ViewerCertificate = acmViewerCertificate(draft.ViewerCertificate, replacement);
    });
    return [
      {
        finding: { severity: standing.severity, resource: edge.arn, title, evidence: { ...evidence, certificateChosen: replacement } },
        change: distributionChange(edge, after, `present ${replacement}, which is ISSUED, covers ${names.join(', ')} and expires last`),
      },
    ];
  },
});
