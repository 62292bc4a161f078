import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { freshEc2Id } from './ec2-ids.js';
import type { SecurityGroupState } from './ec2-state.js';
import { requestedTags } from './network-creation.js';

/**
 * CreateSecurityGroup (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html):
 * `GroupName` (at most 255 characters, not starting with `sg-`) and `GroupDescription` (the SDK's
 * `Description`), in `VpcId` (unknown: `InvalidVpcID.NotFound`) or the default VPC (none: `VPCIdNotSpecified`).
 * A name the VPC has already: `InvalidGroup.Duplicate`. The new group has EC2's one default rule: all traffic
 * out to 0.0.0.0/0. Answers `groupId` and `securityGroupArn`.
 */
export function createSecurityGroup(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const groupName = input.string('GroupName');
  const description = input.string('GroupDescription');
  if (groupName.length === 0 || groupName.length > 255 || groupName.toLowerCase().startsWith('sg-')) {
    throw ec2Errors.invalidParameterValue(
      `Value (${groupName}) for parameter GroupName is invalid. Group names may not be empty, longer than 255 characters, or start with sg-`,
    );
  }
  if (description.length > 255) {
    throw ec2Errors.invalidParameterValue(
      'Value for parameter GroupDescription is invalid. Descriptions may not be longer than 255 characters',
    );
  }
  const { ec2 } = ensureRegionState(state, ctx.region);
  const requestedVpc = input.optionalString('VpcId');
  const vpc = requestedVpc === undefined ? ec2.vpcs.find((v) => v.isDefault) : ec2.vpcs.find((v) => v.vpcId === requestedVpc);
  if (vpc === undefined) throw requestedVpc === undefined ? ec2Errors.vpcIdNotSpecified() : ec2Errors.vpcNotFound(requestedVpc);
  if (ec2.securityGroups.some((g) => g.vpcId === vpc.vpcId && g.groupName === groupName))
    throw ec2Errors.groupDuplicate(groupName, vpc.vpcId);
  const group: SecurityGroupState = {
    groupId: freshEc2Id(state, 'sg'),
    groupName,
    description,
    vpcId: vpc.vpcId,
    rules: [],
    tags: requestedTags(input, 'security-group'),
  };
  group.rules.push({ ruleId: freshEc2Id(state, 'sgr'), isEgress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' });
  ec2.securityGroups.push(group);
  return {
    groupId: group.groupId,
    tagSet: group.tags.map((t) => ({ key: t.key, value: t.value })),
    securityGroupArn: `arn:aws:ec2:${ctx.region}:${state.account}:security-group/${group.groupId}`,
  };
}
