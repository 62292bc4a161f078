import { changeProblem } from '../../fixes/change-kinds.js';
import { filePatchChange } from '../../fixes/repo-file-patch.js';
import type { JsonValue } from '../../model/json-value.js';
import type { Change } from '../../model/plan.js';
import type { Observation } from '../../observe/observation.js';
import type { RepoSnapshot } from '../../repo/repo-snapshot.js';
import type { TerraformFile } from '../../repo/terraform/terraform-model.js';
import { terraformOf } from './support/file-detections.js';
import type { Check, FollowingDetection } from '../check.js';
import { defineCheck } from '../check.js';
import {
  declarationsFor,
  filePatches,
  liveDeclarations,
  type FieldResult,
  type LiveChange,
  type LiveTarget,
  type MappedKind,
} from './support/live-declarations.js';

const ID = 'repo.terraform-declares-live';

const mappedKinds: ReadonlySet<string> = new Set(liveDeclarations.map((r) => r.kind));

/**
 * A live change of a kind the live ↔ Terraform table maps, typed by its kind. Its values were built by the kind's
 * own check and are checked against the kind's schema here (`changeProblem`), so the narrowing holds.
 */
function liveChangeOf(change: Change): LiveChange | undefined {
  if (!mappedKinds.has(change.kind) || changeProblem(change) !== undefined) return undefined;
  return { kind: change.kind as MappedKind, before: change.before, after: change.after } as LiveChange;
}

const numberAt = (value: JsonValue | undefined): number | undefined => (typeof value === 'number' ? value : undefined);

/** What identifies the live resource a change touches among Terraform's declarations, as the walk read it. */
function liveTargetOf(observation: Observation, change: Change): LiveTarget | undefined {
  switch (change.kind) {
    case 'elbv2.target-group-health-check': {
      const read = [observation.targetGroup, ...Object.values(observation.forwardedTargetGroups ?? {})].find(
        (tg) => tg?.TargetGroupArn === change.resource,
      );
      return read?.TargetGroupName === undefined ? undefined : { name: read.TargetGroupName };
    }
    case 'ecs.health-check-grace-period':
    case 'ecs.deployment-circuit-breaker': {
      const name = observation.service?.serviceName;
      return name === undefined ? undefined : { name };
    }
    case 'ecs.task-definition': {
      const family = observation.taskDefinition?.family;
      return family === undefined ? undefined : { name: family };
    }
    case 'elbv2.listener-tls':
    case 'elbv2.https-listener':
    case 'elbv2.listener-default-actions': {
      const after = change.after;
      const port =
        numberAt(change.locator['port']) ??
        (after !== null && typeof after === 'object' && !Array.isArray(after) ? numberAt(after['Port']) : undefined);
      return port === undefined ? undefined : { port };
    }
    case 'cloudfront.distribution-config': {
      const aliases = observation.distribution?.distribution.DistributionConfig?.Aliases?.Items;
      return aliases === undefined ? undefined : { aliases };
    }
    case 'ec2.security-group-ingress':
    case 'ec2.security-group-egress': {
      const groupId = change.locator['groupId'];
      const name = typeof groupId === 'string' ? observation.securityGroups[groupId]?.group.GroupName : undefined;
      return name === undefined ? undefined : { name };
    }
    default:
      return undefined;
  }
}

const at = (f: { file: string; line: number }) => `${f.file}:${f.line}`;

/** One line per field: where it is declared and what happens to it. */
function fieldEvidence(f: FieldResult): JsonValue {
  switch (f.kind) {
    case 'rewrite':
      return { field: f.field, attribute: f.attribute, at: at(f), from: f.before, to: f.replacement };
    case 'in-sync':
      return { field: f.field, attribute: f.attribute, at: at(f), inSync: true };
    case 'manual':
      return { field: f.field, attribute: f.attribute, at: at(f), byHand: f.reason };
  }
}

