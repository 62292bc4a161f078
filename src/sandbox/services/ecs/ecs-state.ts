/** The ECS resources of one region. */
export interface EcsState {
  clusters: ClusterState[];
  taskDefinitions: TaskDefinitionState[];
  services: EcsServiceState[];
  /** Tasks of all clusters, running and stopped. */
  tasks: TaskState[];
}

/** An ECS cluster. */
export interface ClusterState {
  arn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
}

/** One revision of a task definition. */
export interface TaskDefinitionState {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  networkMode: 'awsvpc' | 'bridge' | 'host';
  requiresCompatibilities: Array<'FARGATE' | 'EC2'>;
  cpu: string;
  memory: string;
  executionRoleArn?: string;
  /** ISO 8601. */
  registeredAt: string;
  containers: ContainerDefinitionState[];
}

/** A container of a task definition. */
export interface ContainerDefinitionState {
  name: string;
  image: string;
  essential: boolean;
  portMappings: Array<{ containerPort: number; hostPort: number; protocol: 'tcp' | 'udp' }>;
  environment: Array<{ name: string; value: string }>;
  logGroup?: string;
  /**
   * Sandbox only: the name of the simulated application (in `SandboxState.apps`) this image runs;
   * it decides what the container answers to health checks.
   */
  simulatedApp: string;
}

/** An ECS service. `runningCount`/`pendingCount` are not stored: they are counted from `tasks`. */
export interface EcsServiceState {
  arn: string;
  name: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  launchType: 'FARGATE' | 'EC2';
  platformVersion: string;
  taskDefinitionArn: string;
  loadBalancers: Array<{ targetGroupArn: string; containerName: string; containerPort: number }>;
  /** Absent when never set (AWS then omits it, or reports 0 for services with load balancers). */
  healthCheckGracePeriodSeconds?: number;
  /** ISO 8601. */
  createdAt: string;
  networkConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'ENABLED' | 'DISABLED' };
  deployments: DeploymentState[];
  /** Newest first, as AWS lists them. */
  events: Array<{ id: string; createdAt: string; message: string }>;
}

/** A deployment of a service; its task counts are counted from the tasks it started. */
export interface DeploymentState {
  /** `ecs-svc/<19 digits>`. */
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  createdAt: string;
  updatedAt: string;
  rolloutState: 'COMPLETED' | 'IN_PROGRESS' | 'FAILED';
  rolloutStateReason: string;
}

/** A task (one running copy of a task definition). */
export interface TaskState {
  arn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  /** The service that started it, if any. */
  serviceName?: string;
  /** The deployment id that started it (`startedBy`). */
  startedBy?: string;
  launchType: 'FARGATE' | 'EC2';
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEPROVISIONING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  availabilityZone: string;
  subnetId: string;
  privateIp: string;
  networkInterfaceId: string;
  macAddress: string;
  attachmentId: string;
  cpu: string;
  memory: string;
  createdAt: string;
  startedAt?: string;
  stoppedAt?: string;
  stoppedReason?: string;
  stopCode?: 'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated' | 'ServiceSchedulerInitiated';
  containers: TaskContainerState[];
}

/** A container of a task. */
export interface TaskContainerState {
  name: string;
  image: string;
  runtimeId: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
}

/** An empty ECS region. */
export function emptyEcsState(): EcsState {
  return { clusters: [], taskDefinitions: [], services: [], tasks: [] };
}
