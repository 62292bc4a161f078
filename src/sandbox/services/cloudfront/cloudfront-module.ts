import { restXmlProtocol } from '../../protocols/rest-xml.js';
import type { ServiceModule } from '../service-module.js';
import { cloudFrontErrors } from './cloudfront-errors.js';
import { distributionConfigShape, distributionListShape, distributionShape } from './cloudfront-shapes.js';
import { createDistribution } from './distribution-creation.js';
import { getDistribution, getDistributionConfig, listDistributions, updateDistribution } from './distributions.js';

const NAMESPACE = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
const distribution = { member: 'Distribution', element: 'Distribution', shape: distributionShape } as const;
const etagHeader = { ETag: 'ETag' } as const;

/**
 * Amazon CloudFront (global), over REST-XML, API version 2020-05-31: web distributions, read and
 * updated with ETag / If-Match optimistic concurrency.
 */
export const cloudFrontModule: ServiceModule = {
  name: 'cloudfront',
  protocol: restXmlProtocol({
    pathPrefix: '/2020-05-31/',
    xmlNamespace: NAMESPACE,
    malformed: cloudFrontErrors.malformedXml,
    operations: {
      ListDistributions: {
        method: 'GET',
        path: '/2020-05-31/distribution',
        input: { query: { Marker: 'Marker', MaxItems: 'MaxItems' } },
        output: { body: { member: 'DistributionList', element: 'DistributionList', shape: distributionListShape } },
      },
      CreateDistribution: {
        method: 'POST',
        path: '/2020-05-31/distribution',
        input: { body: { member: 'DistributionConfig', element: 'DistributionConfig', shape: distributionConfigShape } },
        output: { status: 201, headers: { ...etagHeader, Location: 'Location' }, body: distribution },
      },
      GetDistribution: {
        method: 'GET',
        path: '/2020-05-31/distribution/{Id}',
        output: { headers: etagHeader, body: distribution },
      },
      GetDistributionConfig: {
        method: 'GET',
        path: '/2020-05-31/distribution/{Id}/config',
        output: {
          headers: etagHeader,
          body: { member: 'DistributionConfig', element: 'DistributionConfig', shape: distributionConfigShape },
        },
      },
      UpdateDistribution: {
        method: 'PUT',
        path: '/2020-05-31/distribution/{Id}/config',
        input: {
          headers: { 'if-match': 'IfMatch' },
          body: { member: 'DistributionConfig', element: 'DistributionConfig', shape: distributionConfigShape },
        },
        output: { headers: etagHeader, body: distribution },
      },
    },
  }),
  invalidInput: cloudFrontErrors.invalidArgument,
  operations: {
    ListDistributions: listDistributions,
    GetDistribution: getDistribution,
    GetDistributionConfig: getDistributionConfig,
    UpdateDistribution: updateDistribution,
    CreateDistribution: createDistribution,
  },
};
