import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm';
import type { AwsPorts } from '../aws/ports.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { ErrorCode } from '../engine/errors.js';
import type { StackDefinition } from '../stack/stack-definition.js';
import type { Observation, ObservationGap } from './observation.js';
import { nameCovers } from './certificate-choice.js';

/**
 * Reads what the checks need, layer by layer, each layer's reads at once: the discovery chain is two
 * round trips deep. Only read calls. A resource that is missing or unreadable becomes a gap, and the walk
 * goes on where it can; credentials and network failures end it.
 */
export async function observeStack(aws: AwsPorts, stack: StackDefinition, now: Date): Promise<Observation> {
  const gaps: ObservationGap[] = [];
  const attempt = async <T>(layer: ObservationGap['layer'], resource: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof AwsCallError && error.code === ErrorCode.Aws) {
        gaps.push({ layer, resource, code: error.awsCode, message: error.message });
        return undefined;
      }
      throw error;
    }
  };
  const byNameOrArn = (value: string) => (value.startsWith('arn:') ? { arns: [value] } : { names: [value] });

  const [identity, loadBalancers, targetGroups, services, summaries, ownCertificate] = await Promise.all([
    aws.sts.getCallerIdentity(),
    attempt('load-balancer', stack.loadBalancer, () => aws.elbv2.describeLoadBalancers(byNameOrArn(stack.loadBalancer))),
    attempt('target-group', stack.targetGroup, () => aws.elbv2.describeTargetGroups(byNameOrArn(stack.targetGroup))),
    attempt('ecs-service', `${stack.cluster}/${stack.service}`, () => aws.ecs.describeServices(stack.cluster, [stack.service])),
    attempt('certificates', stack.region, () => aws.acm.listCertificates()),
    stack.certificateArn === undefined
      ? Promise.resolve(undefined)
      : attempt('certificates', stack.certificateArn, () => aws.acm.describeCertificate(stack.certificateArn ?? '')),
  ]);

  const loadBalancer = loadBalancers?.[0];
  if (loadBalancers !== undefined && loadBalancer === undefined) gaps.push(notFound('load-balancer', stack.loadBalancer));
  const targetGroup = targetGroups?.[0];
  if (targetGroups !== undefined && targetGroup === undefined) gaps.push(notFound('target-group', stack.targetGroup));
  const service = services?.services.find((s) => s.status !== 'INACTIVE');
  if (services !== undefined && service === undefined) {
    const reason = services.failures[0]?.reason ?? 'INACTIVE';
    gaps.push({
      layer: 'ecs-service',
      resource: `${stack.cluster}/${stack.service}`,
      code: reason === 'MISSING' ? 'ServiceNotFound' : reason,
      message: `ECS service ${stack.service} in cluster ${stack.cluster}: ${reason}`,
    });
  }

  const candidates = (summaries ?? []).filter((s) => summaryMayCover(s, stack.domain) && s.CertificateArn !== stack.certificateArn);
  const [listeners, targetHealth, details] = await Promise.all([
    loadBalancer?.LoadBalancerArn === undefined
      ? Promise.resolve(undefined)
      : attempt('listeners', loadBalancer.LoadBalancerArn, () => aws.elbv2.describeListeners(loadBalancer.LoadBalancerArn ?? '')),
    targetGroup?.TargetGroupArn === undefined
      ? Promise.resolve(undefined)
      : attempt('target-health', targetGroup.TargetGroupArn, () => aws.elbv2.describeTargetHealth(targetGroup.TargetGroupArn ?? '')),
    Promise.all(
      candidates.map((s) => attempt('certificates', s.CertificateArn ?? '', () => aws.acm.describeCertificate(s.CertificateArn ?? ''))),
    ),
  ]);

  const certificates: CertificateDetail[] = [ownCertificate, ...details].filter((c): c is CertificateDetail => c !== undefined);
  return {
    account: identity.account,
    region: stack.region,
    callerArn: identity.arn,
    observedAt: now,
    loadBalancer,
    listeners: listeners ?? [],
    targetGroup,
    targetHealth: targetHealth ?? [],
    service,
    certificates,
    gaps,
  };
}

function summaryMayCover(summary: CertificateSummary, domain: string): boolean {
  const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])].filter((n): n is string => n !== undefined);
  return names.some((name) => nameCovers(name, domain));
}

function notFound(layer: ObservationGap['layer'], resource: string): ObservationGap {
  return { layer, resource, code: 'NotFound', message: `${resource} was not found` };
}
