import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../../model/json-value.js';
import { httpsListenerSpec } from '../../fixes/https-listener.js';
import { chooseCertificate } from './support/certificate-choice.js';
import { defineCheck } from '../check.js';
import type { Observation } from '../../observe/observation.js';
import { listenerSummary } from './support/listener-summary.js';

/** Whether port 443 serves HTTPS now, can be made to, or cannot (and why). Shared by the redirect check. */
export type HttpsStatus =
  | { readonly state: 'exists'; readonly listener: Listener }
  | { readonly state: 'creatable'; readonly certificate: CertificateDetail; readonly considered: JsonObject[] }
  | { readonly state: 'impossible'; readonly reason: string; readonly considered: JsonObject[] };

/** Works out the HTTPS status of the stack's load balancer. */
export function httpsStatus(observation: Observation): HttpsStatus {
  const stack = observation.stack;
  const existing = observation.listeners.find((l) => l.Port === 443);
  if (existing !== undefined) return { state: 'exists', listener: existing };
  const { chosen, considered } = chooseCertificate(observation.certificates, stack.domain, observation.observedAt, stack.certificateArn);
  if (observation.targetGroup?.TargetGroupArn === undefined) {
    return { state: 'impossible', reason: `the target group could not be read`, considered };
  }
  if (chosen === undefined) {
    const which =
      stack.certificateArn === undefined
        ? `no ISSUED, unexpired ACM certificate in ${stack.region} covers ${stack.domain}`
        : `the stack's certificate ${stack.certificateArn} is not usable for ${stack.domain}`;
    return { state: 'impossible', reason: which, considered };
  }
  return { state: 'creatable', certificate: chosen, considered };
}

/** `alb.https-listener`: the load balancer has no HTTPS listener on 443. */
export const httpsListenerCheck = defineCheck({
  id: 'alb.https-listener',
  title: 'The load balancer has an HTTPS listener on 443',
  subject: (o) => o.loadBalancer,
  detect(lb, observation) {
    const stack = observation.stack;
    if (lb.LoadBalancerArn === undefined) return [];
    const status = httpsStatus(observation);
    if (status.state === 'exists') {
      if (status.listener.Protocol === 'HTTPS') return [];
      return [
        {
          finding: {
            severity: 'critical',
            resource: status.listener.ListenerArn ?? lb.LoadBalancerArn,
            title: `${lb.LoadBalancerName ?? 'the load balancer'} listens on 443 with ${status.listener.Protocol ?? 'an unknown protocol'}, not HTTPS`,
            evidence: { loadBalancer: lb.LoadBalancerName ?? lb.LoadBalancerArn, listeners: observation.listeners.map(listenerSummary) },
            nextStep: `make it HTTPS with a certificate for ${stack.domain} and ${stack.policy.tlsPolicy} (aws elbv2 modify-listener --listener-arn ${status.listener.ListenerArn ?? '<arn>'} --protocol HTTPS --certificates CertificateArn=<arn> --ssl-policy ${stack.policy.tlsPolicy})`,
          },
        },
      ];
    }
    const evidence: JsonObject = {
      loadBalancer: lb.LoadBalancerName ?? lb.LoadBalancerArn,
      listeners: observation.listeners.map(listenerSummary),
      certificatesConsidered: status.considered,
    };
    const title = `${lb.LoadBalancerName ?? 'the load balancer'} has no HTTPS listener on 443`;
    if (status.state === 'impossible') {
      return [
        {
          finding: {
            severity: 'critical',
            resource: lb.LoadBalancerArn,
            title: `${title}, and none can be created: ${status.reason}`,
            evidence,
            nextStep: `request or import an ACM certificate for ${stack.domain} in ${stack.region} (aws acm request-certificate --domain-name ${stack.domain} --validation-method DNS --region ${stack.region}), validate it, then run remediate plan again`,
          },
        },
      ];
    }
    const certificateArn = status.certificate.CertificateArn ?? '';
    return [
      {
        finding: {
          severity: 'critical',
          resource: lb.LoadBalancerArn,
          title,
          evidence: { ...evidence, certificateChosen: certificateArn },
        },
        change: {
          kind: 'elbv2.https-listener',
          action: 'create',
          resource: lb.LoadBalancerArn,
          label: `${lb.LoadBalancerName ?? lb.LoadBalancerArn} :443`,
          locator: { loadBalancerArn: lb.LoadBalancerArn, port: 443 },
          before: null,
          after: httpsListenerSpec({
            certificateArn,
            sslPolicy: stack.policy.tlsPolicy,
            targetGroupArn: observation.targetGroup?.TargetGroupArn ?? '',
          }),
          reason: `CloudFront and browsers need HTTPS to the load balancer; create a 443 listener with ${certificateArn} and ${stack.policy.tlsPolicy}, forwarding to ${observation.targetGroup?.TargetGroupName ?? 'the target group'}`,
        },
      },
    ];
  },
});
