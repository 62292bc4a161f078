import { join } from 'node:path';
import { accountsDirectory, openSandboxStore, type SandboxState } from '../../src/sandbox/index.js';

/** The state file of one account of a multi-account sandbox whose main state file is `sandboxFile`. */
function accountStore(sandboxFile: string, account: string) {
  return openSandboxStore(join(accountsDirectory(sandboxFile), `${account}.db`));
}

/**
 * What the fleet's fixes write and their rollbacks restore, per stack region of an account (read from the account's
 * own state file): listeners, health checks, services and security-group rules (a rule put back is a new rule with a
 * new id, so rules are compared by what they allow).
 */
export function accountWritten(sandboxFile: string, account: string): unknown {
  const store = accountStore(sandboxFile, account);
  try {
    const state: SandboxState = store.read();
    return Object.fromEntries(
      ['me-central-1', 'us-east-1'].map((region) => {
        const r = state.regions[region];
        return [
          region,
          {
            listeners: (r?.elbv2.listeners ?? []).map((l) => ({
              port: l.port,
              protocol: l.protocol,
              actions: l.defaultActions,
              ssl: l.sslPolicy,
            })),
            healthChecks: (r?.elbv2.targetGroups ?? []).map((t) => t.healthCheck),
            services: (r?.ecs.services ?? []).map((s) => ({
              grace: s.healthCheckGracePeriodSeconds,
              taskDefinition: s.taskDefinitionArn,
              breaker: s.deploymentConfiguration,
            })),
            securityGroups: (r?.ec2.securityGroups ?? []).map((g) => ({
              id: g.groupId,
              rules: g.rules.map((rule) => JSON.stringify({ ...rule, ruleId: undefined })).sort(),
            })),
          },
        ];
      }),
    );
  } finally {
    store.close();
  }
}

/** How many mutating calls an account's sandbox has recorded. */
export function accountMutatingCalls(sandboxFile: string, account: string): number {
  const store = accountStore(sandboxFile, account);
  try {
    return store.calls().filter((c) => c.mutating).length;
  } finally {
    store.close();
  }
}
