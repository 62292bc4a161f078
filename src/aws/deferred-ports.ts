import type { AwsPorts } from './ports.js';

/** The services of {@link AwsPorts} (a service missing here does not compile): a port object is made for each. */
const services: Readonly<Record<keyof AwsPorts, true>> = {
  elbv2: true,
  ecs: true,
  acm: true,
  sts: true,
  route53: true,
  cloudfront: true,
  ec2: true,
  logs: true,
  ecr: true,
};

type AnyPort = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * Ports whose real ports are made only at their first call (`load`, run once by its caller's own caching): a command
 * that may or may not call AWS (history reconciles interrupted runs only when there are some) starts what the real
 * ports need, e.g. the built-in sandbox, only then. Every port method returns a promise, so each call simply waits
 * for `load` first; `then` is not a method (a port is not a promise).
 */
export function deferredPorts(load: () => Promise<AwsPorts>): AwsPorts {
  const port = (service: keyof AwsPorts): AnyPort =>
    new Proxy({} as AnyPort, {
      get: (_target, operation) =>
        typeof operation !== 'string' || operation === 'then'
          ? undefined
          : async (...args: unknown[]) => {
              const real = (await load())[service] as unknown as AnyPort;
              const method = real[operation];
              if (method === undefined) throw new Error(`the ${service} port has no operation ${operation}`);
              return method.apply(real, args);
            },
    });
  return Object.fromEntries(Object.keys(services).map((service) => [service, port(service as keyof AwsPorts)])) as unknown as AwsPorts;
}
