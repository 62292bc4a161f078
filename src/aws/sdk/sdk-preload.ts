import { sdkSurfaces, type SdkService } from './sdk-surfaces.js';

/**
 * The services a plan's walk calls, in the order it first calls them (STS for the account, Route53 for the domain,
 * CloudFront, ACM, the load balancer, EC2 for its security groups and network, ECS, then ECR and CloudWatch Logs for
 * the task's image and logs).
 */
export const walkSdkClients: readonly SdkService[] = ['sts', 'route53', 'cloudfront', 'acm', 'elbv2', 'ec2', 'ecs', 'ecr', 'logs'];

/**
 * Loads the SDK classes of services ahead of their first call, off the walk's critical path: one service per turn
 * of the event loop (setImmediate), from the first turn on which the walk waits for I/O, each after the previous one
 * has loaded. Evaluating a client's modules is synchronous CPU work; done at its first call, it stalls that call and
 * every response already in flight. Done here, each load runs while earlier calls are in flight, and responses are
 * handled between two loads. A service that fails to load is not an error here: the call that needs it loads it
 * again (sdkSurfaces) and fails as it would have (the error is the call's, named with its service and operation).
 */
export function preloadSdkClients(services: readonly SdkService[]): void {
  let next = 0;
  const loadOne = (): void => {
    const service = services[next++];
    if (service === undefined) return;
    sdkSurfaces[service]().then(
      () => setImmediate(loadOne).unref(),
      // Left for the call that needs it (see above): it loads the service again and reports the failure.
      () => setImmediate(loadOne).unref(),
    );
  };
  // unref: a command that ends early (bad credentials) exits without waiting for the loads it no longer needs.
  setImmediate(loadOne).unref();
}
