import { defineCheck } from '../check.js';
import { existingHttpsListener, listenerTlsChange } from '../../fixes/listener-tls.js';
import { isModernTlsPolicy } from './support/modern-tls-policies.js';

/**
 * `alb.tls-policy`: the existing HTTPS listener negotiates with a modern security policy (TLS 1.2 at least,
 * see `support/modern-tls-policies.ts`). The fix sets `policy.tlsPolicy`.
 */
export const tlsPolicyCheck = defineCheck({
  id: 'alb.tls-policy',
  title: 'The HTTPS listener uses a modern TLS policy (TLS 1.2 at least)',
  subject: (o) => {
    const listener = existingHttpsListener(o);
    return o.loadBalancer === undefined || listener === undefined ? undefined : { lb: o.loadBalancer, listener };
  },
  detect({ lb, listener }, observation) {
    if (lb.LoadBalancerArn === undefined || listener.ListenerArn === undefined) return [];
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
