import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../../model/json-value.js';
import { defineCheck } from '../check.js';
import { healthCheckChange } from '../../fixes/target-group-health-check.js';
import { responseCodes } from './support/health-reasons.js';

/**
 * `tg.health-check-path`: the target group checks a path other than the public health path, or the path needs
 * auth. (The matcher, with the other settings, is `tg.health-check-settings`; their changes merge.)
 */
export const healthCheckPathCheck = defineCheck({
  id: 'tg.health-check-path',
  title: 'The target group checks the public health path, and it answers without auth',
  subject: (o) => o.targetGroup,
  detect(tg, observation) {
    const stack = observation.stack;
    if (tg.TargetGroupArn === undefined) return [];
    const publicPath = stack.healthPath ?? tg.HealthCheckPath ?? '/';
    const currentMatcher = tg.Matcher?.HttpCode ?? null;
    const authFailures = observation.targetHealth.filter((t) => authCodes(t).length > 0);
    const healthy = observation.targetHealth.filter((t) => t.TargetHealth?.State === 'healthy').length;
    const pathWrong = tg.HealthCheckPath !== publicPath;
    if (!pathWrong && authFailures.length === 0) return [];

    const tgName = tg.TargetGroupName ?? tg.TargetGroupArn;
    const evidence: JsonObject = {
      healthCheckPath: tg.HealthCheckPath ?? null,
      publicHealthPath: publicPath,
      matcher: currentMatcher,
      healthyTargets: healthy,
      targets: observation.targetHealth.map(targetEvidence),
    };
    const severity = healthy === 0 && observation.targetHealth.length > 0 ? 'critical' : 'medium';
    if (!pathWrong) {
      return [
        {
          finding: {
            severity,
            resource: tg.TargetGroupArn,
            title: `${tgName} checks ${publicPath}, which answers ${authFailures.map(authCodes).flat().join('/')} to the load balancer: it needs authentication`,
            evidence,
            nextStep: `make ${publicPath} answer 200 without authentication, or expose a public endpoint (as the Nexora fix did with /health/alb) and name it with --health-path (or healthPath in the stack file)`,
          },
        },
      ];
    }
    const why =
      authFailures.length > 0
        ? `targets fail its health check with ${[...new Set(authFailures.flatMap(authCodes))].join('/')} (Target.ResponseCodeMismatch): ${tg.HealthCheckPath ?? ''} needs authentication`
        : `it checks ${tg.HealthCheckPath ?? '(no path)'}, not the public health path ${publicPath}`;
    return [
      {
        finding: { severity, resource: tg.TargetGroupArn, title: `${tgName}: ${why}`, evidence },
        change: healthCheckChange(
          { ...tg, TargetGroupArn: tg.TargetGroupArn },
          { HealthCheckPath: publicPath },
          `check the public health path ${publicPath}, which answers without authentication`,
        ),
      },
    ];
  },
});

/** The 401/403 codes a target's failed health checks report. */
function authCodes(target: TargetHealthDescription): string[] {
  return responseCodes(target).filter((c) => c === '401' || c === '403');
}

function targetEvidence(target: TargetHealthDescription): JsonObject {
  return {
    id: target.Target?.Id ?? '',
    port: target.Target?.Port ?? null,
    state: target.TargetHealth?.State ?? 'unknown',
    reason: target.TargetHealth?.Reason ?? null,
    description: target.TargetHealth?.Description ?? null,
  };
}
