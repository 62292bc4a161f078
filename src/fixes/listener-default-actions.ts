import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import * as z from 'zod';
import { defineChangeKind } from './change-kind.js';
import { actionsSchema, canonicalActions, wireActions } from './listener-actions.js';
import { locatorString } from './locator.js';

/** The value of an `elbv2.listener-default-actions` change. */
export const defaultActionsSchema = z.object({ DefaultActions: actionsSchema });
export type DefaultActionsValue = z.infer<typeof defaultActionsSchema>;

/** The default actions of a listener, as remediate compares them. */
export function defaultActionsValue(listener: Listener): DefaultActionsValue {
  return { DefaultActions: canonicalActions(listener.DefaultActions) };
}

/**
 * `elbv2.listener-default-actions`: what a listener does with a request no rule matches
 * (e.g. port 80: forward → redirect to HTTPS). The inverse restores the exact previous actions.
 */
export const listenerDefaultActionsExecutor = defineChangeKind({
  kind: 'elbv2.listener-default-actions',
  value: defaultActionsSchema,
  iam: { read: ['elasticloadbalancing:DescribeListeners'], write: ['elasticloadbalancing:ModifyListener'] },

  async read(aws, change) {
    const listenerArn = locatorString(change, 'listenerArn');
    const listeners = await aws.elbv2.describeListeners(locatorString(change, 'loadBalancerArn'));
    const found = listeners.find((l) => l.ListenerArn === listenerArn);
    return { value: found === undefined ? null : defaultActionsValue(found), memo: null };
  },

  calls(change, to) {
    if (to === null) throw new TypeError(`change ${change.id}: a listener's default actions cannot be set to null`);
    return [
      {
        service: 'elbv2',
        operation: 'ModifyListener',
        input: { ListenerArn: locatorString(change, 'listenerArn'), DefaultActions: wireActions(to.DefaultActions) },
      },
    ];
  },
});
