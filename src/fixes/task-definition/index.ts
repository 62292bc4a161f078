import { ErrorCode, RemediateError } from '../../model/errors.js';
import type { JsonValue } from '../../model/json-value.js';
import { jsonEqual } from '../../model/json-value.js';
import { defineChangeKind, guard, jsonObjectSchema } from '../change-kind.js';
import { locatorString } from '../locator.js';
import { memoRef, type MutatingCall } from '../mutating-call.js';
import { REGISTERED_REVISION_MEMO, type RevisionSettings } from './revision.js';
import {
  LISTEN_VARIABLES,
  taskDefinitionFromJson,
  taskDefinitionJson,
  taskDefinitionOfJson,
  taskDefinitionSchema,
  taskDefinitionValue,
  type TaskDefinitionValue,
} from './value.js';

/** The settings of a value that a new revision may change, in the value's names. */
type Setting = 'image' | 'cpu' | 'memory' | 'containerMemory' | 'healthCheck';

/**
 * `ecs.task-definition`: the revision a service runs, seen through the settings of its container that
 * remediate changes (image, task cpu/memory, container memory, health-check command, `PORT`/`HOSTNAME`, an
 * awslogs configuration for a container that has none).
 * - Apply (`after.taskDefinition` null): RegisterTaskDefinition of a copy of the live revision with the
 *   settings changed (the input built from a fresh DescribeTaskDefinition at call time), then UpdateService
 *   to the ARN it returned.
 * - Inverse (`after.taskDefinition` an ARN): UpdateService back to that exact revision. The revision the
 *   apply registered is left registered (see docs/checks.md): a service can be moved back to it, and
 *   tasks still draining from it keep a valid definition.
 */
export const taskDefinitionExecutor = defineChangeKind({
  kind: 'ecs.task-definition',
  value: taskDefinitionSchema,
  iam: {
    read: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'],
    write: ['ecs:RegisterTaskDefinition', 'ecs:TagResource', 'iam:PassRole', 'ecs:UpdateService'],
    undo: ['ecs:UpdateService'],
  },

  async read(aws, change) {
    const { services } = await aws.ecs.describeServices(locatorString(change, 'cluster'), [locatorString(change, 'service')]);
    const arn = services.find((s) => s.status !== 'INACTIVE')?.taskDefinition;
    if (arn === undefined) return { value: null, memo: null };
    const definition = await aws.ecs.describeTaskDefinition(arn);
    return { value: taskDefinitionJson(taskDefinitionValue(definition, locatorString(change, 'container'))), memo: null };
  },

  calls(change, to, live) {
    if (to === null) throw new TypeError(`change ${change.id}: a service cannot be set to run no task definition`);
    const target = taskDefinitionOfJson(to);
    const service = { cluster: locatorString(change, 'cluster'), service: locatorString(change, 'service') };
    if (target.taskDefinition !== null) {
      return [{ service: 'ecs', operation: 'UpdateService', input: { ...service, taskDefinition: target.taskDefinition } }];
    }
    const current = live.value === null ? undefined : taskDefinitionOfJson(live.value);
    if (current?.taskDefinition === null || current === undefined) {
      throw new RemediateError(ErrorCode.StepFailed, `${change.label}: the service runs no task definition to copy`);
    }
    const set = settingsToChange(current, target);
    const register: MutatingCall = {
      service: 'ecs',
      operation: 'RegisterTaskDefinition',
      input: { basedOn: current.taskDefinition, container: target.container, set },
    };
    return [
      register,
      { service: 'ecs', operation: 'UpdateService', input: { ...service, taskDefinition: memoRef(REGISTERED_REVISION_MEMO) } },
    ];
  },

  matches(live, wanted) {
    return taskDefinitionMatches(live, wanted);
  },

  identityConflict(recorded, live) {
    const registered = recorded?.[REGISTERED_REVISION_MEMO];
    const basedOn = recorded?.['basedOn'];
    const now = taskDefinitionFromJson(live.value)?.taskDefinition;
    if (typeof registered !== 'string' || typeof now !== 'string' || now === registered || now === basedOn) return undefined;
    return `the service runs ${now}, neither ${registered} (registered by the apply) nor ${typeof basedOn === 'string' ? basedOn : 'the revision before it'}`;
  },
});

