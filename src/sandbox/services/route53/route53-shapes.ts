import {
  required,
  xmlBoolean,
  xmlEnum,
  xmlInteger,
  xmlList,
  xmlString,
  xmlStructure,
  xmlTimestamp,
  type StructureShape,
} from '../../protocols/rest-xml-shapes.js';

/**
 * The XML shapes of the Route53 documents the sandbox reads and writes (API 2013-04-01),
 * transcribed from the service model as the SDK (`@aws-sdk/client-route-53`) carries it: members in
 * the model's order, lists wrapped with their item element (`<ResourceRecordSets><ResourceRecordSet>`).
 */

/** The record types Route53 serves. */
export const RECORD_TYPES = [
  'SOA',
  'A',
  'TXT',
  'NS',
  'CNAME',
  'MX',
  'NAPTR',
  'PTR',
  'SRV',
  'SPF',
  'AAAA',
  'CAA',
  'DS',
  'SSHFP',
  'SVCB',
  'TLSA',
  'HTTPS',
] as const;

const hostedZone = xmlStructure({
  Id: xmlString,
  Name: xmlString,
  CallerReference: xmlString,
  Config: xmlStructure({ Comment: xmlString, PrivateZone: xmlBoolean }),
  ResourceRecordSetCount: xmlInteger,
  LinkedService: xmlStructure({ ServicePrincipal: xmlString, Description: xmlString }),
  Features: xmlStructure({
    AcceleratedRecoveryStatus: xmlString,
    FailureReasons: xmlStructure({ AcceleratedRecovery: xmlString }),
  }),
});

/** A record set, as ChangeResourceRecordSets takes it and ListResourceRecordSets returns it. */
export const resourceRecordSetShape: StructureShape = xmlStructure({
  Name: required(xmlString),
  Type: required(xmlEnum(RECORD_TYPES)),
  SetIdentifier: xmlString,
  Weight: xmlInteger,
  Region: xmlString,
  GeoLocation: xmlStructure({ ContinentCode: xmlString, CountryCode: xmlString, SubdivisionCode: xmlString }),
  Failover: xmlEnum(['PRIMARY', 'SECONDARY']),
  MultiValueAnswer: xmlBoolean,
  TTL: xmlInteger,
  ResourceRecords: xmlList(xmlStructure({ Value: required(xmlString) }), 'ResourceRecord'),
  AliasTarget: xmlStructure({
    HostedZoneId: required(xmlString),
    DNSName: required(xmlString),
    EvaluateTargetHealth: required(xmlBoolean),
  }),
  HealthCheckId: xmlString,
  TrafficPolicyInstanceId: xmlString,
  CidrRoutingConfig: xmlStructure({ CollectionId: required(xmlString), LocationName: required(xmlString) }),
  GeoProximityLocation: xmlStructure({
    AWSRegion: xmlString,
    LocalZoneGroup: xmlString,
    Coordinates: xmlStructure({ Latitude: required(xmlString), Longitude: required(xmlString) }),
    Bias: xmlInteger,
  }),
});

const changeInfo = xmlStructure({ Id: xmlString, Status: xmlString, SubmittedAt: xmlTimestamp, Comment: xmlString });

/** The body of ChangeResourceRecordSets requests (`<ChangeResourceRecordSetsRequest>`). */
export const changeResourceRecordSetsRequestShape: StructureShape = xmlStructure({
  ChangeBatch: required(
    xmlStructure({
      Comment: xmlString,
      Changes: required(
        xmlList(
          xmlStructure({
            Action: required(xmlEnum(['CREATE', 'DELETE', 'UPSERT'])),
            ResourceRecordSet: required(resourceRecordSetShape),
          }),
          'Change',
        ),
      ),
    }),
  ),
});

/** `<ListHostedZonesResponse>`. */
export const listHostedZonesResponseShape: StructureShape = xmlStructure({
  HostedZones: xmlList(hostedZone, 'HostedZone'),
  Marker: xmlString,
  IsTruncated: xmlBoolean,
  NextMarker: xmlString,
  MaxItems: xmlInteger,
});

/** `<ListHostedZonesByNameResponse>`. */
export const listHostedZonesByNameResponseShape: StructureShape = xmlStructure({
  HostedZones: xmlList(hostedZone, 'HostedZone'),
  DNSName: xmlString,
  HostedZoneId: xmlString,
  IsTruncated: xmlBoolean,
  NextDNSName: xmlString,
  NextHostedZoneId: xmlString,
  MaxItems: xmlInteger,
});

/** `<GetHostedZoneResponse>`. */
export const getHostedZoneResponseShape: StructureShape = xmlStructure({
  HostedZone: hostedZone,
  DelegationSet: xmlStructure({ Id: xmlString, CallerReference: xmlString, NameServers: xmlList(xmlString, 'NameServer') }),
  VPCs: xmlList(xmlStructure({ VPCRegion: xmlString, VPCId: xmlString }), 'VPC'),
});

/** `<ListResourceRecordSetsResponse>`. */
export const listResourceRecordSetsResponseShape: StructureShape = xmlStructure({
  ResourceRecordSets: xmlList(resourceRecordSetShape, 'ResourceRecordSet'),
  IsTruncated: xmlBoolean,
  NextRecordName: xmlString,
  NextRecordType: xmlString,
  NextRecordIdentifier: xmlString,
  MaxItems: xmlInteger,
});

/** `<ChangeResourceRecordSetsResponse>`. */
export const changeResourceRecordSetsResponseShape: StructureShape = xmlStructure({ ChangeInfo: changeInfo });

/** `<GetChangeResponse>`. */
export const getChangeResponseShape: StructureShape = xmlStructure({ ChangeInfo: changeInfo });

/** The body of CreateHostedZone requests (`<CreateHostedZoneRequest>`). */
export const createHostedZoneRequestShape: StructureShape = xmlStructure({
  Name: required(xmlString),
  VPC: xmlStructure({ VPCRegion: xmlString, VPCId: xmlString }),
  CallerReference: required(xmlString),
  HostedZoneConfig: xmlStructure({ Comment: xmlString, PrivateZone: xmlBoolean }),
  DelegationSetId: xmlString,
});

/** `<CreateHostedZoneResponse>`. */
export const createHostedZoneResponseShape: StructureShape = xmlStructure({
  HostedZone: hostedZone,
  ChangeInfo: changeInfo,
  DelegationSet: xmlStructure({ Id: xmlString, CallerReference: xmlString, NameServers: xmlList(xmlString, 'NameServer') }),
  VPC: xmlStructure({ VPCRegion: xmlString, VPCId: xmlString }),
});
