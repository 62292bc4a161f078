import {
  ElasticLoadBalancingV2Client,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ECSClient, DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { NO_FAULTS, openSandboxStore, startSandboxServer, type SandboxServer, type SandboxStore } from '../../src/sandbox/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * The sandbox a CLI run used, opened from its state file and served on an ephemeral port, with real SDK
 * clients: how tests read state back (and change it behind remediate's back) over the wire.
 */
export interface SandboxView {
  readonly store: SandboxStore;
  readonly server: SandboxServer;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecs: ECSClient;
  /** The resources the four changes touch, as the SDK reads them. */
  snapshot(): Promise<StackSnapshot>;
  /** Sets the grace period directly (an out-of-band change by "someone else"). */
  setGracePeriod(seconds: number): Promise<void>;
  setHealthCheckPath(path: string): Promise<void>;
  /** Mutating calls recorded after `sinceSeq`. */
  mutatingCallsSince(sinceSeq: number): { operation: string; seq: number }[];
  lastSeq(): number;
  close(): Promise<void>;
}

export interface StackSnapshot {
  readonly listeners: unknown[];
  readonly targetGroup: unknown;
  readonly gracePeriod: number | undefined;
  readonly targetHealth: { id: string | undefined; state: string | undefined; reason: string | undefined }[];
}

export async function openSandboxView(statePath: string, region = 'me-central-1'): Promise<SandboxView> {
  const store = openSandboxStore(statePath);
  const server = await startSandboxServer(store, { port: 0, faults: NO_FAULTS });
  const config = { region, endpoint: server.url, credentials, maxAttempts: 1 };
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const ecs = new ECSClient(config);
  const spec = store.stack();
  const stack = {
    loadBalancer: spec.loadBalancer ?? '',
    targetGroup: spec.targetGroup ?? '',
    cluster: spec.cluster ?? '',
    service: spec.service ?? '',
  };
  const lb = async () => (await elbv2.send(new DescribeLoadBalancersCommand({ Names: [stack.loadBalancer] }))).LoadBalancers?.[0];
  const tg = async () => (await elbv2.send(new DescribeTargetGroupsCommand({ Names: [stack.targetGroup] }))).TargetGroups?.[0];
  return {
    store,
    server,
    elbv2,
    ecs,
    async snapshot() {
      const lbArn = (await lb())?.LoadBalancerArn;
      const group = await tg();
      const listeners = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners ?? [];
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
      const health =
        (await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group?.TargetGroupArn }))).TargetHealthDescriptions ?? [];
      return {
        listeners: [...listeners].sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0)),
        targetGroup: group,
        gracePeriod: service?.healthCheckGracePeriodSeconds,
        targetHealth: health.map((h) => ({ id: h.Target?.Id, state: h.TargetHealth?.State, reason: h.TargetHealth?.Reason })),
      };
    },
    async setGracePeriod(seconds) {
      await ecs.send(new UpdateServiceCommand({ cluster: stack.cluster, service: stack.service, healthCheckGracePeriodSeconds: seconds }));
    },
    async setHealthCheckPath(path) {
      await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: (await tg())?.TargetGroupArn, HealthCheckPath: path }));
    },
    mutatingCallsSince(sinceSeq) {
      return store
        .calls()
        .filter((c) => c.seq > sinceSeq && c.mutating)
        .map((c) => ({ operation: c.operation, seq: c.seq }));
    },
    lastSeq() {
      return store.calls().at(-1)?.seq ?? 0;
    },
    async close() {
      elbv2.destroy();
      ecs.destroy();
      await server.close();
      store.close();
    },
  };
}
