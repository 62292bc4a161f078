import { hexId } from '../../resource-ids.js';

/** The Route53 hosted zone of ALBs per region (for `CanonicalHostedZoneId`). */
const ALB_HOSTED_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'me-central-1': 'Z08230872XQRWHG2XF6I',
  'me-south-1': 'ZS929ML54UICD',
};

/**
 * The `CanonicalHostedZoneId` of the region's Application Load Balancers (the hosted zone an alias record to one
 * names), as listed in https://docs.aws.amazon.com/general/latest/gr/elb.html; a stable made-up one elsewhere.
 */
export function albHostedZoneId(region: string): string {
  return ALB_HOSTED_ZONES[region] ?? `Z${hexId(`alb-zone:${region}`, 13).toUpperCase()}`;
}
