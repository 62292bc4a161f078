/**
 * The layers of the stack, top to bottom: one vocabulary for a check's folder (`src/checks/<layer>/`), the prefix of
 * its id (`<layer>.<name>`) and the layer a plan records for its outcome.
 */
export const checkLayers = ['stack', 'dns', 'cloudfront', 'alb', 'tg', 'ecs', 'network', 'logs', 'repo'] as const;
export type CheckLayer = (typeof checkLayers)[number];

/**
 * Every check's id, by layer. A check whose id is not here does not compile; `test/checks-registered.test.ts`
 * holds this list to the checks, both ways.
 */
export const checkIds = [
  'stack.unreachable',
  'dns.apex-alias',
  'dns.www-alias',
  'cloudfront.origin-domain',
  'cloudfront.origin-path',
  'cloudfront.origin-protocol',
  'cloudfront.aliases',
  'cloudfront.viewer-certificate',
  'cloudfront.viewer-https',
  'alb.scheme',
  'alb.subnets',
  'alb.https-listener',
  'alb.listener-certificate',
  'alb.tls-policy',
  'alb.http-redirect',
  'alb.default-rule',
  'alb.security-group',
  'alb.security-group-egress',
  'tg.port-protocol',
  'tg.health-check-path',
  'tg.health-check-settings',
  'tg.healthy-targets',
  'tg.unused-targets',
  'tg.draining-targets',
  'ecs.task-security-group',
  'ecs.task-security-group-egress',
  'ecs.health-check-grace-period',
  'ecs.deployment-circuit-breaker',
  'ecs.running-count',
  'ecs.crash-loop',
  'ecs.load-balancer-binding',
  'ecs.container-port',
  'ecs.container-health-check',
  'ecs.image-registry',
  'ecs.image-current',
  'ecs.memory',
  'ecs.placeholder-secrets',
  'ecs.plaintext-secrets',
  'network.image-pull-path',
  'logs.log-configuration',
  'logs.log-group',
  'logs.error-lines',
  'repo.dockerfile-runtime-compile',
  'repo.dockerfile-base-image',
  'repo.dockerfile-healthcheck-path',
] as const satisfies readonly `${CheckLayer}.${string}`[];
export type CheckId = (typeof checkIds)[number];

/** The layer of a check: its id's prefix. */
export function layerOf<Id extends CheckId>(id: Id): Id extends `${infer L extends CheckLayer}.${string}` ? L : never;
export function layerOf(id: CheckId): CheckLayer {
  return id.slice(0, id.indexOf('.')) as CheckLayer;
}
