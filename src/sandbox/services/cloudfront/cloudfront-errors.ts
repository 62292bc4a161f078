import { AwsError } from '../../aws-error.js';

/**
 * The errors CloudFront answers with. The SDK names its exceptions after the codes
 * (`PreconditionFailed`, `NoSuchDistribution`, …); codes it does not model (`MalformedXML`)
 * arrive as a `CloudFrontServiceException` whose `name` is the code.
 */
export const cloudFrontErrors = {
  invalidArgument: (message: string): AwsError => new AwsError('InvalidArgument', message),
  malformedXml: (message: string): AwsError => new AwsError('MalformedXML', message),
  noSuchDistribution: (): AwsError => new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404),
  invalidIfMatchVersion: (): AwsError =>
    new AwsError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.'),
  preconditionFailed: (): AwsError =>
    new AwsError('PreconditionFailed', 'The precondition given in one or more of the request-header fields evaluated to false.', 412),
  illegalUpdate: (message: string): AwsError => new AwsError('IllegalUpdate', message),
  inconsistentQuantities: (): AwsError =>
    new AwsError('InconsistentQuantities', "The value of Quantity and the size of Items don't match."),
  noSuchOrigin: (): AwsError => new AwsError('NoSuchOrigin', 'One or more of your origins or origin groups do not exist.', 404),
  invalidOrigin: (message: string): AwsError => new AwsError('InvalidOrigin', message),
  invalidOriginReadTimeout: (): AwsError =>
    new AwsError('InvalidOriginReadTimeout', 'The read timeout specified for the origin is not valid.'),
  invalidOriginKeepaliveTimeout: (): AwsError =>
    new AwsError('InvalidOriginKeepaliveTimeout', 'The keep alive timeout specified for the origin is not valid.'),
  /** The certificate does not exist, is not in us-east-1, or is not valid. */
  invalidViewerCertificate: (): AwsError =>
    new AwsError(
      'InvalidViewerCertificate',
      "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.",
    ),
  /** An alias (CNAME) the viewer certificate does not cover. */
  aliasNotCovered: (): AwsError =>
    new AwsError(
      'InvalidViewerCertificate',
      'To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name. For more details, see: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements',
    ),
  viewerCertificateConflict: (message: string): AwsError => new AwsError('InvalidViewerCertificate', message),
  cnameAlreadyExists: (): AwsError =>
    new AwsError('CNAMEAlreadyExists', 'One or more of the CNAMEs you provided are already associated with a different resource.', 409),
} as const;
