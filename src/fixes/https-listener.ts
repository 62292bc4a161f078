import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ErrorCode, RemediateError } from '../model/errors.js';
import type { JsonObject } from '../model/json-value.js';
import type { Executor, Live } from './executor.js';
import { canonicalActions, wireActions } from './listener-actions.js';
import { locatorString, locatorNumber } from './locator.js';

/** A listener as remediate compares it: what CreateListener takes, without the load balancer. */
export function listenerValue(listener: Listener): JsonObject {
  return {
    Protocol: listener.Protocol ?? null,
    Port: listener.Port ?? null,
    SslPolicy: listener.SslPolicy ?? null,
    Certificates: (listener.Certificates ?? [])
      .map((c) => c.CertificateArn ?? '')
      .sort()
      .map((arn) => ({ CertificateArn: arn })),
    DefaultActions: canonicalActions(listener.DefaultActions),
  };
}

/** The value of the HTTPS listener remediate creates. */
export function httpsListenerSpec(args: { certificateArn: string; sslPolicy: string; targetGroupArn: string }): JsonObject {
  return listenerValue({
    Protocol: 'HTTPS',
    Port: 443,
    SslPolicy: args.sslPolicy,
    Certificates: [{ CertificateArn: args.certificateArn }],
    DefaultActions: [{ Type: 'forward', TargetGroupArn: args.targetGroupArn }],
  });
}

/**
 * `elbv2.https-listener`: a listener that should exist on a port of a load balancer.
 * Apply creates it; the inverse deletes it by the ARN recorded when it was created.
 */
export const httpsListenerExecutor: Executor = {
  kind: 'elbv2.https-listener',
  iam: {
    read: ['elasticloadbalancing:DescribeListeners'],
    write: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener'],
    undo: ['elasticloadbalancing:DeleteListener'],
  },

  async read(aws, change): Promise<Live> {
    const port = locatorNumber(change, 'port');
    const listeners = await aws.elbv2.describeListeners(locatorString(change, 'loadBalancerArn'));
    const found = listeners.find((l) => l.Port === port);
    if (found === undefined) return { value: null, memo: null };
    return { value: listenerValue(found), memo: { listenerArn: found.ListenerArn ?? '' } };
  },

  calls(change, to, live) {
    const liveArn = typeof live.memo?.['listenerArn'] === 'string' ? live.memo['listenerArn'] : undefined;
    if (to === null) {
      return live.value === null || liveArn === undefined
        ? []
        : [{ service: 'elbv2', operation: 'DeleteListener', input: { ListenerArn: liveArn } }];
    }
    const spec = to as JsonObject;
    const fields = {
      Protocol: spec['Protocol'] as 'HTTPS',
      Port: spec['Port'] as number,
      SslPolicy: spec['SslPolicy'] as string,
      Certificates: spec['Certificates'] as Array<{ CertificateArn: string }>,
      DefaultActions: wireActions(spec['DefaultActions'] ?? []),
    };
    if (live.value === null || liveArn === undefined) {
      return [
        {
          service: 'elbv2',
          operation: 'CreateListener',
          input: { LoadBalancerArn: locatorString(change, 'loadBalancerArn'), ...fields },
        },
      ];
    }
    throw new RemediateError(ErrorCode.Internal, `change ${change.id}: a listener already exists on port ${String(spec['Port'])} (${liveArn}); it is not replaced`);
  },

  identityConflict(recorded, live) {
    const was = recorded?.['listenerArn'];
    const now = live.memo?.['listenerArn'];
    if (typeof was === 'string' && typeof now === 'string' && was !== now) {
      return `the listener on this port is ${now}, not ${was} which the apply created`;
    }
    return undefined;
  },
};
