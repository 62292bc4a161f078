import type { ChangeKind } from '../fixes/change-kinds.js';
import { locatorString } from '../fixes/locator.js';
import type { Change } from '../model/plan.js';

/** The account and region a policy's ARNs name (`*` when not known: any account, any region). */
export interface PolicyPlace {
  readonly account: string;
  readonly region: string;
}

/** The resources each write action of a change may touch: action → ARNs. */
export type ActionResources = Readonly<Record<string, readonly string[]>>;

// Resource types per action: the Service Authorization Reference (SAR), one page per service:
// ELBv2  https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
// ECS    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
// Route53 https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
// CloudFront https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html
// EC2    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
// IAM    https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html

const elb = (p: PolicyPlace, resource: string): string => `arn:aws:elasticloadbalancing:${p.region}:${p.account}:${resource}`;
const ecs = (p: PolicyPlace, resource: string): string => `arn:aws:ecs:${p.region}:${p.account}:${resource}`;

/** SAR ECS: RegisterTaskDefinition has no resource type (a new revision has no ARN yet): it can only be granted on "*". */
const REGISTER_TASK_DEFINITION: ActionResources = { 'ecs:RegisterTaskDefinition': ['*'] };

/** The listeners of a load balancer: `…:loadbalancer/app/NAME/ID` → `…:listener/app/NAME/ID/*` (SAR ELBv2, resource type listener/app). */
function listenersOf(loadBalancerArn: string): string {
  return `${loadBalancerArn.replace(':loadbalancer/', ':listener/')}/*`;
}

/** The service ARN of a cluster ARN and a service name: `…:cluster/C` → `…:service/C/S` (SAR ECS, resource type service). */
function serviceArn(clusterArn: string, service: string): string {
  return `${clusterArn.replace(':cluster/', ':service/')}/${service}`;
}

/** A task definition's family, from its revision ARN `…:task-definition/FAMILY:N`. */
function familyOf(taskDefinitionArn: string): string {
  const name = taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon < 0 ? name : name.slice(0, colon);
}

function beforeTaskDefinition(change: Change): string | undefined {
  const before = change.before;
  if (before === null || typeof before !== 'object' || Array.isArray(before)) return undefined;
  const arn = before['taskDefinition'];
  return typeof arn === 'string' ? arn : undefined;
}

/** The hosted zone ARN (SAR Route53, resource type hostedzone): `arn:aws:route53:::hostedzone/ID`, from an id with or without `/hostedzone/`. */
function hostedZoneArn(id: string): string {
  return `arn:aws:route53:::hostedzone/${id.replace(/^\/?hostedzone\//, '')}`;
}

/** Security group rules are granted on the group (SAR EC2: Authorize/Revoke…Ingress/Egress, resource type security-group). */
function securityGroupArn(p: PolicyPlace, groupId: string): string {
  return `arn:aws:ec2:${p.region}:${p.account}:security-group/${groupId}`;
}

/**
 * For each change kind, the resources of one change, per write action its executor declares (`iam.write`,
 * `iam.implied`). iam:PassRole is not here: the roles a task definition passes are read live (see `scopedPolicy`).
 */
