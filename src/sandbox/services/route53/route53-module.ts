import { restXmlProtocol } from '../../protocols/rest-xml.js';
import type { ServiceModule } from '../service-module.js';
import { getChange } from './changes.js';
import { getHostedZone, listHostedZones, listHostedZonesByName } from './hosted-zones.js';
import { createHostedZone } from './hosted-zone-creation.js';
import { changeResourceRecordSets } from './record-changes.js';
import { listResourceRecordSets } from './record-listing.js';
import { route53Errors } from './route53-errors.js';
import {
  changeResourceRecordSetsRequestShape,
  changeResourceRecordSetsResponseShape,
  createHostedZoneRequestShape,
  createHostedZoneResponseShape,
  getChangeResponseShape,
  getHostedZoneResponseShape,
  listHostedZonesByNameResponseShape,
  listHostedZonesResponseShape,
  listResourceRecordSetsResponseShape,
} from './route53-shapes.js';

/** Amazon Route 53 (global), over REST-XML, API version 2013-04-01: hosted zones and their record sets. */
export const route53Module: ServiceModule = {
  name: 'route53',
  protocol: restXmlProtocol({
    pathPrefix: '/2013-04-01/',
    xmlNamespace: 'https://route53.amazonaws.com/doc/2013-04-01/',
    malformed: route53Errors.invalidInput,
    labelPrefixes: ['/hostedzone/', '/change/'],
    operations: {
      ListHostedZones: {
        method: 'GET',
        path: '/2013-04-01/hostedzone',
        input: {
          query: { marker: 'Marker', maxitems: 'MaxItems', delegationsetid: 'DelegationSetId', hostedzonetype: 'HostedZoneType' },
        },
        output: { body: { element: 'ListHostedZonesResponse', shape: listHostedZonesResponseShape } },
      },
      CreateHostedZone: {
        method: 'POST',
        path: '/2013-04-01/hostedzone',
        input: { body: { element: 'CreateHostedZoneRequest', shape: createHostedZoneRequestShape } },
        output: {
          status: 201,
          headers: { Location: 'Location' },
          body: { element: 'CreateHostedZoneResponse', shape: createHostedZoneResponseShape },
        },
      },
      ListHostedZonesByName: {
        method: 'GET',
        path: '/2013-04-01/hostedzonesbyname',
        input: { query: { dnsname: 'DNSName', hostedzoneid: 'HostedZoneId', maxitems: 'MaxItems' } },
        output: { body: { element: 'ListHostedZonesByNameResponse', shape: listHostedZonesByNameResponseShape } },
      },
      GetHostedZone: {
        method: 'GET',
        path: '/2013-04-01/hostedzone/{Id}',
        output: { body: { element: 'GetHostedZoneResponse', shape: getHostedZoneResponseShape } },
      },
      ListResourceRecordSets: {
        method: 'GET',
        path: '/2013-04-01/hostedzone/{HostedZoneId}/rrset',
        input: {
          query: { name: 'StartRecordName', type: 'StartRecordType', identifier: 'StartRecordIdentifier', maxitems: 'MaxItems' },
        },
        output: { body: { element: 'ListResourceRecordSetsResponse', shape: listResourceRecordSetsResponseShape } },
      },
      ChangeResourceRecordSets: {
        method: 'POST',
        path: '/2013-04-01/hostedzone/{HostedZoneId}/rrset',
        input: { body: { element: 'ChangeResourceRecordSetsRequest', shape: changeResourceRecordSetsRequestShape } },
        output: { body: { element: 'ChangeResourceRecordSetsResponse', shape: changeResourceRecordSetsResponseShape } },
      },
      GetChange: {
        method: 'GET',
        path: '/2013-04-01/change/{Id}',
        output: { body: { element: 'GetChangeResponse', shape: getChangeResponseShape } },
      },
    },
  }),
  invalidInput: route53Errors.invalidInput,
  operations: {
    ListHostedZones: listHostedZones,
    ListHostedZonesByName: listHostedZonesByName,
    GetHostedZone: getHostedZone,
    CreateHostedZone: createHostedZone,
    ListResourceRecordSets: listResourceRecordSets,
    ChangeResourceRecordSets: changeResourceRecordSets,
    GetChange: getChange,
  },
};
