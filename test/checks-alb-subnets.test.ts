import type { RouteTable } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { albSubnetsCheck } from '../src/checks/alb/subnets.js';
import { checks } from '../src/checks/checks.js';
import type { Observation } from '../src/observe/observation.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget, type Plan } from '../src/model/plan.js';
import { healthyObservation, lbArn, now } from './support/observation-fixture.js';

/**
 * `alb.subnets` (issue 8, "checks the independent run showed missing"): an internet-facing load balancer whose
 * subnets have no route to an internet gateway cannot be reached, although `alb.scheme` passes. Pure detection
 * on observations shaped as DescribeLoadBalancers, DescribeSubnets and DescribeRouteTables return them.
 */
const vpcId = 'vpc-0a1b2c3d4e5f60001';
const local = { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' } as const;
const mainTable = (routes: RouteTable['Routes']): RouteTable => ({
  RouteTableId: 'rtb-main',
  VpcId: vpcId,
  Associations: [{ Main: true, RouteTableId: 'rtb-main', RouteTableAssociationId: 'rtbassoc-main' }],
  Routes: routes,
});
const tableOf = (id: string, subnets: string[], routes: RouteTable['Routes']): RouteTable => ({
  RouteTableId: id,
  VpcId: vpcId,
  Associations: subnets.map((s) => ({ Main: false, SubnetId: s, RouteTableId: id, RouteTableAssociationId: `rtbassoc-${s}` })),
  Routes: routes,
});
const toIgw = { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0123456789abcdef0', State: 'active' } as const;
const toNat = { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0123456789abcdef0', State: 'active' } as const;

/** The healthy fixture's load balancer in subnet-pub-a and subnet-pub-b, with the route tables of its VPC. */
function withNetwork(routeTables: RouteTable[], scheme: 'internet-facing' | 'internal' = 'internet-facing'): Observation {
  const base = healthyObservation();
  return {
    ...base,
    loadBalancer: {
      ...base.loadBalancer,
      Scheme: scheme,
      VpcId: vpcId,
      AvailabilityZones: [
        { ZoneName: 'me-central-1a', SubnetId: 'subnet-pub-a' },
        { ZoneName: 'me-central-1b', SubnetId: 'subnet-pub-b' },
      ],
    },
    loadBalancerNetwork: {
      subnets: [
        { SubnetId: 'subnet-pub-a', VpcId: vpcId, AvailabilityZone: 'me-central-1a' },
        { SubnetId: 'subnet-pub-b', VpcId: vpcId, AvailabilityZone: 'me-central-1b' },
      ],
      routeTables,
    },
  };
}

function plan(o: Observation): Plan {
  return buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: o.account, region: o.region, stack: o.stack.name }),
    observation: o,
    checks,
  });
}
const statusOf = (p: Plan) => p.checks.find((c) => c.id === 'alb.subnets')?.status;

describe('alb.subnets', () => {
  it('passes when the subnets use the main route table and it routes 0.0.0.0/0 to an internet gateway', () => {
    const p = plan(withNetwork([mainTable([local, toIgw]), tableOf('rtb-private', ['subnet-task-a'], [local, toNat])]));
    expect(statusOf(p)).toBe('passed');
    expect(p.findings.filter((f) => f.check === 'alb.subnets')).toEqual([]);
  });

  it('is critical when every subnet is explicitly associated with a table whose default route goes to a NAT gateway, with each subnet, table and route as evidence', () => {
    const p = plan(withNetwork([mainTable([local, toIgw]), tableOf('rtb-private', ['subnet-pub-a', 'subnet-pub-b'], [local, toNat])]));
    const found = p.findings.filter((f) => f.check === 'alb.subnets');
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f).toMatchObject({ severity: 'critical', resource: lbArn });
    expect(f?.changeId).toBeUndefined();
    expect(f?.evidence['subnets']).toEqual([
      {
        subnetId: 'subnet-pub-a',
        availabilityZone: 'me-central-1a',
        routeTable: 'rtb-private',
        association: 'explicit',
        defaultRoute: { target: 'nat-0123456789abcdef0', state: 'active' },
        reachableFromInternet: false,
      },
      {
        subnetId: 'subnet-pub-b',
        availabilityZone: 'me-central-1b',
        routeTable: 'rtb-private',
        association: 'explicit',
        defaultRoute: { target: 'nat-0123456789abcdef0', state: 'active' },
        reachableFromInternet: false,
      },
    ]);
    // The next step names a table of the VPC that does route to the internet gateway, and the set-subnets way.
    expect(f?.nextStep).toContain(`aws elbv2 set-subnets --load-balancer-arn ${lbArn}`);
    expect(f?.nextStep).toContain('aws ec2 associate-route-table --route-table-id rtb-main --subnet-id subnet-pub-a');
    // alb.scheme passes all the same: this is what it cannot see.
    expect(p.checks.find((c) => c.id === 'alb.scheme')?.status).toBe('passed');
  });

  it('follows the main route table for subnets without an explicit association: a main table without a default route makes them unreachable', () => {
    const p = plan(withNetwork([mainTable([local])]));
    const [f] = p.findings.filter((x) => x.check === 'alb.subnets');
    expect(f?.severity).toBe('critical');
    expect(f?.evidence['subnets']).toMatchObject([
      { subnetId: 'subnet-pub-a', routeTable: 'rtb-main', association: 'main', defaultRoute: null, reachableFromInternet: false },
      { subnetId: 'subnet-pub-b', routeTable: 'rtb-main', association: 'main', defaultRoute: null, reachableFromInternet: false },
    ]);
    expect(f?.nextStep).toContain('attach an internet gateway');
  });

  it('is high when only some subnets lack the route; a blackholed internet-gateway route counts as none', () => {
    const p = plan(withNetwork([mainTable([local, toIgw]), tableOf('rtb-b', ['subnet-pub-b'], [local, { ...toIgw, State: 'blackhole' }])]));
    const [f] = p.findings.filter((x) => x.check === 'alb.subnets');
    expect(f?.severity).toBe('high');
    expect(f?.title).toMatch(/^1 of 2 subnet\(s\) of shop-alb have no route to an internet gateway/);
    expect(f?.evidence['subnets']).toMatchObject([
      { reachableFromInternet: true },
      { routeTable: 'rtb-b', defaultRoute: { state: 'blackhole' }, reachableFromInternet: false },
    ]);
  });

  it('never reports a route through what it cannot see into (a firewall endpoint, an appliance)', () => {
    const firewall = { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'vpce-0fw0000000000000a', State: 'active' } as const;
    const p = plan(withNetwork([tableOf('rtb-fw', ['subnet-pub-a', 'subnet-pub-b'], [local, firewall]), mainTable([local])]));
    expect(statusOf(p)).toBe('passed');
  });

  it('does not run for an internal load balancer (alb.scheme owns it) or when the subnets were not read', () => {
    expect(statusOf(plan(withNetwork([mainTable([local])], 'internal')))).toBe('not-run');
    const { loadBalancerNetwork: _dropped, ...unread } = withNetwork([mainTable([local])]);
    expect(statusOf(plan(unread))).toBe('not-run');
    expect(albSubnetsCheck.detect(unread)).toEqual([]);
  });
});
