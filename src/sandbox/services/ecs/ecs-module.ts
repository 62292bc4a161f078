import { jsonRpcProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../service-module.js';
import { describeClusters } from './clusters.js';
import { ecsErrors } from './ecs-errors.js';
import { describeServices, updateService } from './ecs-services.js';
import { describeTaskDefinition } from './task-definitions.js';
import { describeTasks, listTasks } from './tasks.js';

/** Amazon ECS, over JSON 1.1 (`X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`). */
export const ecsModule: ServiceModule = {
  name: 'ecs',
  protocol: jsonRpcProtocol({ targetPrefix: 'AmazonEC2ContainerServiceV20141113', jsonVersion: '1.1' }),
  invalidInput: ecsErrors.invalidParameter,
  operations: {
    DescribeClusters: describeClusters,
    DescribeServices: describeServices,
    UpdateService: updateService,
    ListTasks: listTasks,
    DescribeTasks: describeTasks,
    DescribeTaskDefinition: describeTaskDefinition,
  },
};
