// The classes of @aws-sdk/client-ecs that remediate uses, and nothing else: in the bundle (dist/bundle) esbuild keeps only
// these and what they reach of the SDK (src/aws/sdk/sdk-surfaces.ts says when this module is loaded).
export {
  ECSClient,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  paginateListClusters,
  paginateListServices,
  paginateListTasks,
} from '@aws-sdk/client-ecs';
