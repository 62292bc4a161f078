import type { Service } from '@aws-sdk/client-ecs';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck, pointing } from '../check.js';
import { shellQuote } from '../../model/shell-quote.js';
import { deploymentsEvidence } from './support/deployments.js';

/** `ecs.running-count`: the service runs as many tasks as it wants (and wants at least one). */
export const runningCountCheck = defineCheck({
  id: 'ecs.running-count',
  title: 'The ECS service runs as many tasks as it desires',
  subject: (o) => o.service,
  detect(service, observation) {
    if (service.serviceArn === undefined) return [];
    const desired = service.desiredCount ?? 0;
    const running = service.runningCount ?? 0;
    const name = service.serviceName ?? service.serviceArn;
    const evidence = runningEvidence(service);
    if (desired === 0) {
      return [
        {
          finding: {
            severity: (service.loadBalancers ?? []).length > 0 ? 'high' : 'medium',
            resource: service.serviceArn,
            title: `${name} desires 0 tasks: nothing serves behind the load balancer`,
            evidence,
            nextStep: `if it was scaled to zero by mistake: aws ecs update-service --cluster ${service.clusterArn ?? ''} --service ${service.serviceName ?? ''} --desired-count 1 (remediate does not choose a capacity)`,
          },
        },
      ];
    }
    if (running >= desired) return [];
    return [
      {
        finding: {
          severity: running === 0 ? 'critical' : 'high',
          resource: service.serviceArn,
          title: `${name} runs ${running} of ${desired} desired tasks${(service.pendingCount ?? 0) > 0 ? ` (${service.pendingCount ?? 0} pending)` : ''}`,
          evidence,
          nextStep: pointing(['ecs.crash-loop'], (failed) =>
            failed.length > 0
              ? 'the ecs.crash-loop finding says why its tasks stop, and names the check that fixes each cause'
              : `no task of it stopped on a failure recently: its events say why tasks do not start (no capacity, no free IP address in its subnets, a deployment still placing them): aws ecs describe-services --cluster ${shellQuote(service.clusterArn ?? '<cluster>')} --services ${shellQuote(service.serviceName ?? '<service>')} --query 'services[0].events[:10]' --region ${shellQuote(observation.region)}`,
          ),
        },
      },
    ];
  },
});

/** Counts and deployments of a service, as evidence. */
function runningEvidence(service: Service): JsonObject {
  return {
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinition: (service.taskDefinition ?? '').split('/').pop() ?? null,
    deployments: deploymentsEvidence(service),
  };
}
