import type { Observation } from '../observe/observation.js';
import { bareName } from '../aws/dns-names.js';
import { nameFromArn } from '../aws/arn.js';
import type { ChainHop } from '../model/plan.js';

/**
 * The stack as found, hop by hop from the domain to the containers: names, ids and a few facts each, for
 * the plan and for incident reports. Never a secret (no environment values).
 */
export function chainOf(o: Observation): ChainHop[] {
  const hops: ChainHop[] = [];
  const domain = bareName(o.stack.domain);
  if (o.dns !== undefined) {
    const records = o.dns.records.map(
      (r) => `${bareName(r.Name)} ${r.Type ?? ''} → ${bareName(r.AliasTarget?.DNSName ?? r.ResourceRecords?.[0]?.Value)}`,
    );
    hops.push({
      layer: 'route53',
      summary: `hosted zone ${bareName(o.dns.zone.Name)}`,
      resource: o.dns.zone.Id ?? null,
      facts: { records },
    });
  }
  const d = o.distribution?.distribution;
  if (d !== undefined) {
    const config = d.DistributionConfig;
    const origin = config?.Origins?.Items?.[0];
    hops.push({
      layer: 'cloudfront',
      summary: `distribution ${d.Id ?? ''} (${d.DomainName ?? ''})`,
      resource: d.ARN ?? null,
      facts: {
        status: d.Status ?? null,
        aliases: config?.Aliases?.Items ?? [],
        origin: origin?.DomainName ?? null,
        originPath: origin?.OriginPath ?? '',
        originProtocol: origin?.CustomOriginConfig?.OriginProtocolPolicy ?? null,
        viewerProtocol: config?.DefaultCacheBehavior?.ViewerProtocolPolicy ?? null,
        certificate: config?.ViewerCertificate?.ACMCertificateArn ?? null,
      },
    });
  }
  const lb = o.loadBalancer;
  if (lb !== undefined) {
    hops.push({
      layer: 'alb',
      summary: `load balancer ${lb.LoadBalancerName ?? ''} (${lb.Scheme ?? ''})`,
      resource: lb.LoadBalancerArn ?? null,
      facts: {
        dnsName: lb.DNSName ?? null,
        listeners: o.listeners.map((l) => `${l.Port ?? '?'}/${l.Protocol ?? '?'} ${l.DefaultActions?.[0]?.Type ?? ''}`),
        securityGroups: lb.SecurityGroups ?? [],
      },
    });
  }
  const tg = o.targetGroup;
  if (tg !== undefined) {
    hops.push({
      layer: 'target-group',
      summary: `target group ${tg.TargetGroupName ?? ''} (${tg.Protocol ?? ''}:${tg.Port ?? ''})`,
      resource: tg.TargetGroupArn ?? null,
      facts: {
        healthCheck: `${tg.HealthCheckPath ?? ''} every ${tg.HealthCheckIntervalSeconds ?? '?'}s, timeout ${tg.HealthCheckTimeoutSeconds ?? '?'}s, healthy ${tg.HealthyThresholdCount ?? '?'}, unhealthy ${tg.UnhealthyThresholdCount ?? '?'}, matcher ${tg.Matcher?.HttpCode ?? '?'}`,
        targets: o.targetHealth.map(
          (t) =>
            `${t.Target?.Id ?? ''}:${t.Target?.Port ?? ''} ${t.TargetHealth?.State ?? ''}${t.TargetHealth?.Reason !== undefined ? ` (${t.TargetHealth.Reason})` : ''}`,
        ),
      },
    });
  }
  const s = o.service;
  if (s !== undefined) {
    const container = o.taskDefinition?.containerDefinitions?.[0];
    hops.push({
      layer: 'ecs',
      summary: `service ${s.serviceName ?? ''} in ${nameFromArn(s.clusterArn ?? '')}`,
      resource: s.serviceArn ?? null,
      facts: {
        taskDefinition: nameFromArn(s.taskDefinition ?? ''),
        desired: s.desiredCount ?? null,
        running: s.runningCount ?? null,
        gracePeriod: s.healthCheckGracePeriodSeconds ?? 0,
        image: container?.image ?? null,
        ports: (container?.portMappings ?? []).map((p) => p.containerPort ?? 0),
        environmentNames: (container?.environment ?? []).map((e) => e.name ?? ''),
      },
    });
  }
  if (hops.length === 0) hops.push({ layer: 'domain', summary: domain, resource: null, facts: {} });
  return hops;
}
