import { ipv4BlockContains } from '../../../aws/facts/cidr-block.js';
import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { elbv2Errors } from './elbv2-errors.js';
import { targetGroupByArn } from './elbv2-lookup.js';
import type { RegisteredTarget } from './elbv2-state.js';

/**
 * RegisterTargets (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html):
 * `Targets` (at least one) of an `ip` target group are IPv4 addresses in the group's VPC (else `InvalidTarget`),
 * with `Port` (default: the group's); registering one again is a no-op, as in AWS. ECS registers the tasks of
 * services bound to the group by itself; these are the targets registered by hand.
 */
export function registerTargets(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const region = regionState(state, ctx.region);
  const tg = targetGroupByArn(region.elbv2, input.string('TargetGroupArn'));
  const targets = readTargets(input, tg.port);
  const vpc = region.ec2.vpcs.find((v) => v.vpcId === tg.vpcId);
  for (const target of targets) {
    if (tg.targetType === 'ip' && (vpc === undefined || !ipv4BlockContains(vpc.cidrBlock, `${target.id}/32`))) {
      throw elbv2Errors.invalidTarget(`The IP address '${target.id}' is not within the VPC of target group '${tg.arn}'`);
    }
    if (tg.targetType === 'instance' && !/^i-[0-9a-f]{8,17}$/.test(target.id)) {
      throw elbv2Errors.invalidTarget(`The target '${target.id}' is not a valid instance ID`);
    }
  }
  for (const target of targets) {
    if (!tg.registeredTargets.some((t) => t.id === target.id && t.port === target.port)) tg.registeredTargets.push(target);
  }
  return {};
}

/**
 * DeregisterTargets (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html):
 * removes the targets; one that is not registered is `InvalidTarget` and nothing is removed.
 */
export function deregisterTargets(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const region = regionState(state, ctx.region);
  const tg = targetGroupByArn(region.elbv2, input.string('TargetGroupArn'));
  const targets = readTargets(input, tg.port);
  const missing = targets.find((target) => !tg.registeredTargets.some((t) => t.id === target.id && t.port === target.port));
  if (missing !== undefined)
    throw elbv2Errors.invalidTarget(`The target '${missing.id}:${missing.port}' is not registered in target group '${tg.arn}'`);
  tg.registeredTargets = tg.registeredTargets.filter((t) => !targets.some((target) => target.id === t.id && target.port === t.port));
  return {};
}

function readTargets(input: InputReader, defaultPort: number): RegisteredTarget[] {
  const targets = input.structList('Targets').map((t) => {
    const zone = t.optionalString('AvailabilityZone');
    return {
      id: t.string('Id'),
      port: t.optionalInteger('Port') ?? defaultPort,
      ...(zone === undefined ? {} : { availabilityZone: zone }),
    };
  });
  if (targets.length === 0)
    throw input.error(
      "1 validation error detected: Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  return targets;
}
