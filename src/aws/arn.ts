/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Parses an ARN; undefined when `text` is not one. */
function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/**
 * The short name inside a resource ARN: the load balancer, target group, listener port-less id,
 * ECS service or cluster name. Returns the input when it is not an ARN (it is a name already).
 */
export function nameFromArn(text: string): string {
  const arn = parseArn(text);
  if (arn === undefined) return text;
  const segments = arn.resource.split('/');
  switch (segments[0]) {
    case 'loadbalancer': // loadbalancer/app/NAME/ID
    case 'listener': // listener/app/NAME/LBID/ID
      return segments[2] ?? text;
    case 'targetgroup': // targetgroup/NAME/ID
    case 'cluster': // cluster/NAME
      return segments[1] ?? text;
    case 'service': // service/CLUSTER/NAME or service/NAME
      return segments[segments.length - 1] ?? text;
    case 'certificate':
      return segments[1] ?? text;
    default:
      return segments[segments.length - 1] ?? text;
  }
}
