import { AwsError } from '../../aws-error.js';

/** The errors ECS answers with (JSON `__type`s; the SDK's exception names are the same). */
export const ecsErrors = {
  invalidParameter: (message: string): AwsError => new AwsError('InvalidParameterException', message),
  client: (message: string): AwsError => new AwsError('ClientException', message),
  clusterNotFound: (): AwsError => new AwsError('ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: (): AwsError => new AwsError('ServiceNotFoundException', 'Service not found.'),
  serviceNotActive: (): AwsError => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.'),
} as const;
