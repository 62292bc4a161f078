import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { JsonObject } from '../../../model/json-value.js';
import type { Severity } from '../../../model/plan.js';
import { absoluteDnsName, bareHostedZoneId, recordSetValue, type RecordSetValue } from '../../../fixes/route53-record-set.js';
import { defineCheck, type Check, type Detection } from '../../check.js';
import { aliasesCheck } from '../../cloudfront/aliases.js';
import { aliasMatches, expectedAlias, type ExpectedAlias } from './alias-target.js';
import { bareName, loadBalancerDnsName } from '../../../aws/dns-names.js';
import type { Observation } from '../../../observe/observation.js';

type Which = 'apex' | 'www';

/**
 * `dns.apex-alias` and `dns.www-alias`: the A (and, when the target serves IPv6, AAAA) record sets of the
 * name alias the stack's distribution, or its load balancer when the stack has no CloudFront. One finding per
 * record set, each with its own `route53.record-set` change (create or upsert). `www` is expected whenever
 * there is a distribution (it must answer for www) or some www record already exists. A CNAME, or records
 * with a routing policy, are reported with a next step and never changed.
 */
export function aliasRecordsCheck<W extends Which>(which: W): Check<`dns.${W}-alias`> {
  return defineCheck({
    id: `dns.${which}-alias` as const,
    title: `${which === 'apex' ? 'The apex' : 'www'} A/AAAA records alias the distribution (or, without CloudFront, the load balancer)`,
    subject: (o) => {
      const expected = expectedAlias(o);
      return o.dns === undefined || expected === undefined ? undefined : { dns: o.dns, expected };
    },
    detect({ dns, expected }, o) {
      const domain = bareName(o.stack.domain);
      const host = which === 'apex' ? domain : `www.${domain}`;
      const ctx: RecordContext = { o, which, host, zoneId: bareHostedZoneId(dns.zone.Id), expected };
      const atName = dns.records.filter((r) => bareName(r.Name) === host);
      const cname = atName.find((r) => r.Type === 'CNAME');
      if (cname !== undefined) return [cnameDetection(ctx, cname)];
      if (which === 'www' && expected.kind === 'load-balancer' && atName.length === 0) return [];
      const types = ['A', ...(expected.ipv6 || atName.some((r) => r.Type === 'AAAA') ? ['AAAA'] : [])];
      return types.flatMap((type) =>
        recordDetections(
          ctx,
          type,
          atName.filter((r) => r.Type === type),
        ),
      );
    },
  });
}

interface RecordContext {
  readonly o: Observation;
  readonly which: Which;
  readonly host: string;
  readonly zoneId: string;
  readonly expected: ExpectedAlias;
}

