import { createHash } from 'node:crypto';
import type { ChangeKind, ValueOf } from '../../../fixes/change-kinds.js';
import { isRedactedCommand } from '../../../fixes/task-definition/health-check-command.js';
import type { JsonValue } from '../../../model/json-value.js';
import { attributeAt, attributeOf, blocksOf, entryAt, nestedBlocks } from '../../../repo/terraform/find-attribute.js';
import { hclLiteral, replaceRanges } from '../../../repo/terraform/replace-attribute-value.js';
import type {
  Attribute,
  Block,
  Body,
  HclLiteral,
  HclValue,
  ObjectEntry,
  Position,
  TerraformFile,
} from '../../../repo/terraform/terraform-model.js';
import { TerraformScope } from '../../../repo/terraform/terraform-scope.js';

/** The live resources remediate changes, as Terraform declares them. */
export const declaredResources = {
  'target-group': { types: ['aws_lb_target_group', 'aws_alb_target_group'], matchBy: 'name' },
  'ecs-service': { types: ['aws_ecs_service'], matchBy: 'name' },
  'task-definition': { types: ['aws_ecs_task_definition'], matchBy: 'family' },
  listener: { types: ['aws_lb_listener', 'aws_alb_listener'], matchBy: 'port' },
  distribution: { types: ['aws_cloudfront_distribution'], matchBy: 'aliases' },
  'security-group': { types: ['aws_security_group'], matchBy: 'name' },
} as const;
export type DeclaredResource = keyof typeof declaredResources;

/**
 * One row of the live ↔ code table: a field of a change kind's value (a dotted path into it) and the Terraform
 * attribute that declares it (nested blocks, then the attribute; `[key=Field]` selects the one nested block or
 * object whose `key` is the live value's `Field`). `rewrite: false` rows are always a finding to change by hand.
 */
export interface LiveDeclaration {
  readonly kind: ChangeKind;
  readonly field: string;
  readonly resource: DeclaredResource;
  readonly attribute: string;
  readonly rewrite: boolean;
}

const row = (kind: ChangeKind, resource: DeclaredResource, field: string, attribute: string, rewrite = true): LiveDeclaration => ({
  kind,
  field,
  resource,
  attribute,
  rewrite,
});

