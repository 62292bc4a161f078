import { AwsError } from '../../aws-error.js';

/** The errors ACM answers with (JSON `__type`s; the SDK's exception names are the same). */
export const acmErrors = {
  validation: (message: string): AwsError => new AwsError('ValidationException', message),
  invalidArn: (arn: string): AwsError => new AwsError('InvalidArnException', `String '${arn}' is not a valid ARN.`),
  resourceNotFound: (arn: string, account: string): AwsError =>
    new AwsError('ResourceNotFoundException', `Could not find certificate ${arn} in account ${account}.`),
  invalidArgs: (message: string): AwsError => new AwsError('InvalidArgsException', message),
} as const;