function recordDetections(ctx: RecordContext, type: string, records: readonly ResourceRecordSet[]): Detection[] {
  const { host, expected } = ctx;
  const name = absoluteDnsName(host);
  const routed = records.filter((r) => r.SetIdentifier !== undefined);
  if (routed.length > 0) {
    const wrong = routed.filter((r) => !aliasMatches(expected, r.AliasTarget));
    if (wrong.length === 0) return [];
    return [
      {
        finding: {
          severity: severityOf(ctx, type, 'wrong'),
          resource: recordResource(ctx, type),
          title: `${host} ${type} has records with a routing policy that do not alias ${expected.label}`,
          evidence: {
            ...baseEvidence(ctx, type),
            found: wrong.map((r) => ({ SetIdentifier: r.SetIdentifier ?? '', ...recordSetValue(r) })),
          },
          nextStep: `not planned: records with a routing policy (${wrong.map((r) => r.SetIdentifier ?? '').join(', ')}) are not changed by remediate; point each at ${bareName(expected.target.DNSName)} (hosted zone ${expected.target.HostedZoneId})`,
        },
      },
    ];
  }
  const simple = records[0];
  if (simple !== undefined && aliasMatches(expected, simple.AliasTarget)) return [];
  const before = simple === undefined ? null : recordSetValue(simple);
  const evaluate =
    expected.kind === 'load-balancer' ? (simple?.AliasTarget?.EvaluateTargetHealth ?? expected.target.EvaluateTargetHealth) : false;
  const after: RecordSetValue = {
    Name: name,
    Type: type,
    AliasTarget: { HostedZoneId: expected.target.HostedZoneId, DNSName: expected.target.DNSName, EvaluateTargetHealth: evaluate },
    ...(simple?.HealthCheckId !== undefined ? { HealthCheckId: simple.HealthCheckId } : {}),
  };
  const title =
    simple === undefined
      ? `${host} has no ${type} record (it should alias ${expected.label})`
      : simple.AliasTarget !== undefined
        ? `${host} ${type} aliases ${bareName(simple.AliasTarget.DNSName)}, not ${expected.label}`
        : `${host} ${type} holds fixed addresses (${(simple.ResourceRecords ?? []).map((r) => r.Value ?? '').join(', ')}) instead of aliasing ${expected.label}`;
  return [
    {
      finding: {
        severity: severityOf(ctx, type, simple === undefined ? 'missing' : 'wrong'),
        resource: recordResource(ctx, type),
        title,
        evidence: { ...baseEvidence(ctx, type), found: before },
      },
      change: {
        kind: 'route53.record-set',
        action: before === null ? 'create' : 'update',
        resource: recordResource(ctx, type),
        label: `${name} ${type}`,
        locator: { hostedZoneId: ctx.zoneId, name, type },
        before,
        after,
        requires: expected.kind === 'distribution' ? [aliasesCheck.id] : [],
        reason: `${host} ${type} must alias ${expected.label}`,
      },
    },
  ];
}

function cnameDetection(ctx: RecordContext, cname: ResourceRecordSet): Detection {
  const { host, expected, zoneId } = ctx;
  const target = cname.ResourceRecords?.[0]?.Value ?? '';
  const right =
    expected.kind === 'distribution'
      ? bareName(target) === bareName(expected.target.DNSName)
      : loadBalancerDnsName(target) === loadBalancerDnsName(expected.target.DNSName);
  const types = ['A', ...(expected.ipv6 ? ['AAAA'] : [])];
  const batch = {
    Changes: [
      { Action: 'DELETE', ResourceRecordSet: recordSetValue(cname) },
      ...types.map((type) => ({
        Action: 'CREATE',
        ResourceRecordSet: { Name: absoluteDnsName(host), Type: type, AliasTarget: expected.target },
      })),
    ],
  };
  return {
    finding: {
      severity: right ? 'low' : 'high',
      resource: recordResource(ctx, 'CNAME'),
      title: right
        ? `${host} is a CNAME to ${bareName(target)} where alias ${types.join('/')} records are expected`
        : `${host} is a CNAME to ${bareName(target)}, not ${expected.label}`,
      evidence: { ...baseEvidence(ctx, 'CNAME'), found: recordSetValue(cname) },
      nextStep: `not planned (a CNAME excludes every other record of the name, so it must be replaced in one batch): aws route53 change-resource-record-sets --hosted-zone-id ${zoneId} --change-batch '${JSON.stringify(batch)}'`,
    },
  };
}

function severityOf(ctx: RecordContext, type: string, state: 'missing' | 'wrong'): Severity {
  if (state === 'missing' && type === 'AAAA') return 'medium';
  return ctx.which === 'apex' ? 'critical' : 'high';
}

function baseEvidence(ctx: RecordContext, type: string): JsonObject {
  return {
    record: `${absoluteDnsName(ctx.host)} ${type}`,
    hostedZone: ctx.zoneId,
    expectedTarget: ctx.expected.label,
    expected: { ...ctx.expected.target },
    otherRecordsAtName: (ctx.o.dns?.records ?? []).filter((r) => bareName(r.Name) === ctx.host && r.Type !== type).map((r) => r.Type ?? ''),
  };
}

/** A record set has no ARN: it is named by its hosted zone, name and type. */
function recordResource(ctx: RecordContext, type: string): string {
  return `hostedzone/${ctx.zoneId}/${absoluteDnsName(ctx.host)}/${type}`;
}
