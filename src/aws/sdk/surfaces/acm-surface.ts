// The classes of @aws-sdk/client-acm that remediate uses, and nothing else: in the bundle (dist/bundle) esbuild keeps only
// these and what they reach of the SDK (src/aws/sdk/sdk-surfaces.ts says when this module is loaded).
export { ACMClient, DescribeCertificateCommand, paginateListCertificates } from '@aws-sdk/client-acm';
