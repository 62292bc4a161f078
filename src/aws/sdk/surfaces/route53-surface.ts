// The classes of @aws-sdk/client-route-53 that remediate uses, and nothing else: in the bundle (dist/bundle) esbuild keeps only
// these and what they reach of the SDK (src/aws/sdk/sdk-surfaces.ts says when this module is loaded).
export {
  Route53Client,
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  paginateListHostedZones,
} from '@aws-sdk/client-route-53';
