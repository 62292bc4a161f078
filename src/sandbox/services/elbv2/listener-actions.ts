import type { Action, RedirectActionStatusCodeEnum } from '@aws-sdk/client-elastic-load-balancing-v2';

import type { InputReader } from '../input-reader.js';
import { elbv2Errors } from './elbv2-errors.js';
import type { Elbv2State } from './elbv2-state.js';

const ACTION_TYPES = ['forward', 'redirect', 'fixed-response', 'authenticate-oidc', 'authenticate-cognito'] as const;
const REDIRECT_STATUS: readonly RedirectActionStatusCodeEnum[] = ['HTTP_301', 'HTTP_302'];

/**
 * Reads the actions of a CreateListener/ModifyListener request and returns them as AWS describes
 * them afterwards: a forward to one target group carries both `TargetGroupArn` and
 * `ForwardConfig{TargetGroups:[{TargetGroupArn, Weight: 1}], TargetGroupStickinessConfig:{Enabled: false}}`;
 * a redirect has AWS's defaults (`#{protocol}`, `#{port}`, `#{host}`, `/#{path}`, `#{query}`) filled in.
 * Throws `TargetGroupNotFound` for a forward to a target group that is not in the region.
 */
export function readListenerActions(elbv2: Elbv2State, actions: readonly InputReader[], member: string): Action[] {
  if (actions.length === 0) {
    throw elbv2Errors.validation(
      `1 validation error detected: Value '[]' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  }
  const out = actions.map((action) => readAction(elbv2, action));
  const terminal = out.filter((a) => a.Type === 'forward' || a.Type === 'redirect' || a.Type === 'fixed-response');
  if (terminal.length !== 1) {
    throw elbv2Errors.validation('You must specify exactly one forward, redirect or fixed-response action');
  }
  return out;
}

function readAction(elbv2: Elbv2State, input: InputReader): Action {
  const type = input.enumString('Type', ACTION_TYPES);
  const order = input.optionalInteger('Order');
  if (order !== undefined && (order < 1 || order > 50000)) {
    throw elbv2Errors.validation(`Action order '${order}' must be between 1 and 50000`);
  }
  const withOrder = (action: Action): Action => (order === undefined ? action : { ...action, Order: order });
  switch (type) {
    case 'forward':
      return withOrder(readForward(elbv2, input));
    case 'redirect':
      return withOrder(readRedirect(input));
    case 'fixed-response':
      return withOrder(readFixedResponse(input));
    case 'authenticate-oidc':
    case 'authenticate-cognito':
      throw elbv2Errors.validation(`The sandbox does not simulate '${type}' actions`);
  }
}

function readForward(elbv2: Elbv2State, input: InputReader): Action {
  const single = input.optionalString('TargetGroupArn');
  const config = input.optionalStruct('ForwardConfig');
  const tuples = (config?.structList('TargetGroups') ?? []).map((t) => ({
    TargetGroupArn: t.string('TargetGroupArn'),
    Weight: t.optionalInteger('Weight') ?? 1,
  }));
  if (single === undefined && tuples.length === 0) {
    throw elbv2Errors.validation('A target group ARN must be specified for forward actions');
  }
  if (single !== undefined && tuples.length > 0 && (tuples.length > 1 || tuples[0]?.TargetGroupArn !== single)) {
    throw elbv2Errors.validation('When you specify both TargetGroupArn and ForwardConfig, ForwardConfig must name only that target group');
  }
  const targetGroups = tuples.length > 0 ? tuples : [{ TargetGroupArn: single ?? '', Weight: 1 }];
  for (const tuple of targetGroups) {
    if (tuple.Weight < 0 || tuple.Weight > 999) {
      throw elbv2Errors.validation(`Target group weight '${tuple.Weight}' must be between 0 and 999`);
    }
    if (!elbv2.targetGroups.some((tg) => tg.arn === tuple.TargetGroupArn)) {
      throw elbv2Errors.targetGroupNotFound(tuple.TargetGroupArn);
    }
  }
  const stickiness = config?.optionalStruct('TargetGroupStickinessConfig');
  const enabled = stickiness?.optionalBoolean('Enabled') ?? false;
  const duration = stickiness?.optionalInteger('DurationSeconds');
  const only = targetGroups.length === 1 ? targetGroups[0]?.TargetGroupArn : undefined;
  return {
    Type: 'forward',
    ...(only === undefined ? {} : { TargetGroupArn: only }),
    ForwardConfig: {
      TargetGroups: targetGroups,
      TargetGroupStickinessConfig: enabled ? { Enabled: true, DurationSeconds: duration ?? 3600 } : { Enabled: false },
    },
  };
}

function readRedirect(input: InputReader): Action {
  const config = input.optionalStruct('RedirectConfig');
  if (config === undefined) throw elbv2Errors.validation('A redirect configuration must be specified for redirect actions');
  const statusCode = config.enumString('StatusCode', REDIRECT_STATUS);
  const protocol = config.optionalString('Protocol') ?? '#{protocol}';
  if (!['HTTP', 'HTTPS', '#{protocol}'].includes(protocol)) {
    throw elbv2Errors.validation(`Redirect protocol '${protocol}' must be one of HTTP, HTTPS, #{protocol}`);
  }
  const port = config.optionalString('Port') ?? '#{port}';
  if (port !== '#{port}' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw elbv2Errors.validation(`Redirect port '${port}' must be #{port} or between 1 and 65535`);
  }
  const path = config.optionalString('Path') ?? '/#{path}';
  if (!path.startsWith('/')) throw elbv2Errors.validation(`Redirect path '${path}' must start with '/'`);
  return {
    Type: 'redirect',
    RedirectConfig: {
      Protocol: protocol,
      Port: port,
      Host: config.optionalString('Host') ?? '#{host}',
      Path: path,
      Query: config.optionalString('Query') ?? '#{query}',
      StatusCode: statusCode,
    },
  };
}

function readFixedResponse(input: InputReader): Action {
  const config = input.optionalStruct('FixedResponseConfig');
  if (config === undefined) {
    throw elbv2Errors.validation('A fixed-response configuration must be specified for fixed-response actions');
  }
  const statusCode = config.string('StatusCode');
  if (!/^[245]\d\d$/.test(statusCode)) {
    throw elbv2Errors.validation(`Fixed-response status code '${statusCode}' must be 2XX, 4XX or 5XX`);
  }
  const contentType = config.optionalString('ContentType');
  const body = config.optionalString('MessageBody');
  return {
    Type: 'fixed-response',
    FixedResponseConfig: {
      StatusCode: statusCode,
      ...(contentType === undefined ? {} : { ContentType: contentType }),
      ...(body === undefined ? {} : { MessageBody: body }),
    },
  };
}
