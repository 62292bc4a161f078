/**
 * The hosted zones alias records point into. CloudFront's is the same for every distribution;
 * each load balancer carries its region's (`CanonicalHostedZoneId`, e.g. `Z08230872XQRWHG2XF6I` in
 * me-central-1, `Z35SXDOTRQ7X7K` in us-east-1).
 */

/** The hosted zone id of every CloudFront distribution's alias target. */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';
