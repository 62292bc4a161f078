import type { Listener, LoadBalancer, ModifyListenerCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import * as z from 'zod';
import { jsonEqual } from '../model/json-value.js';
import type { ProposedChange } from '../model/plan.js';
import type { Observation } from '../observe/observation.js';
import { defineChangeKind } from './change-kind.js';
import { locatorString } from './locator.js';
import { objectFieldsScope } from './written-scope.js';

/** The value of an `elbv2.listener-tls` change: the SSL policy and the default certificate, as ModifyListener names them. */
export const listenerTlsSchema = z.object({
  SslPolicy: z.string().nullable(),
  Certificates: z.array(z.object({ CertificateArn: z.string() })),
});
export type ListenerTlsValue = z.infer<typeof listenerTlsSchema>;

/**
 * The TLS settings of an HTTPS listener, named as ModifyListener names them: its SSL policy and its
 * default certificate (DescribeListeners lists only the default one; the SNI certificate list is left alone).
 */
export function listenerTlsValue(listener: Listener): ListenerTlsValue {
  const arn = defaultCertificateArn(listener);
  return { SslPolicy: listener.SslPolicy ?? null, Certificates: arn === undefined ? [] : [{ CertificateArn: arn }] };
}

/** The ARN of a listener's default certificate (the one marked `IsDefault`, else the first listed). */
export function defaultCertificateArn(listener: Listener): string | undefined {
  return ((listener.Certificates ?? []).find((c) => c.IsDefault === true) ?? listener.Certificates?.[0])?.CertificateArn;
}

/** The HTTPS listener on 443 of the stack's load balancer, when there is one (what the TLS checks look at). */
export function existingHttpsListener(observation: Observation): Listener | undefined {
  return observation.listeners.find((l) => l.Port === 443 && l.Protocol === 'HTTPS' && l.ListenerArn !== undefined);
}

/**
 * An `elbv2.listener-tls` change of one listener: `before` is its live SSL policy and default certificate,
 * `after` the same with `patch` applied. The certificate and policy checks each propose one; the plan merges
 * them into one ModifyListener, field by field.
 */
export function listenerTlsChange(
  lb: LoadBalancer,
  listener: Listener,
  patch: Partial<ListenerTlsValue>,
  reason: string,
): ProposedChange<'elbv2.listener-tls', ListenerTlsValue> {
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

/**
 * `elbv2.listener-tls`: the SSL policy and default certificate of an existing HTTPS listener. Apply and
 * inverse are one ModifyListener each, sending only the settings that differ (the default actions are
 * never sent, so they are never touched).
 */
export const listenerTlsExecutor = defineChangeKind({
  kind: 'elbv2.listener-tls',
  value: listenerTlsSchema,
  writtenScope: objectFieldsScope,
  iam: { read: ['elasticloadbalancing:DescribeListeners'], write: ['elasticloadbalancing:ModifyListener'] },

  async read(aws, change) {
    const listenerArn = locatorString(change, 'listenerArn');
    const listeners = await aws.elbv2.describeListeners(locatorString(change, 'loadBalancerArn'));
    const found = listeners.find((l) => l.ListenerArn === listenerArn);
    return { value: found === undefined ? null : listenerTlsValue(found), memo: null };
  },

  calls(change, to, live) {
    if (to === null) throw new TypeError(`change ${change.id}: a listener's TLS settings cannot be set to null`);
    const current = live.value;
    const input: ModifyListenerCommandInput = { ListenerArn: locatorString(change, 'listenerArn') };
    if (to.SslPolicy !== null && !jsonEqual(current?.SslPolicy ?? null, to.SslPolicy)) input.SslPolicy = to.SslPolicy;
    if (to.Certificates.length > 0 && !jsonEqual(current?.Certificates ?? null, to.Certificates)) {
      input.Certificates = to.Certificates.map((c) => ({ CertificateArn: c.CertificateArn }));
    }
    return input.SslPolicy === undefined && input.Certificates === undefined
      ? []
      : [{ service: 'elbv2', operation: 'ModifyListener', input }];
  },
});
