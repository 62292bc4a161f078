import { AwsError } from '../aws-error.js';
import type { ProtocolFamily } from './fault-errors.js';

/**
 * The sandbox accepts any credentials, except two families of access key ids that let tests meet AWS's
 * credential errors: `EXPIRED…` (the session token has expired) and `INVALID…` (the key does not exist).
 * Each answers with the code the protocol's services really use.
 */
export function credentialError(family: ProtocolFamily, accessKeyId: string | undefined): AwsError | undefined {
  if (accessKeyId === undefined) return undefined;
  if (accessKeyId.startsWith('EXPIRED')) {
    switch (family) {
      case 'json':
        return new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
      case 'ec2':
        return new AwsError('RequestExpired', 'Request has expired.', 400);
      case 'query':
      case 'rest-xml':
        return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
    }
  }
  if (accessKeyId.startsWith('INVALID')) {
    switch (family) {
      case 'json':
        return new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
      case 'ec2':
        return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
      case 'query':
      case 'rest-xml':
        return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    }
  }
  return undefined;
}
