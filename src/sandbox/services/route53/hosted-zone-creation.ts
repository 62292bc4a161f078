import type { CreateHostedZoneResponse } from '@aws-sdk/client-route-53';

import { freshSeed } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { freshChangeId, delegationNameServers, hostedZoneId } from './route53-ids.js';
import { hostedZoneOutput } from './hosted-zones.js';
import { compareRecordPositions, normalizeDnsName, recordPosition } from './record-names.js';
import { AwsError } from '../../aws-error.js';
import type { HostedZoneState } from './route53-state.js';

const DOMAIN_LABELS = /^([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+$/;

/**
 * CreateHostedZone (https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html): a public
 * zone for `Name` (labels of at most 63 characters, 255 in all, at least two labels: `InvalidDomainName`) with its
 * NS and SOA records and a delegation set of four name servers. `CallerReference` (required, at most 128
 * characters) makes a retry safe: one used before is `HostedZoneAlreadyExists`. Private zones (`VPC`,
 * `HostedZoneConfig.PrivateZone`) are refused (`InvalidInput`): the sandbox serves public DNS only. Answers
 * 201 Created with the zone, the change (PENDING) and the delegation set.
 */
export function createHostedZone(state: SandboxState, input: InputReader, ctx: RequestContext): CreateHostedZoneResponse {
  const rawName = input.string('Name');
  const name = normalizeDnsName(rawName);
  if (name.length > 255 || !DOMAIN_LABELS.test(name) || name.split('.').length < 3) {
    throw new AwsError('InvalidDomainName', `${rawName} is reserved by AWS or is not a valid domain name.`);
  }
  const callerReference = input.string('CallerReference');
  if (callerReference.length < 1 || callerReference.length > 128) {
    throw new AwsError(
      'InvalidInput',
      "1 validation error detected: Value at 'callerReference' failed to satisfy constraint: Member must have length between 1 and 128",
    );
  }
  const config = input.optionalStruct('HostedZoneConfig');
  if (input.has('VPC') || config?.optionalBoolean('PrivateZone') === true) {
    throw new AwsError('InvalidInput', 'The sandbox serves public hosted zones only: leave out VPC and PrivateZone.');
  }
  const { hostedZones } = state.global.route53;
  if (hostedZones.some((z) => z.callerReference === callerReference)) {
    throw new AwsError(
      'HostedZoneAlreadyExists',
      `A hosted zone has already been created with the specified caller reference ${callerReference}.`,
      409,
    );
  }
  const seed = freshSeed(state, 'hosted-zone');
  const nameServers = delegationNameServers(seed);
  const comment = config?.optionalString('Comment');
  const zone: HostedZoneState = {
    id: hostedZoneId(seed),
    name,
    callerReference,
    ...(comment === undefined ? {} : { comment }),
    privateZone: false,
    nameServers,
    records: [
      { Name: name, Type: 'NS', TTL: 172800, ResourceRecords: nameServers.map((ns) => ({ Value: `${ns}.` })) },
      {
        Name: name,
        Type: 'SOA',
        TTL: 900,
        ResourceRecords: [{ Value: `${nameServers[0] ?? 'ns-1.awsdns-00.com'}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` }],
      },
    ],
  };
  zone.records.sort((a, b) => compareRecordPositions(recordPosition(a), recordPosition(b)));
  hostedZones.push(zone);
  const changeId = freshChangeId(state);
  state.global.route53.changes.push({ id: changeId, submittedAt: ctx.now.toISOString() });
  return {
    HostedZone: hostedZoneOutput(zone),
    ChangeInfo: { Id: `/change/${changeId}`, Status: 'PENDING', SubmittedAt: ctx.now },
    DelegationSet: { NameServers: [...nameServers] },
    Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}`,
  };
}