/** Every live field remediate changes whose declaration it finds in Terraform: the only list (docs/terraform.md is tested against it). */
export const liveDeclarations: readonly LiveDeclaration[] = [
  row('elbv2.target-group-health-check', 'target-group', 'HealthCheckPath', 'health_check.path'),
  row('elbv2.target-group-health-check', 'target-group', 'Matcher.HttpCode', 'health_check.matcher'),
  row('elbv2.target-group-health-check', 'target-group', 'HealthCheckIntervalSeconds', 'health_check.interval'),
  row('elbv2.target-group-health-check', 'target-group', 'HealthCheckTimeoutSeconds', 'health_check.timeout'),
  row('elbv2.target-group-health-check', 'target-group', 'HealthyThresholdCount', 'health_check.healthy_threshold'),
  row('elbv2.target-group-health-check', 'target-group', 'UnhealthyThresholdCount', 'health_check.unhealthy_threshold'),
  row('elbv2.target-group-health-check', 'target-group', 'HealthCheckProtocol', 'health_check.protocol'),
  row('elbv2.target-group-health-check', 'target-group', 'HealthCheckPort', 'health_check.port'),
  row('elbv2.target-group-health-check', 'target-group', 'HealthCheckEnabled', 'health_check.enabled'),
  row('ecs.health-check-grace-period', 'ecs-service', 'healthCheckGracePeriodSeconds', 'health_check_grace_period_seconds'),
  row('ecs.deployment-circuit-breaker', 'ecs-service', 'deploymentCircuitBreaker.enable', 'deployment_circuit_breaker.enable'),
  row('ecs.deployment-circuit-breaker', 'ecs-service', 'deploymentCircuitBreaker.rollback', 'deployment_circuit_breaker.rollback'),
  row('elbv2.listener-tls', 'listener', 'SslPolicy', 'ssl_policy'),
  row('elbv2.listener-tls', 'listener', 'Certificates.0.CertificateArn', 'certificate_arn'),
  row('elbv2.https-listener', 'listener', 'Port', 'port'),
  row('elbv2.https-listener', 'listener', 'Protocol', 'protocol'),
  row('elbv2.https-listener', 'listener', 'SslPolicy', 'ssl_policy'),
  row('elbv2.https-listener', 'listener', 'Certificates.0.CertificateArn', 'certificate_arn'),
  row('elbv2.listener-default-actions', 'listener', 'DefaultActions.0.Type', 'default_action.type'),
  row('elbv2.listener-default-actions', 'listener', 'DefaultActions.0.RedirectConfig.Port', 'default_action.redirect.port'),
  row('elbv2.listener-default-actions', 'listener', 'DefaultActions.0.RedirectConfig.Protocol', 'default_action.redirect.protocol'),
  row('elbv2.listener-default-actions', 'listener', 'DefaultActions.0.RedirectConfig.StatusCode', 'default_action.redirect.status_code'),
  row(
    'cloudfront.distribution-config',
    'distribution',
    'Origins.Items.*.CustomOriginConfig.OriginProtocolPolicy',
    'origin[origin_id=Id].custom_origin_config.origin_protocol_policy',
  ),
  row(
    'cloudfront.distribution-config',
    'distribution',
    'DefaultCacheBehavior.ViewerProtocolPolicy',
    'default_cache_behavior.viewer_protocol_policy',
  ),
  row('ecs.task-definition', 'task-definition', 'cpu', 'cpu'),
  row('ecs.task-definition', 'task-definition', 'memory', 'memory'),
  row('ecs.task-definition', 'task-definition', 'image', 'container_definitions[name=container].image'),
  row('ecs.task-definition', 'task-definition', 'containerMemory', 'container_definitions[name=container].memory'),
  row('ecs.task-definition', 'task-definition', 'listen.PORT', 'container_definitions[name=container].environment[name=PORT].value'),
  row(
    'ecs.task-definition',
    'task-definition',
    'listen.HOSTNAME',
    'container_definitions[name=container].environment[name=HOSTNAME].value',
  ),
  row('ecs.task-definition', 'task-definition', 'healthCheck', 'container_definitions[name=container].healthCheck.command'),
  row(
    'ec2.security-group-ingress',
    'security-group',
    'IngressRules',
    'ingress / aws_vpc_security_group_ingress_rule / aws_security_group_rule',
    false,
  ),
  row(
    'ec2.security-group-egress',
    'security-group',
    'EgressRules',
    'egress / aws_vpc_security_group_egress_rule / aws_security_group_rule',
    false,
  ),
];

/** The kinds whose changes have a declaration in the table. */
export type MappedKind =
  | 'elbv2.target-group-health-check'
  | 'ecs.health-check-grace-period'
  | 'ecs.deployment-circuit-breaker'
  | 'elbv2.listener-tls'
  | 'elbv2.https-listener'
  | 'elbv2.listener-default-actions'
  | 'cloudfront.distribution-config'
  | 'ecs.task-definition'
  | 'ec2.security-group-ingress'
  | 'ec2.security-group-egress';

/** A live change, as its kind's module shapes its values. */
export type LiveChange = {
  [K in MappedKind]: { readonly kind: K; readonly before: ValueOf<K> | null; readonly after: ValueOf<K> | null };
}[MappedKind];

/** What identifies the live resource among the declarations: its name (target group, service, task family, group), tags, listener port, aliases. */
export interface LiveTarget {
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly aliases?: readonly string[];
}

