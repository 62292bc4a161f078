import { AwsError } from '../../aws-error.js';

/** The errors CloudWatch Logs answers with (JSON `__type`s; the SDK's exception names are the same). */
export const logsErrors = {
  invalidParameter: (message: string): AwsError => new AwsError('InvalidParameterException', message),
  logGroupNotFound: (): AwsError => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  logStreamNotFound: (): AwsError => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  invalidNextToken: (): AwsError => new AwsError('InvalidParameterException', 'The specified nextToken is invalid.'),
} as const;
