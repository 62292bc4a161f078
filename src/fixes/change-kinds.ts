import type { JsonValue } from '../model/json-value.js';
import type { Change, ProposedChange } from '../model/plan.js';
import type { ChangeKindModule, ValueOfModule } from './change-kind.js';
import { cloudFrontDistributionConfigExecutor } from './cloudfront-distribution-config.js';
import { deploymentCircuitBreakerExecutor } from './deployment-circuit-breaker.js';
import type { Executor } from './executor.js';
import { healthCheckGracePeriodExecutor } from './health-check-grace-period.js';
import { httpsListenerExecutor } from './https-listener.js';
import { listenerDefaultActionsExecutor } from './listener-default-actions.js';
import { listenerTlsExecutor } from './listener-tls.js';
import { route53RecordSetExecutor } from './route53-record-set.js';
import { securityGroupEgressExecutor } from './security-group-egress.js';
import { securityGroupIngressExecutor } from './security-group-ingress.js';
import { targetGroupHealthCheckExecutor } from './target-group-health-check.js';
import { taskDefinitionExecutor } from './task-definition/index.js';
import { repoFilePatchExecutor } from './repo-file-patch.js';

/** A registry whose every key is the kind of the module it holds (a key that is not does not compile). */
function registry<R extends { readonly [K in keyof R]: Executor & { readonly kind: K } }>(modules: R): Readonly<R> {
  return Object.freeze(modules);
}

/**
 * Every kind of change remediate knows how to apply and undo, each one module (its value's schema, its read, its
 * calls, the builders of the changes checks propose): the only list of them. `ChangeKind`, `changeKinds` and the
 * value types are derived from it.
 */
export const changeKindRegistry = registry({
  'elbv2.https-listener': httpsListenerExecutor,
  'elbv2.listener-default-actions': listenerDefaultActionsExecutor,
  'ecs.health-check-grace-period': healthCheckGracePeriodExecutor,
  'elbv2.target-group-health-check': targetGroupHealthCheckExecutor,
  'route53.record-set': route53RecordSetExecutor,
  'cloudfront.distribution-config': cloudFrontDistributionConfigExecutor,
  'ecs.task-definition': taskDefinitionExecutor,
  'elbv2.listener-tls': listenerTlsExecutor,
  'ec2.security-group-ingress': securityGroupIngressExecutor,
  'ec2.security-group-egress': securityGroupEgressExecutor,
  'ecs.deployment-circuit-breaker': deploymentCircuitBreakerExecutor,
  'repo.file-patch': repoFilePatchExecutor,
});

type Registry = typeof changeKindRegistry;

/** A kind of change, e.g. `elbv2.listener-tls`. */
export type ChangeKind = keyof Registry;

/** Every change kind, in the registry's order. */
export const changeKinds: readonly ChangeKind[] = Object.values(changeKindRegistry).map((m) => m.kind);

/** The value of a change of kind `K` (its `before` and `after` are this or null). */
export type ValueOf<K extends ChangeKind> = ValueOfModule<Registry[K]>;

/** A change of kind `K`, typed. */
export type ChangeOf<K extends ChangeKind> = Change<K, ValueOf<K>>;

/** A change of any kind, typed: narrowing on `kind` types `before` and `after`. */
export type AnyChange = { [K in ChangeKind]: ChangeOf<K> }[ChangeKind];

/** A proposed change of kind `K`, typed. */
export type ProposedChangeOf<K extends ChangeKind> = ProposedChange<K, ValueOf<K>>;

/** A proposed change of any kind, typed: what a check's detection carries. */
export type AnyProposedChange = { [K in ChangeKind]: ProposedChangeOf<K> }[ChangeKind];

/** One executor per change kind: the registry, as the engine sees it. */
export const executors: Readonly<Record<ChangeKind, Executor>> = changeKindRegistry;

const byKind: ReadonlyMap<string, Executor & Pick<ChangeKindModule<string, JsonValue>, 'problem'>> = new Map(
  Object.values(changeKindRegistry).map((m) => [m.kind, m]),
);

/** The executor of a kind, or undefined when remediate knows no such kind. */
export function executorOfKind(kind: string): Executor | undefined {
  return byKind.get(kind);
}

/**
 * What is wrong with a stored change (a plan read back from the journal): a kind remediate does not know, or a
 * `before`/`after` that is not of its kind's shape. Undefined when it is a valid change.
 */
export function changeProblem(change: Change): string | undefined {
  const module = byKind.get(change.kind);
  if (module === undefined) return `its kind ${change.kind} is none remediate knows (${changeKinds.join(', ')})`;
  return module.problem(change);
}