/** One declared field, compared with the live change's value. */
export type FieldResult =
  | {
      /** The declaration is a literal: the edit rewrites exactly its bytes. */
      readonly kind: 'rewrite';
      readonly field: string;
      readonly attribute: string;
      readonly file: string;
      readonly line: number;
      readonly range: Position['range'];
      readonly before: string;
      readonly replacement: string;
    }
  | { readonly kind: 'in-sync'; readonly field: string; readonly attribute: string; readonly file: string; readonly line: number }
  | {
      /** Not rewritable safely: a variable, a local, a module output, a heredoc or file(), an absent attribute. */
      readonly kind: 'manual';
      readonly field: string;
      readonly attribute: string;
      readonly file: string;
      readonly line: number;
      readonly reason: string;
    };

export type DeclarationResult =
  | { readonly status: 'undeclared'; readonly reason: string }
  | {
      readonly status: 'declared';
      /** `aws_lb_target_group.api` */
      readonly address: string;
      readonly file: string;
      readonly line: number;
      readonly fields: readonly FieldResult[];
    };

function jsonAt(value: JsonValue | null | undefined, path: readonly string[]): JsonValue | undefined {
  let at: JsonValue | undefined = value ?? undefined;
  for (const key of path) {
    if (at === undefined || at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? at[Number(key)] : at[key];
  }
  return at;
}

function asLiteral(value: JsonValue | undefined): HclLiteral | readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  return typeof value === 'object' && value !== null ? undefined : value;
}

/** The new literal in the type the declaration already has (`"443"` stays a string, `30` a number). */
function inDeclaredType(existing: HclLiteral, live: HclLiteral): HclLiteral {
  if (typeof existing === 'string' && typeof live === 'number') return String(live);
  if (typeof existing === 'number' && typeof live === 'string' && live.trim() !== '' && Number.isFinite(Number(live))) return Number(live);
  return live;
}

const sameLiteral = (a: HclLiteral, b: HclLiteral) => a === b || (a !== null && b !== null && String(a) === String(b));

interface Holder {
  readonly file: TerraformFile;
  readonly holder: Attribute | ObjectEntry | undefined;
  /** The innermost block or object reached: where a missing attribute would be added. */
  readonly near: Position;
  readonly problem?: { readonly line: number; readonly reason: string };
}

/** A path segment `name` or `name[key=Field]`, the selector's value taken from the live value's item. */
function parseSegment(segment: string): { name: string; key?: string; field?: string } {
  const m = /^([\w.]+)\[(\w+)=(\w+)\]$/.exec(segment);
  return m === null ? { name: segment } : { name: m[1] ?? segment, key: m[2], field: m[3] };
}

class Locator {
  constructor(
    private readonly scope: TerraformScope,
    private readonly file: TerraformFile,
    private readonly block: Block,
  ) {}

