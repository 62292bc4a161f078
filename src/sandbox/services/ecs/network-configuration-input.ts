import type { Ec2State } from '../ec2/ec2-state.js';
import type { InputReader } from '../input-reader.js';
import { ecsErrors } from './ecs-errors.js';
import type { EcsServiceState } from './ecs-state.js';

/**
 * Reads a service's `networkConfiguration.awsvpcConfiguration` (subnets, security groups,
 * assignPublicIp), checking the subnets and groups exist as ECS does (through EC2:
 * `InvalidParameterException` quoting EC2's error). Without security groups the task gets its VPC's
 * default group; `assignPublicIp` defaults to DISABLED.
 */
export function readNetworkConfiguration(ec2: Ec2State, input: InputReader): EcsServiceState['networkConfiguration'] {
  const awsvpc = input.optionalStruct('awsvpcConfiguration');
  if (awsvpc === undefined) throw ecsErrors.invalidParameter('Network Configuration must contain awsvpcConfiguration.');
  const subnets = awsvpc.stringList('subnets');
  if (subnets.length === 0) throw ecsErrors.invalidParameter('subnets can not be empty.');
  if (subnets.length > 16) throw ecsErrors.invalidParameter('subnets can have at most 16 items.');
  const missingSubnet = subnets.find((id) => !ec2.subnets.some((s) => s.subnetId === id));
  if (missingSubnet !== undefined) {
    throw ecsErrors.invalidParameter(
      `Error retrieving subnet information for [${missingSubnet}]: The subnet ID '${missingSubnet}' does not exist ` +
        '(Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)',
    );
  }
  const given = awsvpc.optionalStringList('securityGroups');
  if (given !== undefined && given.length > 5) throw ecsErrors.invalidParameter('securityGroups can have at most 5 items.');
  const missingGroup = given?.find((id) => !ec2.securityGroups.some((g) => g.groupId === id));
  if (missingGroup !== undefined) {
    throw ecsErrors.invalidParameter(
      `Error retrieving security group information for [${missingGroup}]: The security group '${missingGroup}' does not exist ` +
        '(Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)',
    );
  }
  const vpcId = ec2.subnets.find((s) => s.subnetId === subnets[0])?.vpcId;
  const defaultGroup = ec2.securityGroups.find((g) => g.vpcId === vpcId && g.groupName === 'default');
  return {
    subnets,
    securityGroups: given ?? (defaultGroup === undefined ? [] : [defaultGroup.groupId]),
    assignPublicIp: awsvpc.optionalEnumString('assignPublicIp', ['ENABLED', 'DISABLED'] as const) ?? 'DISABLED',
  };
}
