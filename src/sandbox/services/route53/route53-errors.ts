import { AwsError } from '../../aws-error.js';

/** The errors Route53 answers with (the SDK's exception names are the codes). */
export const route53Errors = {
  invalidInput: (message: string): AwsError => new AwsError('InvalidInput', message),
  noSuchHostedZone: (id: string): AwsError => new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404),
  noSuchChange: (id: string): AwsError => new AwsError('NoSuchChange', `Could not find resource with ID: ${id}`, 404),
  /** A rejected change batch: every problem, in AWS's `[first, second]` form. */
  invalidChangeBatch: (problems: readonly string[]): AwsError => new AwsError('InvalidChangeBatch', `[${problems.join(', ')}]`),
} as const;