  /** Follows an attribute path of the table from the resource block; `select` gives a selector's live value. */
  find(attribute: string, select: (field: string) => JsonValue | undefined): Holder {
    let body: Body = this.block.body;
    let near: Position = this.block;
    const segments = attribute.split('.').map(parseSegment);
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (seg === undefined) break;
      const last = i === segments.length - 1;
      const wanted = seg.field === undefined ? undefined : select(seg.field);
      const blocks = nestedBlocks(body, seg.name);
      const attr = attributeOf(body, seg.name);
      if (attr !== undefined) {
        if (last) return { file: this.file, holder: attr, near };
        return this.intoValue(attr.value, segments.slice(i), wanted, select);
      }
      const chosen =
        seg.key === undefined
          ? blocks[0]
          : blocks.find((b) => {
              const key = attributeOf(b.body, seg.key ?? '');
              return key !== undefined && this.scope.evaluate(key.value) === wanted;
            });
      if (chosen === undefined || last) return { file: this.file, holder: undefined, near };
      body = chosen.body;
      near = chosen;
    }
    return { file: this.file, holder: undefined, near };
  }

  /** Into an attribute's value: `jsonencode([...])` of objects, tuples selected by key, nested objects. */
  private intoValue(
    start: HclValue,
    segments: readonly ReturnType<typeof parseSegment>[],
    firstWanted: JsonValue | undefined,
    select: (field: string) => JsonValue | undefined,
  ): Holder {
    let value: HclValue = start;
    let holder: ObjectEntry | undefined;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (seg === undefined) break;
      if (i > 0) {
        const entry = entryAt(value, [seg.name]);
        if (entry === undefined) return { file: this.file, holder: undefined, near: value };
        holder = entry;
        value = entry.value;
      }
      if (seg.key === undefined) continue;
      const wanted = i === 0 ? firstWanted : select(seg.field ?? '');
      if (value.kind === 'call' && value.name === 'jsonencode' && value.args.length === 1 && value.args[0] !== undefined)
        value = value.args[0];
      if (value.kind !== 'tuple') {
        const what = value.kind === 'call' ? `${value.name}(…)` : value.kind === 'expression' ? value.text.split('\n')[0] : value.kind;
        return {
          file: this.file,
          holder: undefined,
          near: value,
          problem: {
            line: value.line,
            reason: `${seg.name} is ${what}: remediate rewrites only a jsonencode([...]) literal, so change it by hand`,
          },
        };
      }
      const item = value.items.find((it) => {
        const key = entryAt(it, [seg.key ?? '']);
        return key !== undefined && this.scope.evaluate(key.value) === wanted;
      });
      if (item === undefined) return { file: this.file, holder: undefined, near: value };
      value = item;
    }
    return { file: this.file, holder, near: value };
  }
}

/** Compares one declared field with the live value it should now have. */
function compare(
  scope: TerraformScope,
  rowOf: LiveDeclaration,
  found: Holder,
  live: HclLiteral | readonly string[],
  field = rowOf.field,
): FieldResult {
  const base = { field, attribute: rowOf.attribute, file: found.file.path };
  const shown = typeof live === 'object' && live !== null ? `[${live.map((s) => hclLiteral(s)).join(', ')}]` : hclLiteral(live);
  if (found.problem !== undefined) return { ...base, kind: 'manual', line: found.problem.line, reason: found.problem.reason };
  if (found.holder === undefined) {
    return {
      ...base,
      kind: 'manual',
      line: found.near.line,
      reason: `${rowOf.attribute} is not declared here: add it as ${shown} so that terraform apply keeps the fix`,
    };
  }
  const value = found.holder.value;
  if (Array.isArray(live)) {
    const items = value.kind === 'tuple' ? value.items : undefined;
    const literals = items?.map((it) => (it.kind === 'literal' ? it.value : undefined));
    if (literals === undefined || literals.some((l) => typeof l !== 'string')) {
      const where = scope.whereSet(found.file, value);
      return { ...base, kind: 'manual', file: where.file, line: where.line, reason: `set it to ${shown}: ${where.because}` };
    }
    if (literals.length === live.length && literals.every((l, i) => l === live[i])) return { ...base, kind: 'in-sync', line: value.line };
    return rewrite(base, found.file, value, shown);
  }
  const single = live as HclLiteral;
  if (value.kind !== 'literal') {
    const evaluated = scope.evaluate(value);
    if (evaluated !== undefined && sameLiteral(evaluated, single)) return { ...base, kind: 'in-sync', line: value.line };
    const where = scope.whereSet(found.file, value);
    return { ...base, kind: 'manual', file: where.file, line: where.line, reason: `set it to ${shown}: ${where.because}` };
  }
  if (sameLiteral(value.value, single)) return { ...base, kind: 'in-sync', line: value.line };
  return rewrite(base, found.file, value, hclLiteral(inDeclaredType(value.value, single)));
}

function rewrite(
  base: { field: string; attribute: string; file: string },
  file: TerraformFile,
  value: HclValue,
  replacement: string,
): FieldResult {
  return {
    ...base,
    kind: 'rewrite',
    line: value.line,
    range: value.range,
    before: file.text.slice(value.range.start, value.range.end),
    replacement,
  };
}

