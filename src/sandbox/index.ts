/**
 * The sandbox: a simulated AWS account (ELBv2, ECS, ACM, STS, CloudFront, Route53, …) served over HTTP on
 * 127.0.0.1 with the real wire protocols, starting from a named scenario, recording every call.
 */
export { AwsError } from './aws-error.js';
export { SandboxError, SandboxErrorCode, isSandboxError } from './sandbox-error.js';
export { SANDBOX_ADMIN_PREFIX, SANDBOX_ADMIN_BAD_INPUT, SandboxAdminPath } from './admin-paths.js';
export type { CallRecord } from './call-record.js';
export type { SandboxState, RegionState } from './sandbox-state.js';
export type { GlobalState } from './sandbox-state.js';
export { probeHttp } from './simulation/http-probe.js';
export type { HttpProbeRequest, HttpProbeResult, ProbeError, ProbeHop } from './simulation/http-probe-messages.js';
export type { SimulatedApp } from './simulation/simulated-app.js';
export type { InternetConditions } from './simulation/internet-conditions.js';
export type { Scenario, ScenarioStack, ScenarioPolicy } from './scenarios/scenario.js';
export { scenarios, DEFAULT_SCENARIO, findScenario } from './scenarios/catalog.js';
export { applyScenarioOptions, checkScenarioOptions, MAX_ZONE_RECORDS, type ScenarioOptions } from './scenarios/scenario-options.js';
export type { SandboxStore, SandboxStoreOptions } from './store/sandbox-store.js';
export { memorySandboxStore } from './store/memory-store.js';
export { openSandboxStore, isUnreadableSandboxState } from './store/sqlite-store.js';
export { startSandboxServer } from './server/sandbox-server.js';
export type { SandboxServer, SandboxServerOptions } from './server/sandbox-server.js';
export type { FaultHook, FaultContext } from './server/faults.js';
export type { FaultKind, FaultOptions, FaultRule, ThrottlingCode } from './faults/fault-options.js';
export { DEFAULT_RULE_LATENCY_MS, NO_FAULTS, THROTTLING_CODES, parseFaultOptions } from './faults/fault-options.js';
export type { DeniedAction } from './faults/access-denial.js';
export { actionDenial, resourceDenial, requireAllowed } from './faults/access-denial.js';
export { protocolFamily, type ProtocolFamily } from './faults/fault-errors.js';
export { iamAction } from './server/iam-action.js';
export type { StoredFaults } from './store/sandbox-store.js';
export type { SandboxAccounts } from './accounts/sandbox-accounts.js';
export { memorySandboxAccounts, fileSandboxAccounts, accountsDirectory } from './accounts/sandbox-accounts.js';
export type { AccountSeed } from './accounts/account-seed.js';
