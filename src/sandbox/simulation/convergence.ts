/**
 * How long AWS takes to converge after a write, and the sandbox's time factor over it.
 *
 * Real AWS does not apply a change at once: a target turns `healthy` only after HealthyThresholdCount
 * consecutive passing checks, `HealthCheckIntervalSeconds` apart (Elastic Load Balancing, "Target health
 * status": https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html);
 * an ECS rolling update is a new PRIMARY deployment whose `rolloutState` is IN_PROGRESS until its tasks are
 * healthy and the old deployment's tasks are drained, then COMPLETED (ECS API Reference, Deployment
 * `rolloutState`: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html); a CloudFront
 * UpdateDistribution leaves the distribution `InProgress` until it has reached every edge location, then
 * `Deployed` (CloudFront API Reference, Distribution `Status`:
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Distribution.html).
 *
 * The sandbox models those delays, multiplied by a time scale: 1 is AWS's pace, 0.01 a hundred times faster,
 * and 0 (the default) converges at once, as the sandbox always did.
 */

/** A CloudFront update's time to reach every edge location, in simulated seconds (AWS: "within minutes"). */
export const CLOUDFRONT_DEPLOY_SECONDS = 300;

/** An ECS rolling update's time besides its targets turning healthy: draining the old tasks (the target group's deregistration delay, 300 s by default). */
export const ECS_DRAIN_SECONDS = 300;

/** The default time scale: converge at once. */
export const DEFAULT_TIME_SCALE = 0;

/** Real milliseconds of `seconds` simulated seconds at `timeScale`. */
export function scaledMs(seconds: number, timeScale: number): number {
  return Math.round(seconds * 1000 * timeScale);
}

/** The ISO time `seconds` simulated seconds after `now` at `timeScale`. */
export function scaledAfter(now: Date, seconds: number, timeScale: number): string {
  return new Date(now.getTime() + scaledMs(seconds, timeScale)).toISOString();
}