/** The resource block that declares the live resource, and how it was matched. */
function declarationOf(
  scope: TerraformScope,
  resource: DeclaredResource,
  target: LiveTarget,
): { file: TerraformFile; block: Block } | undefined {
  const { types, matchBy } = declaredResources[resource];
  const candidates = scope.files.flatMap((file) =>
    types.flatMap((type) => blocksOf(file, 'resource', [type]).map((block) => ({ file, block }))),
  );
  const literal = (b: Block, name: string) => {
    const a = attributeOf(b.body, name);
    return a === undefined ? undefined : scope.evaluate(a.value);
  };
  const byTags = (b: Block) => {
    const tags = attributeAt(b.body, ['tags']);
    if (tags === undefined || target.tags === undefined || tags.value.kind !== 'object') return false;
    const name = target.tags['Name'];
    return name !== undefined && tags.value.entries.some((e) => e.key === 'Name' && scope.evaluate(e.value) === name);
  };
  return candidates.find(({ block }) => {
    switch (matchBy) {
      case 'port':
        return target.port !== undefined && sameLiteral(literal(block, 'port') ?? null, target.port);
      case 'aliases': {
        const aliases = attributeOf(block.body, 'aliases')?.value;
        const declared = aliases?.kind === 'tuple' ? aliases.items.map((i) => scope.evaluate(i)) : [];
        return (target.aliases ?? []).some((a) => declared.includes(a)) || byTags(block);
      }
      default:
        return (target.name !== undefined && literal(block, matchBy) === target.name) || byTags(block);
    }
  });
}

function changedFields(
  rowsOf: readonly LiveDeclaration[],
  change: LiveChange,
): { row: LiveDeclaration; path: string[]; live: JsonValue | undefined; item?: JsonValue }[] {
  const out: { row: LiveDeclaration; path: string[]; live: JsonValue | undefined; item?: JsonValue }[] = [];
  for (const r of rowsOf) {
    const path = r.field.split('.');
    const star = path.indexOf('*');
    if (star < 0) {
      const after = jsonAt(change.after, path);
      if (after !== undefined && JSON.stringify(jsonAt(change.before, path) ?? null) !== JSON.stringify(after))
        out.push({ row: r, path, live: after });
      continue;
    }
    const list = jsonAt(change.after, path.slice(0, star));
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      const concrete = [...path.slice(0, star), String(i), ...path.slice(star + 1)];
      const after = jsonAt(change.after, concrete);
      if (after !== undefined && JSON.stringify(jsonAt(change.before, concrete) ?? null) !== JSON.stringify(after))
        out.push({ row: r, path: concrete, live: after, item });
    });
  }
  return out;
}

/**
 * Where the repository's Terraform declares what a live change changes, and what to do about each changed field:
 * rewrite a literal in place, nothing (already declared so), or change a line by hand (a variable's default, a
 * local, a module, a heredoc or file()). Security-group rules are always by hand, with the line of the rule.
 */
