import type { Listener, LoadBalancer, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Service } from '@aws-sdk/client-ecs';
import type { CertificateDetail } from '@aws-sdk/client-acm';

/**
 * Everything the checks look at, read once per plan by `observeStack`. Detection is a pure function of this.
 * A resource that could not be read is `undefined` and has a gap saying why.
 */
export interface Observation {
  readonly account: string;
  readonly region: string;
  readonly callerArn: string;
  /** When it was read: detection judges expiry against this, not the wall clock. */
  readonly observedAt: Date;
  readonly loadBalancer: LoadBalancer | undefined;
  readonly listeners: readonly Listener[];
  readonly targetGroup: TargetGroup | undefined;
  readonly targetHealth: readonly TargetHealthDescription[];
  readonly service: Service | undefined;
  /** Certificates of the region whose names could cover the stack's domain, and the stack's own one. */
  readonly certificates: readonly CertificateDetail[];
  readonly gaps: readonly ObservationGap[];
}

/** A layer the walk could not read: missing, or access denied. */
export interface ObservationGap {
  readonly layer: 'load-balancer' | 'listeners' | 'target-group' | 'target-health' | 'ecs-service' | 'certificates';
  /** Name or ARN of what was looked for. */
  readonly resource: string;
  /** AWS's error code, or `NotFound` when the API answered with nothing. */
  readonly code: string;
  readonly message: string;
}
