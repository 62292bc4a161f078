import type { Listener, ModifyListenerCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../model/json-value.js';
import { jsonEqual } from '../model/json-value.js';
import type { Executor, Live } from './executor.js';
import { locatorString } from './locator.js';
import { objectFieldsScope } from './written-scope.js';

/**
 * The TLS settings of an HTTPS listener, named as ModifyListener names them: its SSL policy and its
 * default certificate (DescribeListeners lists only the default one; the SNI certificate list is left alone).
 */
export function listenerTlsValue(listener: Listener): JsonObject {
  const arn = defaultCertificateArn(listener);
  return { SslPolicy: listener.SslPolicy ?? null, Certificates: arn === undefined ? [] : [{ CertificateArn: arn }] };
}

/** The ARN of a listener's default certificate (the one marked `IsDefault`, else the first listed). */
export function defaultCertificateArn(listener: Listener): string | undefined {
  return ((listener.Certificates ?? []).find((c) => c.IsDefault === true) ?? listener.Certificates?.[0])?.CertificateArn;
}

/**
 * `elbv2.listener-tls`: the SSL policy and default certificate of an existing HTTPS listener. Apply and
 * inverse are one ModifyListener each, sending only the settings that differ (the default actions are
 * never sent, so they are never touched).
 */
export const listenerTlsExecutor: Executor = {
  kind: 'elbv2.listener-tls',
  writtenScope: objectFieldsScope,
  iam: { read: ['elasticloadbalancing:DescribeListeners'], write: ['elasticloadbalancing:ModifyListener'] },

  async read(aws, change): Promise<Live> {
    const listenerArn = locatorString(change, 'listenerArn');
    const listeners = await aws.elbv2.describeListeners(locatorString(change, 'loadBalancerArn'));
    const found = listeners.find((l) => l.ListenerArn === listenerArn);
    return { value: found === undefined ? null : listenerTlsValue(found), memo: null };
  },

  calls(change, to, live) {
    if (to === null || typeof to !== 'object' || Array.isArray(to)) {
      throw new TypeError(`change ${change.id}: a listener's TLS settings cannot be set to ${JSON.stringify(to)}`);
    }
    const current = live.value !== null && typeof live.value === 'object' && !Array.isArray(live.value) ? live.value : {};
    const input: ModifyListenerCommandInput = { ListenerArn: locatorString(change, 'listenerArn') };
    const policy = to['SslPolicy'];
    if (typeof policy === 'string' && !jsonEqual(current['SslPolicy'] ?? null, policy)) input.SslPolicy = policy;
    const certificates = to['Certificates'];
    if (Array.isArray(certificates) && certificates.length > 0 && !jsonEqual(current['Certificates'] ?? null, certificates)) {
      input.Certificates = certificates.map((c) => {
        const arn = c !== null && typeof c === 'object' && !Array.isArray(c) ? c['CertificateArn'] : undefined;
        if (typeof arn !== 'string') throw new TypeError(`change ${change.id}: a certificate without CertificateArn`);
        return { CertificateArn: arn };
      });
    }
    return input.SslPolicy === undefined && input.Certificates === undefined ? [] : [{ service: 'elbv2', operation: 'ModifyListener', input }];
  },
};