export function declarationsFor(files: readonly TerraformFile[], change: LiveChange, target: LiveTarget): DeclarationResult {
  const scope = new TerraformScope(files);
  const rowsOf = liveDeclarations.filter((r) => r.kind === change.kind);
  const resource = rowsOf[0]?.resource;
  if (resource === undefined) return { status: 'undeclared', reason: `remediate maps no field of ${change.kind} to Terraform` };
  const found = declarationOf(scope, resource, target);
  if (found === undefined) {
    return {
      status: 'undeclared',
      reason: `no ${declaredResources[resource].types.join(' or ')} resource in the repository matches ${JSON.stringify(target)}`,
    };
  }
  const { file, block } = found;
  const head = {
    status: 'declared' as const,
    address: `${block.labels[0] ?? ''}.${block.labels[1] ?? ''}`,
    file: file.path,
    line: block.line,
  };
  if (change.kind === 'ec2.security-group-ingress' || change.kind === 'ec2.security-group-egress') {
    return { ...head, fields: securityGroupFields(scope, file, block, change) };
  }
  const locator = new Locator(scope, file, block);
  const fields: FieldResult[] = [];
  for (const { row: r, path, live, item } of changedFields(rowsOf, change)) {
    const literal = asLiteral(live);
    if (literal === undefined) continue;
    if (Array.isArray(literal) && isRedactedCommand(literal)) {
      // A command that carries credentials is never read back nor written by remediate (health-check-command.ts).
      fields.push({
        kind: 'manual',
        field: path.join('.'),
        attribute: r.attribute,
        file: file.path,
        line: block.line,
        reason: 'the health-check command carries credentials: remediate never writes it, change it by hand',
      });
      continue;
    }
    const select = (field: string): JsonValue | undefined => {
      if (item !== undefined && typeof item === 'object' && item !== null && !Array.isArray(item)) return item[field];
      if (field === 'container') return jsonAt(change.after, ['container']);
      return field;
    };
    fields.push(compare(scope, r, locator.find(r.attribute, select), literal, path.join('.')));
  }
  return { ...head, fields };
}

interface Rule {
  readonly IpProtocol: string;
  readonly FromPort: number;
  readonly ToPort: number;
  readonly peer: string;
}

function rulesOf(value: JsonValue | null, key: string, peerKey: string): Rule[] {
  const list = jsonAt(value, [key]);
  if (!Array.isArray(list)) return [];
  return list.flatMap((r) => {
    const p = asLiteral(jsonAt(r, ['IpProtocol']));
    const from = jsonAt(r, ['FromPort']);
    const to = jsonAt(r, ['ToPort']);
    const peer = jsonAt(r, [peerKey]);
    return typeof p === 'string' && typeof from === 'number' && typeof to === 'number' && typeof peer === 'string'
      ? [{ IpProtocol: p, FromPort: from, ToPort: to, peer }]
      : [];
  });
}

const ruleKey = (r: Rule) => `${r.IpProtocol}|${r.FromPort}|${r.ToPort}|${r.peer}`;
const describeRule = (r: Rule) =>
  `${r.IpProtocol === '-1' ? 'all traffic' : `${r.IpProtocol} ${r.FromPort}${r.ToPort === r.FromPort ? '' : `-${r.ToPort}`}`} ${r.peer}`;

