import type { DescribeLoadBalancersOutput, LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbv2Page } from './elbv2-page.js';

import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { elbv2Errors } from './elbv2-errors.js';
import type { LoadBalancerState } from './elbv2-state.js';

/** DescribeLoadBalancers: by `Names` or `LoadBalancerArns` (not both), or all of the region. */
export function describeLoadBalancers(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeLoadBalancersOutput {
  const { elbv2 } = regionState(state, ctx.region);
  const names = input.optionalStringList('Names');
  const arns = input.optionalStringList('LoadBalancerArns');
  if (names !== undefined && arns !== undefined && names.length > 0 && arns.length > 0) {
    throw elbv2Errors.validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
  }
  let found = elbv2.loadBalancers;
  if (names !== undefined && names.length > 0) {
    const missing = names.filter((n) => !elbv2.loadBalancers.some((lb) => lb.name === n));
    if (missing.length > 0) throw elbv2Errors.loadBalancerNotFound(`[${missing.join(', ')}]`);
    found = elbv2.loadBalancers.filter((lb) => names.includes(lb.name));
  } else if (arns !== undefined && arns.length > 0) {
    const missing = arns.filter((a) => !elbv2.loadBalancers.some((lb) => lb.arn === a));
    if (missing.length > 0) throw elbv2Errors.loadBalancerNotFound(`[${missing.join(', ')}]`);
    found = elbv2.loadBalancers.filter((lb) => arns.includes(lb.arn));
  }
  const { items, nextMarker } = elbv2Page(found, input);
  return { LoadBalancers: items.map(loadBalancerOutput), ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) };
}

/** A load balancer as DescribeLoadBalancers returns it. */
export function loadBalancerOutput(lb: LoadBalancerState): LoadBalancer {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: lb.canonicalHostedZoneId,
    CreatedTime: new Date(lb.createdTime),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: lb.availabilityZones.map((az) => ({
      ZoneName: az.zoneName,
      SubnetId: az.subnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: [...lb.securityGroups],
    IpAddressType: lb.ipAddressType,
    EnablePrefixForIpv6SourceNat: 'off',
  };
}
