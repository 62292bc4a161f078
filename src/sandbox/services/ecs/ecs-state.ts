import type { CPUArchitecture, OSFamily } from '@aws-sdk/client-ecs';

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
  requiresCompatibilities: ('FARGATE' | 'EC2')[];
  /** CPU units (`256`, `1024`); `''` when not set (possible for the EC2 launch type only). */
  cpu: string;
  /** MiB (`512`, `1024`); `''` when not set (EC2 launch type only). */
  memory: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  /** ISO 8601. */
  registeredAt: string;
  /** The IAM principal that registered it (absent: the scenario did). */
  registeredBy?: string;
  /** ISO 8601, once deregistered (status INACTIVE). */
  deregisteredAt?: string;
  runtimePlatform?: { cpuArchitecture?: CPUArchitecture; operatingSystemFamily?: OSFamily };
  containers: ContainerDefinitionState[];
}

/** A container of a task definition: the members remediate reads and sets, as RegisterTaskDefinition takes them. */
export interface ContainerDefinitionState {
  name: string;
  image: string;
  essential: boolean;
  /** CPU units reserved for the container (0 when not set). */
  cpu?: number;
  /** Hard memory limit (MiB): the container is killed (exit 137) above it. */
  memory?: number;
  /** Soft memory limit (MiB). */
  memoryReservation?: number;
  portMappings: PortMappingState[];
  environment: { name: string; value: string }[];
  /** Values injected from Secrets Manager or SSM Parameter Store (`valueFrom` is the secret's ARN). */
  secrets?: { name: string; valueFrom: string }[];
  /** The container's Docker health check. */
  healthCheck?: ContainerHealthCheckState;
  /** The log driver (`awslogs` with `awslogs-group`, `awslogs-region`, `awslogs-stream-prefix`). */
  logConfiguration?: LogConfigurationState;
  command?: string[];
  entryPoint?: string[];
  /**
   * Sandbox only: the name of the simulated application (in `SandboxState.apps`) this image runs;
   * it decides what the container answers to health checks, how long it takes to start and how much
   * memory it needs.
   */
  simulatedApp: string;
}

/** A port mapping (with awsvpc networking the host port is the container port). */
export interface PortMappingState {
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
  name?: string;
  appProtocol?: 'http' | 'http2' | 'grpc';
}

/** A container health check; the durations are seconds, as ECS returns them (defaults filled in). */
export interface ContainerHealthCheckState {
  /** `["CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"]` or `["CMD", "curl", …]`. */
  command: string[];
  interval: number;
  timeout: number;
  retries: number;
  /** Absent when not set (ECS then omits it). */
  startPeriod?: number;
}

/** The log drivers ECS knows. */
export const LOG_DRIVERS = ['awslogs', 'awsfirelens', 'fluentd', 'gelf', 'journald', 'json-file', 'splunk', 'syslog'] as const;

/** One of {@link LOG_DRIVERS}. */
export type LogDriverName = (typeof LOG_DRIVERS)[number];

/** A container's log configuration. */
export interface LogConfigurationState {
  logDriver: LogDriverName;
  options: Record<string, string>;
  secretOptions?: { name: string; valueFrom: string }[];
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
  loadBalancers: { targetGroupArn: string; containerName: string; containerPort: number }[];
  /** Absent when never set (AWS then omits it, or reports 0 for services with load balancers). */
  healthCheckGracePeriodSeconds?: number;
  /** Absent when never set (a state saved before the sandbox stored it): AWS's defaults, see `deploymentConfigurationOf`. */
  deploymentConfiguration?: DeploymentConfigurationState;
  /** ISO 8601. */
  createdAt: string;
  networkConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'ENABLED' | 'DISABLED' };
  deployments: DeploymentState[];
  /** Newest first, as AWS lists them. */
  events: { id: string; createdAt: string; message: string }[];
}

/**
 * The part of a service's `deploymentConfiguration` the sandbox models: the rolling-update limits and the deployment
 * circuit breaker (ECS API reference, DeploymentConfiguration and DeploymentCircuitBreaker:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-service-deploymentconfiguration.html,
 * https://docs.rs/aws-sdk-ecs/latest/aws_sdk_ecs/types/struct.DeploymentConfiguration.html). `enable` fails a
 * deployment that cannot reach a steady state, `rollback` then rolls the service back to the last completed one.
 */
export interface DeploymentConfigurationState {
  deploymentCircuitBreaker: { enable: boolean; rollback: boolean };
  maximumPercent: number;
  minimumHealthyPercent: number;
}

/**
 * AWS's deployment configuration for a service created without one: the circuit breaker off (it is used only when
 * given), at most 200% and at least 100% of the desired count during a rolling update.
 */
export const DEFAULT_DEPLOYMENT_CONFIGURATION: Readonly<DeploymentConfigurationState> = Object.freeze({
  deploymentCircuitBreaker: Object.freeze({ enable: false, rollback: false }),
  maximumPercent: 200,
  minimumHealthyPercent: 100,
});

/** A service's deployment configuration (a copy): its own, or AWS's defaults when it has none stored. */
export function deploymentConfigurationOf(service: Pick<EcsServiceState, 'deploymentConfiguration'>): DeploymentConfigurationState {
  const c = service.deploymentConfiguration ?? DEFAULT_DEPLOYMENT_CONFIGURATION;
  return {
    deploymentCircuitBreaker: { ...c.deploymentCircuitBreaker },
    maximumPercent: c.maximumPercent,
    minimumHealthyPercent: c.minimumHealthyPercent,
  };
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
  /** Tasks of this deployment that failed to start or to stay up (absent: none). */
  failedTasks?: number;
  /** ISO 8601: when an IN_PROGRESS rollout whose tasks all run completes (a sandbox with a time scale); absent otherwise. */
  completesAt?: string;
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
  /** The task's health, from its essential containers' health checks (absent: UNKNOWN). */
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  containers: TaskContainerState[];
}

/** A container of a task. */
export interface TaskContainerState {
  name: string;
  image: string;
  /** The digest of the image the task pulled, when it came from this account's ECR (`sha256:…`). */
  imageDigest?: string;
  runtimeId: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  /** From the container's health check (absent: UNKNOWN, no health check). */
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

/** An empty ECS region. */
export function emptyEcsState(): EcsState {
  return { clusters: [], taskDefinitions: [], services: [], tasks: [] };
}
