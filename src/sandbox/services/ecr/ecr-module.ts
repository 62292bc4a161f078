import { jsonRpcProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../service-module.js';
import { describeImages } from './describe-images.js';
import { ecrErrors } from './ecr-errors.js';

/** Amazon ECR, over JSON 1.1 (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>`). Regional. */
export const ecrModule: ServiceModule = {
  name: 'ecr',
  protocol: jsonRpcProtocol({ targetPrefix: 'AmazonEC2ContainerRegistry_V20150921', jsonVersion: '1.1' }),
  invalidInput: ecrErrors.invalidParameter,
  operations: {
    DescribeImages: describeImages,
  },
};
