import { defaultActionsValue } from '../../fixes/listener-default-actions.js';
import { httpsRedirectAction } from '../../fixes/listener-actions.js';
import { defineCheck, pointing } from '../check.js';
import { httpsListenerCheck, httpsStatus } from './https-listener.js';
import { listenerSummary } from './support/listener-summary.js';
import { edgeOriginProtocol } from '../support/cloudfront-origin-plan.js';
import { originProtocolCheck } from '../cloudfront/origin-protocol.js';

/** `alb.http-redirect`: port 80 forwards (or answers) instead of redirecting to HTTPS. */
export const httpRedirectCheck = defineCheck({
  id: 'alb.http-redirect',
  title: 'Port 80 redirects to HTTPS:443 (301)',
  /** The load balancer and its HTTP listener on port 80, when it listens on port 80 at all (a port-80 HTTPS listener passes). */
  subject: (o) =>
    o.listeners.some((l) => l.Port === 80)
      ? { lb: o.loadBalancer, http: o.listeners.find((l) => l.Port === 80 && l.Protocol === 'HTTP') }
      : undefined,
  detect({ lb, http }, observation) {
    if (lb?.LoadBalancerArn === undefined || http?.ListenerArn === undefined) return [];
    const redirects = (http.DefaultActions ?? []).some(
      (a) => a.Type === 'redirect' && a.RedirectConfig?.Protocol === 'HTTPS' && (a.RedirectConfig.Port ?? '443') === '443',
    );
    if (redirects) return [];
    const lbName = lb.LoadBalancerName ?? lb.LoadBalancerArn;
    const status = httpsStatus(observation);
    const evidence = {
      listener: listenerSummary(http),
      httpsListener: status.state === 'exists' ? 'present' : status.state === 'creatable' ? 'planned' : 'cannot be created',
    };
    const title = `${lbName} port 80 ${describe(http.DefaultActions?.[0]?.Type)} instead of redirecting to HTTPS`;
    if (status.state === 'impossible') {
      return [
        {
          finding: {
            severity: 'high',
            resource: http.ListenerArn,
            title,
            evidence,
            nextStep: pointing(
              [httpsListenerCheck.id],
              (failed) =>
                `not planned: redirecting to 443 while nothing can listen there would take the site down${failed.length > 0 ? `; fix ${httpsListenerCheck.id} first` : ''} (${status.reason})`,
            ),
          },
        },
      ];
    }
    const edge = edgeOriginProtocol(observation);
    if (edge.state === 'stays-http') {
      const first = [originProtocolCheck.id, ...(edge.fixFirst !== undefined ? [edge.fixFirst] : [])];
      const nextStep = pointing(first, (failed) => {
        const loop = `not planned: CloudFront reaches this load balancer with origin protocol ${edge.policy}, so a 301 on port 80 would send CloudFront's own requests back to itself in a loop`;
        const order = failed.includes(originProtocolCheck.id)
          ? `; fix ${originProtocolCheck.id} first`
          : '; CloudFront must reach it over HTTPS first';
        const before = edge.fixFirst !== undefined && failed.includes(edge.fixFirst) ? `, after ${edge.fixFirst}` : '';
        return `${loop}${order}${before} (${edge.reason})`;
      });
      return [
        {
          finding: {
            severity: 'high',
            resource: http.ListenerArn,
            title,
            evidence: { ...evidence, cloudFrontOriginProtocol: edge.policy },
            nextStep,
          },
        },
      ];
    }
    return [
      {
        finding: { severity: 'high', resource: http.ListenerArn, title, evidence },
        change: {
          kind: 'elbv2.listener-default-actions',
          action: 'update',
          resource: http.ListenerArn,
          label: `${lbName} :80`,
          locator: { loadBalancerArn: lb.LoadBalancerArn, listenerArn: http.ListenerArn, port: 80 },
          before: defaultActionsValue(http),
          after: { DefaultActions: [httpsRedirectAction()] },
          requires: [
            ...(status.state === 'creatable' ? [httpsListenerCheck.id] : []),
            ...(edge.state === 'switching' ? [originProtocolCheck.id] : []),
          ],
          reason: `plain HTTP must be redirected to HTTPS (301), once 443 serves${edge.state === 'switching' ? ' and CloudFront reaches the origin over HTTPS' : ''}`,
        },
      },
    ];
  },
});

function describe(type: string | undefined): string {
  switch (type) {
    case 'forward':
      return 'forwards';
    case 'fixed-response':
      return 'answers with a fixed response';
    default:
      return `does ${type ?? 'nothing'}`;
  }
}
