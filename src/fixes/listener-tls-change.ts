import type { Listener, LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../model/json-value.js';
import { listenerTlsValue } from './listener-tls.js';
import type { ProposedChange } from '../model/plan.js';
import type { Observation } from '../observe/observation.js';

/** The HTTPS listener on 443 of the stack's load balancer, when there is one (what the TLS checks look at). */
export function existingHttpsListener(observation: Observation): Listener | undefined {
  return observation.listeners.find((l) => l.Port === 443 && l.Protocol === 'HTTPS' && l.ListenerArn !== undefined);
}

/**
 * An `elbv2.listener-tls` change of one listener: `before` is its live SSL policy and default certificate,
 * `after` the same with `patch` applied. The certificate and policy checks each propose one; the plan merges
 * them into one ModifyListener, field by field.
 */
export function listenerTlsChange(lb: LoadBalancer, listener: Listener, patch: JsonObject, reason: string): ProposedChange {
  const before = listenerTlsValue(listener);
  return {
    kind: 'elbv2.listener-tls',
    action: 'update',
    resource: listener.ListenerArn ?? '',
    label: `${lb.LoadBalancerName ?? lb.LoadBalancerArn ?? 'load balancer'} :${listener.Port ?? 443} TLS`,
    locator: { loadBalancerArn: lb.LoadBalancerArn ?? '', listenerArn: listener.ListenerArn ?? '', port: listener.Port ?? 443 },
    before,
    after: { ...before, ...patch },
    reason,
  };
}
