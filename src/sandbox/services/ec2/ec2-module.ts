import { ec2QueryProtocol } from '../../protocols/ec2-query.js';
import type { OperationHandler, ServiceModule } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { describeNatGateways } from './nat-gateways.js';
import {
  associateRouteTable,
  attachInternetGateway,
  createInternetGateway,
  createRoute,
  createRouteTable,
  createSubnet,
  createVpc,
} from './network-creation.js';
import { describeRouteTables } from './route-tables.js';
import {
  authorizeSecurityGroupEgress,
  authorizeSecurityGroupIngress,
  revokeSecurityGroupEgress,
  revokeSecurityGroupIngress,
} from './security-group-authorization.js';
import { createSecurityGroup } from './security-group-creation.js';
import { describeSecurityGroupRules } from './security-group-rules.js';
import { describeSecurityGroups } from './security-groups.js';
import { describeSubnets } from './subnets.js';
import { describeVpcEndpoints } from './vpc-endpoints.js';
import { describeVpcs } from './vpcs.js';

/**
 * A handler that honours `DryRun=true` as EC2 does: it checks the request (so a bad one still gets
 * its error), then answers `DryRunOperation` (412) and leaves the state unchanged.
 */
function withDryRun(handler: OperationHandler): OperationHandler {
  return (state, input, ctx) => {
    const output = handler(state, input, ctx);
    if (input.optionalBoolean('DryRun') === true) throw ec2Errors.dryRun();
    return output;
  };
}

const operations: Record<string, OperationHandler> = {
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  DescribeRouteTables: describeRouteTables,
  DescribeNatGateways: describeNatGateways,
  DescribeVpcEndpoints: describeVpcEndpoints,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
  CreateVpc: createVpc,
  CreateSubnet: createSubnet,
  CreateInternetGateway: createInternetGateway,
  AttachInternetGateway: attachInternetGateway,
  CreateRouteTable: createRouteTable,
  CreateRoute: createRoute,
  AssociateRouteTable: associateRouteTable,
  CreateSecurityGroup: createSecurityGroup,
};

/** Amazon EC2 (the network part: VPCs, subnets, routes, gateways, endpoints, security groups), over EC2 Query, version 2016-11-15. */
export const ec2Module: ServiceModule = {
  name: 'ec2',
  protocol: ec2QueryProtocol(),
  invalidInput: ec2Errors.invalidParameterValue,
  operations: Object.fromEntries(Object.entries(operations).map(([name, handler]) => [name, withDryRun(handler)])),
};
