import type { Check } from './check.js';
import { unreachableCheck } from './stack/index.js';
import { apexAliasCheck, wwwAliasCheck } from './dns/index.js';
import {
  originDomainCheck,
  originPathCheck,
  originProtocolCheck,
  aliasesCheck,
  viewerCertificateCheck,
  viewerHttpsCheck,
} from './cloudfront/index.js';
import {
  albSchemeCheck,
  albSubnetsCheck,
  httpsListenerCheck,
  listenerCertificateCheck,
  tlsPolicyCheck,
  httpRedirectCheck,
  defaultRuleCheck,
  albSecurityGroupCheck,
  albSecurityGroupEgressCheck,
} from './alb/index.js';
import {
  taskSecurityGroupCheck,
  taskSecurityGroupEgressCheck,
  gracePeriodCheck,
  deploymentCircuitBreakerCheck,
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
} from './ecs/index.js';
import {
  portProtocolCheck,
  healthCheckPathCheck,
  healthCheckSettingsCheck,
  healthyTargetsCheck,
  unusedTargetsCheck,
  drainingTargetsCheck,
} from './tg/index.js';
import { imagePullPathCheck } from './network/index.js';
import { logConfigurationCheck, logGroupCheck, logErrorLinesCheck } from './logs/index.js';
import { dockerfileRuntimeCompileCheck, dockerfileBaseImageCheck, dockerfileHealthcheckPathCheck } from './repo/index.js';

/**
 * Every check, in the order their findings are listed. Each layer's index lists its checks (test/checks-registered.test.ts
 * holds every check file to its index, and every index to this list); the order here is the order of findings.
 */
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
  deploymentCircuitBreakerCheck,
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
  dockerfileRuntimeCompileCheck,
  dockerfileBaseImageCheck,
  dockerfileHealthcheckPathCheck,
]);
