import type { Check } from './check.js';
import { unreachableCheck } from './unreachable-resources.js';
import { apexAliasCheck, wwwAliasCheck } from './dns-alias-records.js';
import { originDomainCheck } from './cloudfront-origin-domain.js';
import { originPathCheck } from './cloudfront-origin-path.js';
import { originProtocolCheck } from './cloudfront-origin-protocol.js';
import { aliasesCheck } from './cloudfront-aliases.js';
import { viewerCertificateCheck } from './cloudfront-viewer-certificate.js';
import { viewerHttpsCheck } from './cloudfront-viewer-https.js';
import { httpsListenerCheck } from './https-listener.js';
import { httpRedirectCheck } from './http-redirect.js';
import { gracePeriodCheck } from './health-check-grace-period.js';
import { healthCheckPathCheck } from './health-check-path.js';
import { albSchemeCheck } from './alb-scheme.js';
import { albSubnetsCheck } from './alb-subnets.js';
import { listenerCertificateCheck } from './alb-listener-certificate.js';
import { tlsPolicyCheck } from './alb-tls-policy.js';
import { defaultRuleCheck } from './alb-default-rule.js';
import { albSecurityGroupCheck } from './security-group-alb.js';
import { taskSecurityGroupCheck } from './security-group-tasks.js';
import { albSecurityGroupEgressCheck } from './security-group-egress-alb.js';
import { taskSecurityGroupEgressCheck } from './security-group-egress-tasks.js';
import { portProtocolCheck } from './target-group-port-protocol.js';
import { healthCheckSettingsCheck } from './target-group-health-check-settings.js';
import { healthyTargetsCheck } from './target-group-healthy-targets.js';
import { unusedTargetsCheck } from './target-group-unused-targets.js';
import { drainingTargetsCheck } from './target-group-draining-targets.js';
import { runningCountCheck } from './ecs-running-count.js';
import { crashLoopCheck } from './ecs-crash-loop.js';
import { containerPortCheck } from './ecs-container-port.js';
import { loadBalancerBindingCheck } from './ecs-load-balancer-binding.js';
import { containerHealthCheckCheck } from './ecs-container-health-check.js';
import { imageRegistryCheck } from './ecs-image-registry.js';
import { memoryCheck } from './ecs-memory.js';
import { imageCurrentCheck } from './ecs-image-current.js';
import { placeholderSecretsCheck } from './ecs-placeholder-secrets.js';
import { plaintextSecretsCheck } from './ecs-plaintext-secrets.js';
import { imagePullPathCheck } from './network-image-pull-path.js';
import { logGroupCheck } from './logs-log-group.js';
import { logConfigurationCheck } from './logs-log-configuration.js';
import { logErrorLinesCheck } from './logs-error-lines.js';

/** Every check, in the order their findings are listed. */
export const checks: readonly Check[] = Object.freeze([
  unreachableCheck,
  apexAliasCheck,
  wwwAliasCheck,
  originDomainCheck,
  originPathCheck,
  originProtocolCheck,
  aliasesCheck,
  viewerCertificateCheck,
  viewerHttpsCheck,
  albSchemeCheck,
  albSubnetsCheck,
  httpsListenerCheck,
  listenerCertificateCheck,
  tlsPolicyCheck,
  httpRedirectCheck,
  defaultRuleCheck,
  albSecurityGroupCheck,
  taskSecurityGroupCheck,
  albSecurityGroupEgressCheck,
  taskSecurityGroupEgressCheck,
  portProtocolCheck,
  healthCheckPathCheck,
  healthCheckSettingsCheck,
  healthyTargetsCheck,
  unusedTargetsCheck,
  drainingTargetsCheck,
  gracePeriodCheck,
  runningCountCheck,
  crashLoopCheck,
  loadBalancerBindingCheck,
  containerPortCheck,
  containerHealthCheckCheck,
  imageRegistryCheck,
  imageCurrentCheck,
  memoryCheck,
  placeholderSecretsCheck,
  plaintextSecretsCheck,
  imagePullPathCheck,
  logConfigurationCheck,
  logGroupCheck,
  logErrorLinesCheck,
]);
