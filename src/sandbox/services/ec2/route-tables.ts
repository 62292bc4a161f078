import { regionState, type SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext } from '../service-module.js';
import { ec2Errors } from './ec2-errors.js';
import { applyFilters, readFilters, type FilterFields } from './ec2-filters.js';
import { selectByIds } from './ec2-selection.js';
import type { RouteTableState } from './ec2-state.js';
import { routeState } from './route-resolution.js';

const ROUTE_TABLE_FILTERS: FilterFields<RouteTableState> = {
  'route-table-id': (t) => [t.routeTableId],
  'vpc-id': (t) => [t.vpcId],
  'association.main': (t) => (t.main ? ['true'] : t.subnetAssociations.length > 0 ? ['false'] : []),
  'association.subnet-id': (t) => t.subnetAssociations.map((a) => a.subnetId),
  'association.route-table-association-id': (t) => [
    ...(t.mainAssociationId === undefined ? [] : [t.mainAssociationId]),
    ...t.subnetAssociations.map((a) => a.associationId),
  ],
  'route.destination-cidr-block': (t) => t.routes.map((r) => r.destinationCidrBlock),
  'route.destination-prefix-list-id': (t) => t.routes.map((r) => r.destinationPrefixListId),
  'route.gateway-id': (t) => t.routes.map((r) => r.gatewayId),
  'route.nat-gateway-id': (t) => t.routes.map((r) => r.natGatewayId),
  'route.origin': (t) => t.routes.map((r) => r.origin),
};

/**
 * DescribeRouteTables: by `RouteTableId.N` (unknown: `InvalidRouteTableID.NotFound`) and `Filter.N`.
 * Each route's `state` is worked out from its target (a deleted NAT gateway makes it a `blackhole`).
 */
export function describeRouteTables(state: SandboxState, input: InputReader, ctx: RequestContext): object {
  const { ec2 } = regionState(state, ctx.region);
  const selected = selectByIds(ec2.routeTables, input.stringList('RouteTableId'), (t) => t.routeTableId, ec2Errors.routeTableNotFound);
  const tables = applyFilters(selected, readFilters(input), ROUTE_TABLE_FILTERS, (t) => t.tags);
  return {
    routeTableSet: tables.map((t) => ({
      routeTableId: t.routeTableId,
      vpcId: t.vpcId,
      ownerId: state.account,
      routeSet: t.routes.map((r) => ({
        destinationCidrBlock: r.destinationCidrBlock,
        destinationPrefixListId: r.destinationPrefixListId,
        gatewayId: r.gatewayId,
        natGatewayId: r.natGatewayId,
        origin: r.origin,
        state: routeState(ec2, t.vpcId, r),
      })),
      associationSet: [
        ...(t.main && t.mainAssociationId !== undefined
          ? [
              {
                main: true,
                routeTableAssociationId: t.mainAssociationId,
                routeTableId: t.routeTableId,
                associationState: { state: 'associated' },
              },
            ]
          : []),
        ...t.subnetAssociations.map((a) => ({
          main: false,
          routeTableAssociationId: a.associationId,
          routeTableId: t.routeTableId,
          subnetId: a.subnetId,
          associationState: { state: 'associated' },
        })),
      ],
      propagatingVgwSet: [],
      tagSet: t.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    })),
  };
}
