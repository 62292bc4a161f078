import { AwsError } from '../../aws-error.js';

/**
 * The errors EC2 answers with. EC2 does not model its errors, so the SDK names each exception after
 * the code itself (`err.name === 'InvalidGroup.NotFound'`).
 */
export const ec2Errors = {
  invalidParameterValue: (message: string): AwsError => new AwsError('InvalidParameterValue', message),
  invalidParameterCombination: (message: string): AwsError => new AwsError('InvalidParameterCombination', message),
  missingParameter: (name: string): AwsError => new AwsError('MissingParameter', `The request must contain the parameter ${name}`),
  invalidFilter: (name: string): AwsError => new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`),
  dryRun: (): AwsError => new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  groupNotFound: (groupId: string): AwsError => new AwsError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`),
  groupNameNotFound: (name: string, defaultVpcId: string | undefined): AwsError =>
    new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${defaultVpcId ?? 'none'}'`),
  groupIdMalformed: (groupId: string): AwsError =>
    new AwsError('InvalidGroupId.Malformed', `Invalid id: "${groupId}" (expecting "sg-...")`),
  vpcNotFound: (vpcId: string): AwsError => new AwsError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`),
  subnetNotFound: (subnetId: string): AwsError => new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`),
  routeTableNotFound: (routeTableId: string): AwsError =>
    new AwsError('InvalidRouteTableID.NotFound', `The routeTable ID '${routeTableId}' does not exist`),
  natGatewayNotFound: (natGatewayId: string): AwsError =>
    new AwsError('NatGatewayNotFound', `The Nat Gateway ${natGatewayId} was not found`),
  vpcEndpointNotFound: (vpcEndpointId: string): AwsError =>
    new AwsError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${vpcEndpointId}' does not exist`),
  permissionDuplicate: (rule: string): AwsError =>
    new AwsError('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`),
  permissionNotFound: (): AwsError =>
    new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.'),
  ruleIdNotFound: (ruleId: string): AwsError =>
    new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${ruleId}' does not exist`),
  ruleIdMalformed: (ruleId: string): AwsError =>
    new AwsError('InvalidSecurityGroupRuleId.Malformed', `Invalid id: "${ruleId}" (expecting "sgr-...")`),
  rulesPerGroupLimit: (): AwsError =>
    new AwsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.'),
  invalidRange: (code: 'InvalidVpc.Range' | 'InvalidSubnet.Range', cidr: string): AwsError =>
    new AwsError(code, `The CIDR '${cidr}' is invalid.`),
  subnetConflict: (cidr: string): AwsError => new AwsError('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`),
  internetGatewayNotFound: (id: string): AwsError =>
    new AwsError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`),
  gatewayNotFound: (id: string): AwsError => new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`),
  alreadyAssociated: (message: string): AwsError => new AwsError('Resource.AlreadyAssociated', message),
  routeAlreadyExists: (cidr: string): AwsError => new AwsError('RouteAlreadyExists', `The route identified by ${cidr} already exists.`),
  groupDuplicate: (name: string, vpcId: string): AwsError =>
    new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`),
  vpcIdNotSpecified: (): AwsError =>
    new AwsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.'),
} as const;
