import type {
  CreateListenerOutput,
  DeleteListenerOutput,
  DescribeListenersOutput,
  Listener,
  ModifyListenerOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { hexId, freshSeed } from '../../resource-ids.js';
import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { AcmState } from '../acm/acm-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { listenerArn } from './elbv2-arns.js';
import { elbv2Errors } from './elbv2-errors.js';
import { listenerByArn, loadBalancerByArn } from './elbv2-lookup.js';
import type { Elbv2State, ListenerState } from './elbv2-state.js';
import { readListenerActions } from './listener-actions.js';
import { DEFAULT_SSL_POLICY, SSL_POLICIES } from './ssl-policies.js';
import { jsonCopy } from '../json-copy.js';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const;

/** DescribeListeners: the listeners of `LoadBalancerArn`, or those named by `ListenerArns`. */
export function describeListeners(state: SandboxState, input: InputReader, ctx: RequestContext): DescribeListenersOutput {
  const { elbv2 } = regionState(state, ctx.region);
  const lbArn = input.optionalString('LoadBalancerArn');
  const arns = input.stringList('ListenerArns');
  if (lbArn !== undefined && arns.length > 0) {
    throw elbv2Errors.validation('Listener ARNs and a load balancer ARN cannot be specified at the same time');
  }
  if (lbArn === undefined && arns.length === 0) {
    throw elbv2Errors.validation('You must specify either listener ARNs or a load balancer ARN');
  }
  if (lbArn !== undefined) {
    loadBalancerByArn(elbv2, lbArn);
    const listeners = elbv2.listeners.filter((l) => l.loadBalancerArn === lbArn).sort((a, b) => a.port - b.port);
    return { Listeners: listeners.map(listenerOutput) };
  }
  return { Listeners: arns.map((arn) => listenerOutput(listenerByArn(elbv2, arn))) };
}

/**
 * CreateListener. HTTPS needs exactly one certificate, ISSUED in ACM in the same region
 * (else `CertificateNotFound`), and gets `ELBSecurityPolicy-2016-08` when no `SslPolicy` is given;
 * a second listener on a port is `DuplicateListener`, unless it has the same settings: AWS documents CreateListener as
 * idempotent ("If you attempt to create multiple listeners with the same settings, each call succeeds",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html), so a retry of a
 * request whose answer was lost gets the listener the first attempt created.
 */
export function createListener(state: SandboxState, input: InputReader, ctx: RequestContext): CreateListenerOutput {
  const region = regionState(state, ctx.region);
  const { elbv2 } = region;
  const lb = loadBalancerByArn(elbv2, input.string('LoadBalancerArn'));
  const protocol = input.optionalEnumString('Protocol', PROTOCOLS);
  if (protocol === undefined) throw elbv2Errors.validation('A listener protocol must be specified');
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    throw elbv2Errors.validation(`Protocol '${protocol}' is not supported for load balancers of type 'application'`);
  }
  const port = readPort(input.optionalInteger('Port'));
  if (port === undefined) throw elbv2Errors.validation('A listener port must be specified');
  const certificates = readCertificates(input);
  if (certificates !== undefined && certificates.length > 1) throw elbv2Errors.tooManyCertificates();
  const tls = readTls(region.acm, protocol, input.optionalString('SslPolicy'), certificates ?? [], undefined);
  const defaultActions = readListenerActions(elbv2, input.structList('DefaultActions'), 'defaultActions');
  const existing = elbv2.listeners.find((l) => l.loadBalancerArn === lb.arn && l.port === port);
  if (existing !== undefined) {
    const same =
      existing.protocol === protocol &&
      existing.sslPolicy === tls.sslPolicy &&
      JSON.stringify([...existing.certificateArns].sort()) === JSON.stringify([...tls.certificateArns].sort()) &&
      JSON.stringify(existing.defaultActions) === JSON.stringify(defaultActions);
    if (same) return { Listeners: [listenerOutput(existing)] };
    throw elbv2Errors.duplicateListener(lb.arn);
  }
  const listener: ListenerState = {
    arn: listenerArn(lb.arn, hexId(freshSeed(state, 'listener'))),
    loadBalancerArn: lb.arn,
    port,
    protocol,
    ...(tls.sslPolicy === undefined ? {} : { sslPolicy: tls.sslPolicy }),
    certificateArns: tls.certificateArns,
    defaultActions,
    defaultRuleId: hexId(freshSeed(state, 'listener-rule')),
  };
  elbv2.listeners.push(listener);
  return { Listeners: [listenerOutput(listener)] };
}

