import { jsonRpcProtocol } from '../../protocols/json.js';
import type { ServiceModule } from '../service-module.js';
import { createCluster } from './cluster-creation.js';
import { describeClusters, listClusters } from './clusters.js';
import { ecsErrors } from './ecs-errors.js';
import { describeServices, listServices, updateService } from './ecs-services.js';
import { createService, deleteService } from './service-creation.js';
import { deregisterTaskDefinition, describeTaskDefinition, registerTaskDefinition } from './task-definitions.js';
import { describeTasks, listTasks } from './tasks.js';

/** Amazon ECS, over JSON 1.1 (`X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`). */
export const ecsModule: ServiceModule = {
  name: 'ecs',
  protocol: jsonRpcProtocol({ targetPrefix: 'AmazonEC2ContainerServiceV20141113', jsonVersion: '1.1' }),
  invalidInput: ecsErrors.invalidParameter,
  operations: {
    ListClusters: listClusters,
    DescribeClusters: describeClusters,
    ListServices: listServices,
    DescribeServices: describeServices,
    UpdateService: updateService,
    ListTasks: listTasks,
    DescribeTasks: describeTasks,
    RegisterTaskDefinition: registerTaskDefinition,
    DeregisterTaskDefinition: deregisterTaskDefinition,
    DescribeTaskDefinition: describeTaskDefinition,
    CreateCluster: createCluster,
    CreateService: createService,
    DeleteService: deleteService,
  },
};