/** Security-group rules, by hand: the line of each declared rule the change removes, and the group's line for each it adds. */
function securityGroupFields(
  scope: TerraformScope,
  file: TerraformFile,
  group: Block,
  change: Extract<LiveChange, { kind: 'ec2.security-group-ingress' | 'ec2.security-group-egress' }>,
): FieldResult[] {
  const ingress = change.kind === 'ec2.security-group-ingress';
  const [key, peerKey, direction] = ingress ? ['IngressRules', 'Source', 'ingress'] : ['EgressRules', 'Destination', 'egress'];
  const attribute = liveDeclarations.find((r) => r.kind === change.kind)?.attribute ?? direction;
  const before = rulesOf(change.before, key, peerKey);
  const after = rulesOf(change.after, key, peerKey);
  const afterKeys = new Set(after.map(ruleKey));
  const beforeKeys = new Set(before.map(ruleKey));
  const num = (body: Body, name: string) => {
    const a = attributeOf(body, name);
    return a === undefined ? undefined : scope.evaluate(a.value);
  };
  const protocolOf = (v: HclLiteral | undefined) =>
    v === 'all' || v === '-1' || v === -1 ? '-1' : v === '6' ? 'tcp' : typeof v === 'string' ? v.toLowerCase() : v;
  const portsMatch = (r: Rule, body: Body, protocolAttr: string) =>
    protocolOf(num(body, protocolAttr)) === r.IpProtocol &&
    (r.IpProtocol === '-1' ||
      (sameLiteral(num(body, 'from_port') ?? null, r.FromPort) && sameLiteral(num(body, 'to_port') ?? null, r.ToPort)));
  const groupRef = `aws_security_group.${group.labels[1] ?? ''}.id`;
  const declaredAt = (r: Rule): { file: string; line: number } | undefined => {
    for (const b of nestedBlocks(group.body, direction)) {
      const cidrs = attributeOf(b.body, r.peer.includes(':') ? 'ipv6_cidr_blocks' : 'cidr_blocks')?.value;
      const list = cidrs?.kind === 'tuple' ? cidrs.items.map((i) => scope.evaluate(i)) : [];
      if (portsMatch(r, b.body, 'protocol') && list.includes(r.peer)) return { file: file.path, line: b.line };
    }
    for (const f of scope.files) {
      for (const type of [`aws_vpc_security_group_${direction}_rule`, 'aws_security_group_rule']) {
        for (const b of blocksOf(f, 'resource', [type])) {
          const sg = attributeOf(b.body, 'security_group_id')?.value;
          if (sg?.kind !== 'expression' || sg.text.trim() !== groupRef) continue;
          if (type === 'aws_security_group_rule' && num(b.body, 'type') !== direction) continue;
          const cidr =
            type === 'aws_security_group_rule'
              ? attributeOf(b.body, 'cidr_blocks')?.value
              : attributeOf(b.body, r.peer.includes(':') ? 'cidr_ipv6' : 'cidr_ipv4')?.value;
          const peers = cidr === undefined ? [] : cidr.kind === 'tuple' ? cidr.items.map((i) => scope.evaluate(i)) : [scope.evaluate(cidr)];
          if (portsMatch(r, b.body, type === 'aws_security_group_rule' ? 'protocol' : 'ip_protocol') && peers.includes(r.peer))
            return { file: f.path, line: b.line };
        }
      }
    }
    return undefined;
  };
  const out: FieldResult[] = [];
  for (const r of before.filter((x) => !afterKeys.has(ruleKey(x)))) {
    const at = declaredAt(r);
    if (at !== undefined)
      out.push({
        kind: 'manual',
        field: key,
        attribute,
        ...at,
        reason: `remove the ${direction} rule ${describeRule(r)}: the live fix revoked it`,
      });
  }
  for (const r of after.filter((x) => !beforeKeys.has(ruleKey(x)))) {
    if (declaredAt(r) !== undefined) continue;
    out.push({
      kind: 'manual',
      field: key,
      attribute,
      file: file.path,
      line: group.line,
      reason: `add the ${direction} rule ${describeRule(r)} to this group: the live fix authorized it`,
    });
  }
  return out;
}

/** A file's content, as a `repo.file-patch` value names it: the path, the SHA-256 of the bytes, the bytes. */
export interface FileContent {
  readonly path: string;
  readonly sha256: string;
  readonly content: string;
}

export const sha256Of = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

/** The rewrites of the results, one patch per file: `before` the file as read, `after` it with only the values' bytes replaced. */
export function filePatches(
  files: readonly TerraformFile[],
  results: readonly DeclarationResult[],
): { before: FileContent; after: FileContent }[] {
  const byFile = new Map<string, { range: Position['range']; replacement: string }[]>();
  for (const result of results) {
    if (result.status !== 'declared') continue;
    for (const f of result.fields)
      if (f.kind === 'rewrite') byFile.set(f.file, [...(byFile.get(f.file) ?? []), { range: f.range, replacement: f.replacement }]);
  }
  return [...byFile].flatMap(([path, edits]) => {
    const file = files.find((f) => f.path === path);
    if (file === undefined) return [];
    const content = replaceRanges(file.text, edits);
    return [{ before: { path, sha256: sha256Of(file.text), content: file.text }, after: { path, sha256: sha256Of(content), content } }];
  });
}