/** The code side of one live change: a patch per file it rewrites, a finding per declaration to change by hand. */
function follow(repo: RepoSnapshot, terraform: readonly TerraformFile[], observation: Observation, change: Change): FollowingDetection[] {
  const live = liveChangeOf(change);
  const target = live === undefined ? undefined : liveTargetOf(observation, change);
  if (live === undefined || target === undefined) return [];
  const result = declarationsFor(terraform, live, target);
  if (result.status !== 'declared' || result.fields.length === 0) return [];
  const declaration = { address: result.address, declaredAt: at(result), liveChange: change.label, liveKind: change.kind };
  const out: FollowingDetection[] = [];
  for (const { after } of filePatches(terraform, [result])) {
    const file = repo.files.find((f) => f.path === after.path);
    if (file === undefined) continue;
    const rewritten = result.fields.filter(
      (f): f is Extract<FieldResult, { kind: 'rewrite' }> => f.kind === 'rewrite' && f.file === after.path,
    );
    out.push({
      follows: change.id,
      finding: {
        severity: 'high',
        resource: at(rewritten[0] ?? result),
        title: `${result.address} (${at(result)}) declares what the live fix of ${change.label} changes: the next terraform apply would put ${rewritten.map((f) => `${f.attribute} = ${f.before}`).join(', ')} back`,
        evidence: { ...declaration, fields: rewritten.map(fieldEvidence) },
      },
      change: filePatchChange(
        repo,
        file,
        after.content,
        `declare what the live fix of ${change.label} sets (${rewritten.map((f) => `${f.attribute} = ${f.replacement}`).join(', ')}), so that terraform apply keeps it`,
      ),
    });
  }
  for (const f of result.fields) {
    if (f.kind !== 'manual') continue;
    out.push({
      follows: change.id,
      finding: {
        severity: 'high',
        resource: at(f),
        title: `${at(f)} declares ${f.attribute} of ${result.address}, which remediate cannot rewrite safely: change it by hand, or the next terraform apply undoes the live fix of ${change.label}`,
        evidence: { ...declaration, fields: [fieldEvidence(f)] },
        nextStep: `edit ${at(f)}: ${f.reason}`,
      },
    });
  }
  if (out.length === 0) {
    out.push({
      follows: change.id,
      finding: {
        severity: 'info',
        resource: at(result),
        title: `${result.address} (${at(result)}) already declares what the live fix of ${change.label} sets`,
        evidence: { ...declaration, fields: result.fields.map(fieldEvidence) },
      },
    });
  }
  return out;
}

/**
 * `repo.terraform-declares-live`: for every live change of the plan whose field the repository's Terraform declares
 * (the table of `support/live-declarations.ts`, docs/terraform.md), the code change that declares the live `after`
 * value, so that the next `terraform apply` keeps the fix instead of reverting it (issue 14). A literal is rewritten
 * in place (a `repo.file-patch` that depends on the live change); a variable, local, module output, heredoc or an
 * absent attribute is a finding with the exact line to change by hand.
 *
 * Why it is not an ordinary check: checks see the observation only, and what this one looks at is the other checks'
 * changes. So its `detect` finds nothing and its `follow` is run by the plan once the others have detected (pure
 * too: the observation and those changes in, detections out). It is registered like any other repo check, so its id,
 * title and outcome (passed / failed / not run) are in every plan.
 */
const base = defineCheck({
  id: ID,
  title: "The repository's Terraform declares what the live fixes set",
  subject: (o) => (terraformOf(o.repo) === undefined ? undefined : o.repo),
  detect: () => [],
});

export const terraformDeclaresLiveCheck: Check<typeof ID> = {
  ...base,
  follow(observation, changes) {
    const { repo } = observation;
    const terraform = terraformOf(repo);
    if (repo === undefined || terraform === undefined) return [];
    return changes.flatMap((change) => follow(repo, terraform, observation, change));
  },
};
