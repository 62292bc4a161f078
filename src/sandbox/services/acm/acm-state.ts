import type { CertificateStatus } from '@aws-sdk/client-acm';

/** The ACM certificates of one region. */
export interface AcmState {
  certificates: CertificateState[];
}

/** An ACM certificate. `InUseBy` is derived from the listeners that use it plus `otherUsers`. */
export interface CertificateState {
  arn: string;
  domainName: string;
  subjectAlternativeNames: string[];
  status: CertificateStatus;
  type: 'AMAZON_ISSUED' | 'IMPORTED';
  /** As AWS spells it on the wire: `RSA-2048`, `EC-prime256v1`. */
  keyAlgorithm: string;
  serial: string;
  /** ISO 8601 instants. */
  createdAt: string;
  issuedAt?: string;
  notBefore?: string;
  notAfter?: string;
  /** Users of the certificate that the sandbox does not model yet (e.g. a CloudFront distribution ARN). */
  otherUsers: string[];
}

/** An empty ACM region. */
export function emptyAcmState(): AcmState {
  return { certificates: [] };
}
