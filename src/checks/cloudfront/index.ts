import type { LayerChecks } from '../check.js';
import { originDomainCheck } from './origin-domain.js';
import { originPathCheck } from './origin-path.js';
import { originProtocolCheck } from './origin-protocol.js';
import { aliasesCheck } from './aliases.js';
import { viewerCertificateCheck } from './viewer-certificate.js';
import { viewerHttpsCheck } from './viewer-https.js';

export { originDomainCheck, originPathCheck, originProtocolCheck, aliasesCheck, viewerCertificateCheck, viewerHttpsCheck };

/** The `cloudfront.*` checks (CloudFront), one file each in this folder. */
export const cloudfrontChecks = Object.freeze([
  originDomainCheck,
  originPathCheck,
  originProtocolCheck,
  aliasesCheck,
  viewerCertificateCheck,
  viewerHttpsCheck,
] as const) satisfies LayerChecks<'cloudfront'>;
