import { guardedCheck } from '../check.js';
import { existingHttpsListener, listenerTlsChange } from '../../fixes/listener-tls-change.js';
import { isModernTlsPolicy } from './support/modern-tls-policies.js';

/**
 * `alb.tls-policy`: the existing HTTPS listener negotiates with a modern security policy (TLS 1.2 at least,
 * see `support/modern-tls-policies.ts`). The fix sets `policy.tlsPolicy`.
 */
export const tlsPolicyCheck = guardedCheck({
  id: 'alb.tls-policy',
  title: 'The HTTPS listener uses a modern TLS policy (TLS 1.2 at least)',
  appliesTo: (o) => o.loadBalancer !== undefined && existingHttpsListener(o) !== undefined,
  detect(observation) {
    const lb = observation.loadBalancer;
    const listener = existingHttpsListener(observation);
    if (lb?.LoadBalancerArn === undefined || listener?.ListenerArn === undefined) return [];
    const wanted = observation.stack.policy.tlsPolicy;
    if (isModernTlsPolicy(listener.SslPolicy, wanted)) return [];
    const current = listener.SslPolicy ?? '(none)';
    return [
      {
        finding: {
          severity: 'medium',
          resource: listener.ListenerArn,
          title: `${lb.LoadBalancerName ?? lb.LoadBalancerArn} :443 negotiates with ${current}, not a modern policy (TLS 1.2 or later, forward secrecy only)`,
          evidence: { listener: listener.ListenerArn, sslPolicy: listener.SslPolicy ?? null, policyTlsPolicy: wanted },
        },
        change: listenerTlsChange(lb, listener, { SslPolicy: wanted }, `negotiate with ${wanted} instead of ${current}`),
      },
    ];
  },
});
