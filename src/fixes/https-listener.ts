import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbProtocols } from './sdk-enum-values.js';
import * as z from 'zod';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { defineChangeKind } from './change-kind.js';
import { actionsSchema, canonicalActions, wireActions } from './listener-actions.js';
import { locatorString, locatorNumber } from './locator.js';

/** The value of an `elbv2.https-listener` change: a listener as CreateListener takes it, without the load balancer. */
export const listenerSchema = z.object({
  Protocol: z.enum(elbProtocols).nullable(),
  Port: z.number().nullable(),
  SslPolicy: z.string().nullable(),
  Certificates: z.array(z.object({ CertificateArn: z.string() })),
  DefaultActions: actionsSchema,
});
export type ListenerValue = z.infer<typeof listenerSchema>;

/** A listener as remediate compares it: what CreateListener takes, without the load balancer. */
export function listenerValue(listener: Listener): ListenerValue {
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
export function httpsListenerSpec(args: { certificateArn: string; sslPolicy: string; targetGroupArn: string }): ListenerValue {
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
export const httpsListenerExecutor = defineChangeKind({
  kind: 'elbv2.https-listener',
  value: listenerSchema,
  iam: {
    read: ['elasticloadbalancing:DescribeListeners'],
    write: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener'],
    undo: ['elasticloadbalancing:DeleteListener'],
  },

  async read(aws, change) {
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
    if (live.value === null || liveArn === undefined) {
      return [
        {
          service: 'elbv2',
          operation: 'CreateListener',
          input: {
            LoadBalancerArn: locatorString(change, 'loadBalancerArn'),
            ...(to.Protocol === null ? {} : { Protocol: to.Protocol }),
            ...(to.Port === null ? {} : { Port: to.Port }),
            ...(to.SslPolicy === null ? {} : { SslPolicy: to.SslPolicy }),
            Certificates: to.Certificates,
            DefaultActions: wireActions(to.DefaultActions),
          },
        },
      ];
    }
    throw new RemediateError(
      ErrorCode.Internal,
      `change ${change.id}: a listener already exists on port ${String(to.Port)} (${liveArn}); it is not replaced`,
    );
  },

  identityConflict(recorded, live) {
    const was = recorded?.['listenerArn'];
    const now = live.memo?.['listenerArn'];
    if (typeof was === 'string' && typeof now === 'string' && was !== now) {
      return `the listener on this port is ${now}, not ${was} which the apply created`;
    }
    return undefined;
  },
});
