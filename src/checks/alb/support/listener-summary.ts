import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { JsonObject } from '../../../model/json-value.js';
import { canonicalActions, describeActions } from '../../../fixes/listener-actions.js';

/** A listener as evidence: `{ port, protocol, defaultAction }`. */
export function listenerSummary(listener: Listener): JsonObject {
  return {
    port: listener.Port ?? null,
    protocol: listener.Protocol ?? null,
    defaultAction: describeActions(canonicalActions(listener.DefaultActions)),
  };
}
