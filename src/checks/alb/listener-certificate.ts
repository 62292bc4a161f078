import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { Severity } from '../../model/plan.js';
import { certificateEvidence, certificateProblem } from './support/certificate-choice.js';
import { defineCheck } from '../check.js';
import { defaultCertificateArn, existingHttpsListener, listenerTlsChange } from '../../fixes/listener-tls.js';

const DAY_MS = 24 * 3600 * 1000;

/** Whole days from `now` until the certificate expires (negative once expired); undefined when it has no end date. */
export function daysLeft(cert: CertificateDetail, now: Date): number | undefined {
  return cert.NotAfter === undefined ? undefined : Math.floor((cert.NotAfter.getTime() - now.getTime()) / DAY_MS);
}

/** What makes a certificate unfit for the listener: not ISSUED, not covering the domain, expired, or expiring within `minDays`. */
export function listenerCertificateProblem(cert: CertificateDetail, domain: string, now: Date, minDays: number): string | undefined {
  const basic = certificateProblem(cert, domain, now);
  if (basic !== undefined) return basic;
  const left = daysLeft(cert, now);
  if (left !== undefined && left < minDays)
    return `expires in ${left} day${left === 1 ? '' : 's'} (${cert.NotAfter?.toISOString() ?? ''}), under the policy's ${minDays}`;
  return undefined;
}

/**
 * `alb.listener-certificate`: the default certificate of the existing HTTPS listener is ISSUED, covers the
 * domain and stays valid at least `policy.minCertificateDaysLeft` days. The fix moves the listener to the
 * usable certificate that expires last (the stack's own `certificateArn` when that one is usable).
 */
export const listenerCertificateCheck = defineCheck({
  id: 'alb.listener-certificate',
  title: 'The HTTPS listener serves an ISSUED certificate that covers the domain and is not about to expire',
  subject: (o) => {
    const listener = existingHttpsListener(o);
    return o.loadBalancer === undefined || listener === undefined ? undefined : { lb: o.loadBalancer, listener };
  },
  detect({ lb, listener }, observation) {
    if (lb.LoadBalancerArn === undefined || listener.ListenerArn === undefined) return [];
    const stack = observation.stack;
    const now = observation.observedAt;
    const minDays = stack.policy.minCertificateDaysLeft;
    const arn = defaultCertificateArn(listener);
    const lbName = lb.LoadBalancerName ?? lb.LoadBalancerArn;

    if (arn === undefined) {
      return [
        {
          finding: {
            severity: 'critical',
            resource: listener.ListenerArn,
            title: `${lbName} :443 has no default certificate`,
            evidence: { listener: listener.ListenerArn },
            nextStep:
              'attach an ISSUED ACM certificate for the domain to the listener (aws elbv2 modify-listener --certificates CertificateArn=…)',
          },
        },
      ];
    }
    // An IAM server certificate (or one ACM would not describe) cannot be judged here; its absence is a stack.unreachable gap.
    const current = observation.certificates.find((c) => c.CertificateArn === arn);
    if (current === undefined) return [];
    const problem = listenerCertificateProblem(current, stack.domain, now, minDays);
    if (problem === undefined) return [];

    const usable = observation.certificates.filter((c) => listenerCertificateProblem(c, stack.domain, now, minDays) === undefined);
    const preferred = usable.find((c) => c.CertificateArn === stack.certificateArn);
    const best = preferred ?? [...usable].sort((a, b) => (b.NotAfter?.getTime() ?? 0) - (a.NotAfter?.getTime() ?? 0))[0];
    const severity = severityOf(current, stack.domain, now);
    const evidence = {
      listener: listener.ListenerArn,
      certificate: certificateEvidence(current, problem),
      daysLeft: daysLeft(current, now) ?? null,
      policyMinDaysLeft: minDays,
      certificatesConsidered: observation.certificates.map((c) =>
        certificateEvidence(c, listenerCertificateProblem(c, stack.domain, now, minDays)),
      ),
    };
    const title = `${lbName} :443 serves ${arn.split('/').pop() ?? arn}, which ${problem}`;
    if (best?.CertificateArn === undefined || best.CertificateArn === arn) {
      return [
        {
          finding: {
            severity,
            resource: listener.ListenerArn,
            title,
            evidence,
            nextStep:
              current.Type === 'IMPORTED'
                ? `import a renewed certificate for ${stack.domain} into ACM (aws acm import-certificate --certificate-arn ${arn} …), then run remediate plan again`
                : `no other usable certificate covers ${stack.domain} in ${stack.region}: request one (aws acm request-certificate --domain-name ${stack.domain} --validation-method DNS --region ${stack.region}), validate it, then run remediate plan again; ACM renews its own certificates only while their DNS validation records stay in place`,
          },
        },
      ];
    }
    return [
      {
        finding: { severity, resource: listener.ListenerArn, title, evidence: { ...evidence, certificateChosen: best.CertificateArn } },
        change: listenerTlsChange(
          lb,
          listener,
          { Certificates: [{ CertificateArn: best.CertificateArn }] },
          `serve ${best.CertificateArn} (ISSUED, covers ${stack.domain}, valid until ${best.NotAfter?.toISOString() ?? 'no end date'}) instead`,
        ),
      },
    ];
  },
});

function severityOf(cert: CertificateDetail, domain: string, now: Date): Severity {
  if (certificateProblem(cert, domain, now) !== undefined) return 'critical';
  const left = daysLeft(cert, now);
  return left !== undefined && left < 7 ? 'high' : 'medium';
}
