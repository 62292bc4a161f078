import { loadSdk } from './sdk-call.js';

/**
 * The SDK client packages a plan's walk calls, in the order it first calls them (STS for the account, Route53 for
 * the domain, CloudFront, ACM, the load balancer, EC2 for its security groups and network, ECS, then ECR and
 * CloudWatch Logs for the task's image and logs).
 */
export const walkSdkClients = [
  '@aws-sdk/client-sts',
  '@aws-sdk/client-route-53',
  '@aws-sdk/client-cloudfront',
  '@aws-sdk/client-acm',
  '@aws-sdk/client-elastic-load-balancing-v2',
  '@aws-sdk/client-ec2',
  '@aws-sdk/client-ecs',
  '@aws-sdk/client-ecr',
  '@aws-sdk/client-cloudwatch-logs',
] as const;

/**
 * Loads SDK client packages ahead of their first call, off the walk's critical path: one package per turn of the
 * event loop (setImmediate), from the first turn on which the walk waits for I/O. Loading a client is synchronous
 * CPU work (EC2's alone ~180 ms); done at its first call, it stalls that call and every response already in flight.
 * Done here, each load runs while earlier calls are in flight, and responses are handled between two loads. A
 * package that fails to load is not an error here: the call that needs it requires it again and fails as it would
 * have (the error is the call's, named with its service and operation).
 */
export function preloadSdkClients(names: readonly string[]): void {
  let next = 0;
  const loadOne = (): void => {
    const name = names[next++];
    if (name === undefined) return;
    try {
      loadSdk(name);
    } catch {
      // Left for the call that needs it (see above): it requires the package again and reports the failure.
    }
    setImmediate(loadOne).unref();
  };
  // unref: a command that ends early (bad credentials) exits without waiting for the loads it no longer needs.
  setImmediate(loadOne).unref();
}
