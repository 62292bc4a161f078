import type { InputReader } from '../input-reader.js';
import { ecsErrors } from './ecs-errors.js';
import type { DeploymentConfigurationState } from './ecs-state.js';

/**
 * Reads a CreateService or UpdateService `deploymentConfiguration` over `current` (AWS's defaults for a new service):
 * `maximumPercent`, `minimumHealthyPercent` and `deploymentCircuitBreaker { enable, rollback }` (both members
 * required, as the API reference's DeploymentCircuitBreaker has them:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-service-deploymentconfiguration.html;
 * UpdateService: https://docs.amazonaws.cn/goto/WebAPI/ecs-2014-11-13/UpdateService). A member not given keeps its
 * current value: the reference does not say what an omitted member of an update becomes, so remediate always sends
 * the limits with the circuit breaker and does not depend on this. The other members (alarms, strategy, bake time,
 * lifecycle hooks) are not modelled and are refused rather than ignored.
 */
export function readDeploymentConfiguration(input: InputReader, current: DeploymentConfigurationState): DeploymentConfigurationState {
  for (const name of ['alarms', 'strategy', 'bakeTimeInMinutes', 'lifecycleHooks', 'linearConfiguration', 'canaryConfiguration']) {
    if (input.has(name)) throw ecsErrors.invalidParameter(`The sandbox does not model deploymentConfiguration.${name}.`);
  }
  const maximumPercent = input.optionalInteger('maximumPercent') ?? current.maximumPercent;
  const minimumHealthyPercent = input.optionalInteger('minimumHealthyPercent') ?? current.minimumHealthyPercent;
  // The sandbox checks only that the limits are not negative; AWS's own bounds on them are not modelled.
  if (maximumPercent < 0 || minimumHealthyPercent < 0)
    throw ecsErrors.invalidParameter('maximumPercent and minimumHealthyPercent cannot be negative.');
  const breakerInput = input.optionalStruct('deploymentCircuitBreaker');
  const deploymentCircuitBreaker = breakerInput === undefined ? { ...current.deploymentCircuitBreaker } : readCircuitBreaker(breakerInput);
  return { deploymentCircuitBreaker, maximumPercent, minimumHealthyPercent };
}

function readCircuitBreaker(input: InputReader): DeploymentConfigurationState['deploymentCircuitBreaker'] {
  const enable = input.optionalBoolean('enable');
  const rollback = input.optionalBoolean('rollback');
  if (enable === undefined || rollback === undefined) {
    throw ecsErrors.invalidParameter('deploymentCircuitBreaker requires both enable and rollback.');
  }
  return { enable, rollback };
}
