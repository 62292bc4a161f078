import type { LayerChecks } from '../check.js';
import { taskSecurityGroupCheck } from './task-security-group.js';
import { taskSecurityGroupEgressCheck } from './task-security-group-egress.js';
import { gracePeriodCheck } from './health-check-grace-period.js';
import { deploymentCircuitBreakerCheck } from './deployment-circuit-breaker.js';
import { runningCountCheck } from './running-count.js';
import { crashLoopCheck } from './crash-loop.js';
import { loadBalancerBindingCheck } from './load-balancer-binding.js';
import { containerPortCheck } from './container-port.js';
import { containerHealthCheckCheck } from './container-health-check.js';
import { imageRegistryCheck } from './image-registry.js';
import { imageCurrentCheck } from './image-current.js';
import { memoryCheck } from './memory.js';
import { placeholderSecretsCheck } from './placeholder-secrets.js';
import { plaintextSecretsCheck } from './plaintext-secrets.js';

export {
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
};

/** The `ecs.*` checks (the ECS service, its task definition, tasks and task security groups), one file each in this folder. */
export const ecsChecks = Object.freeze([
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
] as const) satisfies LayerChecks<'ecs'>;