/** ModifyListener: any of Port, Protocol, SslPolicy, Certificates, DefaultActions. */
export function modifyListener(state: SandboxState, input: InputReader, ctx: RequestContext): ModifyListenerOutput {
  const region = regionState(state, ctx.region);
  const { elbv2 } = region;
  const listener = listenerByArn(elbv2, input.string('ListenerArn'));
  const protocol = input.optionalEnumString('Protocol', PROTOCOLS) ?? listener.protocol;
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    throw elbv2Errors.validation(`Protocol '${protocol}' is not supported for load balancers of type 'application'`);
  }
  const port = readPort(input.optionalInteger('Port')) ?? listener.port;
  const requested = readCertificates(input);
  const certificates = requested ?? (protocol === 'HTTPS' && listener.protocol === 'HTTPS' ? listener.certificateArns : []);
  const keptPolicy = protocol === 'HTTPS' && listener.protocol === 'HTTPS' ? listener.sslPolicy : undefined;
  const tls = readTls(region.acm, protocol, input.optionalString('SslPolicy'), certificates, keptPolicy);
  const actionInputs = input.optionalStructList('DefaultActions');
  const defaultActions = actionInputs === undefined ? listener.defaultActions : readListenerActions(elbv2, actionInputs, 'defaultActions');
  if (elbv2.listeners.some((l) => l !== listener && l.loadBalancerArn === listener.loadBalancerArn && l.port === port)) {
    throw elbv2Errors.duplicateListener(listener.loadBalancerArn);
  }
  listener.port = port;
  listener.protocol = protocol;
  listener.certificateArns = tls.certificateArns;
  if (tls.sslPolicy === undefined) delete listener.sslPolicy;
  else listener.sslPolicy = tls.sslPolicy;
  listener.defaultActions = defaultActions;
  return { Listeners: [listenerOutput(listener)] };
}

/** DeleteListener: removes the listener and its rules. */
export function deleteListener(state: SandboxState, input: InputReader, ctx: RequestContext): DeleteListenerOutput {
  const { elbv2 } = regionState(state, ctx.region);
  const listener = listenerByArn(elbv2, input.string('ListenerArn'));
  elbv2.listeners = elbv2.listeners.filter((l) => l !== listener);
  elbv2.rules = elbv2.rules.filter((r) => r.listenerArn !== listener.arn);
  return {};
}

/** A listener as DescribeListeners returns it. */
export function listenerOutput(listener: ListenerState): Listener {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    ...(listener.protocol === 'HTTPS'
      ? {
          Certificates: listener.certificateArns.map((arn) => ({ CertificateArn: arn })),
          SslPolicy: listener.sslPolicy,
        }
      : {}),
    DefaultActions: jsonCopy(listener.defaultActions),
  };
}

/** The listeners of a region that use the certificate. */
export function listenersUsingCertificate(elbv2: Elbv2State, certificateArn: string): ListenerState[] {
  return elbv2.listeners.filter((l) => l.certificateArns.includes(certificateArn));
}

function readPort(port: number | undefined): number | undefined {
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw elbv2Errors.validation(
      `1 validation error detected: Value '${port}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535`,
    );
  }
  return port;
}

function readCertificates(input: InputReader): string[] | undefined {
  return input.optionalStructList('Certificates')?.map((c) => c.string('CertificateArn'));
}

function readTls(
  acm: AcmState,
  protocol: 'HTTP' | 'HTTPS',
  requestedPolicy: string | undefined,
  certificateArns: readonly string[],
  keptPolicy: string | undefined,
): { sslPolicy: string | undefined; certificateArns: string[] } {
  if (protocol === 'HTTP') {
    if (requestedPolicy !== undefined) throw elbv2Errors.validation('An SSL policy cannot be specified for HTTP listeners');
    if (certificateArns.length > 0) throw elbv2Errors.validation('Certificates cannot be specified for HTTP listeners');
    return { sslPolicy: undefined, certificateArns: [] };
  }
  if (certificateArns.length === 0) throw elbv2Errors.validation('A certificate must be specified for HTTPS listeners');
  for (const arn of certificateArns) {
    const certificate = acm.certificates.find((c) => c.arn === arn);
    if (certificate === undefined || certificate.status !== 'ISSUED') throw elbv2Errors.certificateNotFound(arn);
  }
  const sslPolicy = requestedPolicy ?? keptPolicy ?? DEFAULT_SSL_POLICY;
  if (!SSL_POLICIES.includes(sslPolicy)) throw elbv2Errors.sslPolicyNotFound(sslPolicy);
  return { sslPolicy, certificateArns: [...certificateArns] };
}