/**
 * Whether a live value is the wanted one. A wanted value with an ARN is that exact revision. A wanted
 * value without one (a plan's `after`: the revision to register) is any revision with the wanted settings:
 * revisions never change, so a revision with those settings is never the `before` one, whose settings differ.
 */
export function taskDefinitionMatches(live: JsonValue, wanted: JsonValue): boolean {
  // A value journaled before remediate read the log configuration has no `logging`: it says nothing about it.
  if (isJsonObject(wanted) && !('logging' in wanted) && isJsonObject(live))
    return taskDefinitionMatches({ ...live, logging: null }, { ...wanted, logging: null });
  const target = taskDefinitionFromJson(wanted);
  if (target === undefined || target.taskDefinition !== null) return jsonEqual(live, wanted);
  const found = taskDefinitionFromJson(live);
  if (found === undefined || found.taskDefinition === null) return false;
  return jsonEqual({ ...taskDefinitionJson(found), taskDefinition: null }, taskDefinitionJson(target));
}

const isJsonObject = guard(jsonObjectSchema);

/** The settings of `target` that differ from `current`; a setting cannot be removed by a new revision. */
function settingsToChange(current: TaskDefinitionValue, target: TaskDefinitionValue): RevisionSettings {
  const differs = (key: Setting): boolean => {
    if (jsonEqual(current[key], target[key])) return false;
    if (target[key] === null)
      throw new RemediateError(ErrorCode.StepFailed, `a new revision cannot remove the ${key} of container ${target.container}`);
    return true;
  };
  return {
    ...(differs('image') && target.image !== null ? { image: target.image } : {}),
    ...(differs('cpu') && target.cpu !== null ? { cpu: target.cpu } : {}),
    ...(differs('memory') && target.memory !== null ? { memory: target.memory } : {}),
    ...(differs('containerMemory') && target.containerMemory !== null ? { containerMemory: target.containerMemory } : {}),
    ...(differs('healthCheck') && target.healthCheck !== null ? { healthCheck: [...target.healthCheck] } : {}),
    ...listenToChange(current, target),
    ...awslogsToChange(current, target),
  };
}

/** The awslogs configuration `target` gives a container that has none; a new revision neither removes nor replaces one. */
function awslogsToChange(current: TaskDefinitionValue, target: TaskDefinitionValue): Pick<RevisionSettings, 'awslogs'> {
  if (jsonEqual(current.logging, target.logging)) return {};
  const wanted = target.logging;
  if (wanted === null)
    throw new RemediateError(ErrorCode.StepFailed, `a new revision cannot remove the log configuration of container ${target.container}`);
  if (current.logging !== null)
    throw new RemediateError(
      ErrorCode.StepFailed,
      `container ${target.container} already has a log configuration (${current.logging.driver}); remediate does not replace it`,
    );
  if (wanted.driver !== 'awslogs' || wanted.group === null || wanted.region === null || wanted.streamPrefix === null) {
    throw new RemediateError(
      ErrorCode.StepFailed,
      `container ${target.container}: remediate only adds an awslogs configuration with a group, a region and a stream prefix`,
    );
  }
  return { awslogs: { group: wanted.group, region: wanted.region, streamPrefix: wanted.streamPrefix } };
}

/** The listen variables `target` sets to another value than `current`; a new revision does not unset one. */
function listenToChange(current: TaskDefinitionValue, target: TaskDefinitionValue): Pick<RevisionSettings, 'listen'> {
  const listen: Partial<Record<'PORT' | 'HOSTNAME', string>> = {};
  for (const name of LISTEN_VARIABLES) {
    const wanted = target.listen[name];
    if (wanted === current.listen[name]) continue;
    if (wanted === null)
      throw new RemediateError(ErrorCode.StepFailed, `a new revision cannot unset ${name} of container ${target.container}`);
    listen[name] = wanted;
  }
  return Object.keys(listen).length > 0 ? { listen } : {};
}
