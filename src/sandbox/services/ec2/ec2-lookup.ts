import { ec2Errors } from './ec2-errors.js';
import { isEc2Id } from './ec2-ids.js';
import type { Ec2State, SecurityGroupState } from './ec2-state.js';

/** Finding EC2 resources of one region, throwing EC2's not-found errors. */

/** The security group with that id: `InvalidGroupId.Malformed` for a malformed id, `InvalidGroup.NotFound` when absent. */
export function securityGroupById(ec2: Ec2State, groupId: string): SecurityGroupState {
  if (!isEc2Id('sg', groupId)) throw ec2Errors.groupIdMalformed(groupId);
  const found = ec2.securityGroups.find((g) => g.groupId === groupId);
  if (found === undefined) throw ec2Errors.groupNotFound(groupId);
  return found;
}

/** The security group of the region's default VPC with that name; `InvalidGroup.NotFound` otherwise. */
export function securityGroupByNameInDefaultVpc(ec2: Ec2State, name: string): SecurityGroupState {
  const defaultVpc = ec2.vpcs.find((v) => v.isDefault);
  const found = ec2.securityGroups.find((g) => g.groupName === name && g.vpcId === defaultVpc?.vpcId);
  if (found === undefined) throw ec2Errors.groupNameNotFound(name, defaultVpc?.vpcId);
  return found;
}

/**
 * The group an Authorize/Revoke request names: `GroupId`, or `GroupName` (default VPC only);
 * `MissingParameter` when it names none.
 */
export function securityGroupOfRequest(ec2: Ec2State, groupId: string | undefined, groupName: string | undefined): SecurityGroupState {
  if (groupId !== undefined) return securityGroupById(ec2, groupId);
  if (groupName !== undefined) return securityGroupByNameInDefaultVpc(ec2, groupName);
  throw ec2Errors.missingParameter('GroupId');
}