export const changeResources: Readonly<Record<ChangeKind, (change: Change, p: PolicyPlace) => ActionResources>> = {
  // SAR ELBv2: CreateListener's resource type is loadbalancer; DeleteListener's is listener (the one created: its ARN
  // is not known when planning, so any listener of that load balancer).
  'elbv2.https-listener': (c) => ({
    'elasticloadbalancing:CreateListener': [locatorString(c, 'loadBalancerArn')],
    'elasticloadbalancing:DeleteListener': [listenersOf(locatorString(c, 'loadBalancerArn'))],
  }),
  // SAR ELBv2: ModifyListener's resource type is listener.
  'elbv2.listener-default-actions': (c) => ({ 'elasticloadbalancing:ModifyListener': [locatorString(c, 'listenerArn')] }),
  'elbv2.listener-tls': (c) => ({ 'elasticloadbalancing:ModifyListener': [locatorString(c, 'listenerArn')] }),
  // SAR ELBv2: ModifyTargetGroup's resource type is targetgroup.
  'elbv2.target-group-health-check': (c) => ({ 'elasticloadbalancing:ModifyTargetGroup': [locatorString(c, 'targetGroupArn')] }),
  // SAR ECS: UpdateService's resource type is service.
  'ecs.health-check-grace-period': (c) => ({ 'ecs:UpdateService': [serviceArn(locatorString(c, 'cluster'), locatorString(c, 'service'))] }),
  'ecs.deployment-circuit-breaker': (c) => ({
    'ecs:UpdateService': [serviceArn(locatorString(c, 'cluster'), locatorString(c, 'service'))],
  }),
  // SAR ECS: TagResource's resource types include task-definition (the new revision, of the same family).
  'ecs.task-definition': (c, p) => {
    const before = beforeTaskDefinition(c);
    return {
      ...REGISTER_TASK_DEFINITION,
      'ecs:TagResource': [ecs(p, `task-definition/${before === undefined ? '*' : `${familyOf(before)}:*`}`)],
      'ecs:UpdateService': [serviceArn(locatorString(c, 'cluster'), locatorString(c, 'service'))],
    };
  },
  // SAR Route53: ChangeResourceRecordSets' resource type is hostedzone.
  'route53.record-set': (c) => ({ 'route53:ChangeResourceRecordSets': [hostedZoneArn(locatorString(c, 'hostedZoneId'))] }),
  // SAR CloudFront: UpdateDistribution's resource type is distribution (a global ARN: no region).
  'cloudfront.distribution-config': (c, p) => ({
    'cloudfront:UpdateDistribution': [`arn:aws:cloudfront::${p.account}:distribution/${locatorString(c, 'distributionId')}`],
  }),
  'ec2.security-group-ingress': (c, p) => ({
    'ec2:AuthorizeSecurityGroupIngress': [securityGroupArn(p, locatorString(c, 'groupId'))],
    'ec2:RevokeSecurityGroupIngress': [securityGroupArn(p, locatorString(c, 'groupId'))],
  }),
  'ec2.security-group-egress': (c, p) => ({
    'ec2:AuthorizeSecurityGroupEgress': [securityGroupArn(p, locatorString(c, 'groupId'))],
    'ec2:RevokeSecurityGroupEgress': [securityGroupArn(p, locatorString(c, 'groupId'))],
  }),
  // A file in the repository: no AWS call, no IAM.
  'repo.file-patch': () => ({}),
};

/** Without a plan: every write action on the ARN patterns of its resource type in the account and region. */
export function patternResources(p: PolicyPlace): ActionResources {
  return {
    'elasticloadbalancing:CreateListener': [elb(p, 'loadbalancer/app/*')],
    'elasticloadbalancing:DeleteListener': [elb(p, 'listener/app/*')],
    'elasticloadbalancing:ModifyListener': [elb(p, 'listener/app/*')],
    'elasticloadbalancing:ModifyTargetGroup': [elb(p, 'targetgroup/*')],
    'ecs:UpdateService': [ecs(p, 'service/*')],
    ...REGISTER_TASK_DEFINITION,
    'ecs:TagResource': [ecs(p, 'task-definition/*')],
    'route53:ChangeResourceRecordSets': ['arn:aws:route53:::hostedzone/*'],
    'cloudfront:UpdateDistribution': [`arn:aws:cloudfront::${p.account}:distribution/*`],
    'ec2:AuthorizeSecurityGroupIngress': [securityGroupArn(p, '*')],
    'ec2:RevokeSecurityGroupIngress': [securityGroupArn(p, '*')],
    'ec2:AuthorizeSecurityGroupEgress': [securityGroupArn(p, '*')],
    'ec2:RevokeSecurityGroupEgress': [securityGroupArn(p, '*')],
    // SAR IAM: PassRole's resource type is role (with the condition key iam:PassedToService).
    'iam:PassRole': [`arn:aws:iam::${p.account}:role/*`],
  };
}
