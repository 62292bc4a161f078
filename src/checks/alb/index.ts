import type { LayerChecks } from '../check.js';
import { albSchemeCheck } from './scheme.js';
import { albSubnetsCheck } from './subnets.js';
import { httpsListenerCheck } from './https-listener.js';
import { listenerCertificateCheck } from './listener-certificate.js';
import { tlsPolicyCheck } from './tls-policy.js';
import { httpRedirectCheck } from './http-redirect.js';
import { defaultRuleCheck } from './default-rule.js';
import { albSecurityGroupCheck } from './security-group.js';
import { albSecurityGroupEgressCheck } from './security-group-egress.js';

export {
  albSchemeCheck,
  albSubnetsCheck,
  httpsListenerCheck,
  listenerCertificateCheck,
  tlsPolicyCheck,
  httpRedirectCheck,
  defaultRuleCheck,
  albSecurityGroupCheck,
  albSecurityGroupEgressCheck,
};

/** The `alb.*` checks (the load balancer, its listeners and security groups), one file each in this folder. */
export const albChecks = Object.freeze([
  albSchemeCheck,
  albSubnetsCheck,
  httpsListenerCheck,
  listenerCertificateCheck,
  tlsPolicyCheck,
  httpRedirectCheck,
  defaultRuleCheck,
  albSecurityGroupCheck,
  albSecurityGroupEgressCheck,
] as const) satisfies LayerChecks<'alb'>;
