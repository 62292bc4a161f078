import { defineCheck } from '../check.js';
import { failuresOf } from '../support/ecs-stopped-tasks.js';

/** What the caller needs to read a service's logs. */
export const LOG_READ_ACTIONS = ['logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:FilterLogEvents', 'logs:GetLogEvents'] as const;

/**
 * `logs.log-group`: the awslogs log group of the service's containers exists, and the caller can read it
 * (without it, start-up errors cannot be read: the Arquantix audit). A missing group is high (Fargate cannot
 * start tasks that log to it unless `awslogs-create-group` is set); a denied read is medium, with AWS's
 * denial as evidence and the IAM actions to grant.
 */
export const logGroupCheck = defineCheck({
  id: 'logs.log-group',
  title: "The service's log group exists and its events can be read",
  subject: (o) => o.logGroup,
  detect(logs, observation) {
    const region = observation.region;
    const arn = (logs.group?.arn ?? `arn:aws:logs:${region}:${observation.account}:log-group:${logs.name}`).replace(/:\*$/, '');
    const describeDenied = observation.gaps.find((g) => g.layer === 'log-group' && /AccessDenied|Unauthorized/i.test(g.code));
    const grant = `grant the caller (${observation.callerArn}) ${LOG_READ_ACTIONS.join(', ')} on ${arn}:*`;
    if (describeDenied !== undefined) {
      return [
        {
          finding: {
            severity: 'medium',
            resource: arn,
            title: `log group ${logs.name} cannot be looked up: access denied`,
            evidence: { logGroup: logs.name, readable: false, denial: `${describeDenied.code}: ${describeDenied.message}` },
            nextStep: grant,
          },
        },
      ];
    }
    if (logs.group === undefined) {
      if (observation.gaps.some((g) => g.layer === 'log-group')) return [];
      const failing = failuresOf(observation, ['log-group-missing']).length;
      return [
        {
          finding: {
            severity: 'high',
            resource: arn,
            title: `log group ${logs.name} does not exist: tasks that log to it cannot start${failing > 0 ? ` (${failing} failed so)` : ''}`,
            evidence: { logGroup: logs.name, exists: false, tasksFailedForIt: failing },
            nextStep: `aws logs create-log-group --log-group-name ${logs.name} --region ${region} (and set its retention), or set awslogs-create-group=true with logs:CreateLogGroup on the execution role`,
          },
        },
      ];
    }
    if (logs.readable !== false) return [];
    return [
      {
        finding: {
          severity: 'medium',
          resource: arn,
          title: `log group ${logs.name} exists, but its events cannot be read: start-up errors stay invisible`,
          evidence: { logGroup: logs.name, exists: true, readable: false, denial: logs.denial ?? null },
          nextStep: grant,
        },
      },
    ];
  },
});
