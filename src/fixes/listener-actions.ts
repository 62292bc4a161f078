import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { actionTypes, redirectStatusCodes } from './sdk-enum-values.js';
import * as z from 'zod';
import type { JsonObject, JsonValue } from '../model/json-value.js';
import { guard, jsonObjectSchema, jsonObjectWith } from './change-kind.js';

/**
 * A listener action as a change value holds it (canonical, see {@link canonicalActions}): a JSON object with a
 * `Type`, and of the members the calls send back, the shapes the API takes. Other members are kept as they are.
 */
const actionSchema = jsonObjectWith({
  Type: z.enum(actionTypes),
  Order: z.number().optional(),
  TargetGroupArn: z.string().optional(),
  ForwardConfig: jsonObjectWith({
    TargetGroups: z.array(jsonObjectWith({ TargetGroupArn: z.string(), Weight: z.number().optional() })).optional(),
    TargetGroupStickinessConfig: jsonObjectWith({ Enabled: z.boolean().optional(), DurationSeconds: z.number().optional() }).optional(),
  }).optional(),
  RedirectConfig: jsonObjectWith({
    Protocol: z.string().optional(),
    Port: z.string().optional(),
    Host: z.string().optional(),
    Path: z.string().optional(),
    Query: z.string().optional(),
    StatusCode: z.enum(redirectStatusCodes),
  }).optional(),
  FixedResponseConfig: jsonObjectWith({
    StatusCode: z.string(),
    ContentType: z.string().optional(),
    MessageBody: z.string().optional(),
  }).optional(),
});

/** Whether a JSON object is a listener action the API takes. */
const isAction = guard(actionSchema);

/** Whether a value is an object with a `Type` (an action of a type this SDK does not know, for words). */
const hasType = guard(z.object({ Type: z.string() }));

/** The schema of a list of canonical listener actions in a change value (each a JSON object). */
export const actionsSchema = z.array(jsonObjectSchema);

/**
 * Listener actions in one canonical form, so that what AWS returns and what we wrote compare equal:
 * forwards always as a ForwardConfig with weights and stickiness spelled out, redirects with AWS's
 * defaults filled in, `Order` kept only when there are several actions, and nothing undefined.
 */
export function canonicalActions(actions: readonly Action[] | undefined): JsonObject[] {
  const list = [...(actions ?? [])].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  return list.map((action) => canonicalAction(action, list.length > 1));
}

function canonicalAction(action: Action, keepOrder: boolean): JsonObject {
  const out: JsonObject = { Type: action.Type ?? 'unknown' };
  if (keepOrder && action.Order !== undefined) out['Order'] = action.Order;
  switch (action.Type) {
    case 'forward': {
      const groups = action.ForwardConfig?.TargetGroups?.length
        ? action.ForwardConfig.TargetGroups.map((g) => ({ TargetGroupArn: g.TargetGroupArn ?? '', Weight: g.Weight ?? 1 }))
        : [{ TargetGroupArn: action.TargetGroupArn ?? '', Weight: 1 }];
      groups.sort((a, b) => a.TargetGroupArn.localeCompare(b.TargetGroupArn));
      const sticky = action.ForwardConfig?.TargetGroupStickinessConfig;
      out['ForwardConfig'] = {
        TargetGroups: groups,
        TargetGroupStickinessConfig:
          sticky?.Enabled === true ? { Enabled: true, DurationSeconds: sticky.DurationSeconds ?? 3600 } : { Enabled: false },
      };
      return out;
    }
    case 'redirect': {
      const r = action.RedirectConfig;
      out['RedirectConfig'] = {
        Protocol: r?.Protocol ?? '#{protocol}',
        Port: r?.Port ?? '#{port}',
        Host: r?.Host ?? '#{host}',
        Path: r?.Path ?? '/#{path}',
        Query: r?.Query ?? '#{query}',
        StatusCode: r?.StatusCode ?? 'HTTP_301',
      };
      return out;
    }
    case 'fixed-response': {
      const f = action.FixedResponseConfig;
      out['FixedResponseConfig'] = JSON.parse(
        JSON.stringify({ StatusCode: f?.StatusCode, ContentType: f?.ContentType, MessageBody: f?.MessageBody }),
      ) as JsonObject;
      return out;
    }
    default:
      return { ...(JSON.parse(JSON.stringify(action)) as JsonObject), ...out };
  }
}

/** The canonical redirect of every request to HTTPS on 443 with a 301. */
export function httpsRedirectAction(): JsonObject {
  return canonicalActions([{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }])[0] ?? {};
}

/** A canonical forward of everything to one target group. */
export function forwardAction(targetGroupArn: string): JsonObject {
  return canonicalActions([{ Type: 'forward', TargetGroupArn: targetGroupArn }])[0] ?? {};
}

/**
 * Canonical actions back to the shortest input AWS accepts for them: a plain forward as
 * `TargetGroupArn`, a redirect without the default fields. This is what the calls send.
 */
export function wireActions(actions: readonly JsonObject[]): Action[] {
  return actions.map((a) => {
    if (!isAction(a)) throw new TypeError(`not a listener action: ${JSON.stringify(a)}`);
    if (a.Type === 'forward') {
      const groups = a.ForwardConfig?.TargetGroups ?? [];
      const sticky = a.ForwardConfig?.TargetGroupStickinessConfig?.Enabled === true;
      const only = groups[0];
      if (groups.length === 1 && !sticky && only !== undefined && (only.Weight ?? 1) === 1) {
        return dropUndefined({ Type: 'forward', TargetGroupArn: only.TargetGroupArn, Order: a.Order }) as Action;
      }
      return a;
    }
    if (a.Type === 'redirect' && a.RedirectConfig !== undefined) {
      const r = a.RedirectConfig;
      const config = dropUndefined({
        Protocol: r.Protocol === '#{protocol}' ? undefined : r.Protocol,
        Port: r.Port === '#{port}' ? undefined : r.Port,
        Host: r.Host === '#{host}' ? undefined : r.Host,
        Path: r.Path === '/#{path}' ? undefined : r.Path,
        Query: r.Query === '#{query}' ? undefined : r.Query,
        StatusCode: r.StatusCode,
      });
      return dropUndefined({ Type: 'redirect', RedirectConfig: config, Order: a.Order }) as Action;
    }
    return a;
  });
}

/** One line for people: `forward → arquantix-prod-tg`, `redirect → HTTPS:443 (HTTP_301)`. */
export function describeActions(actions: JsonValue): string {
  if (!Array.isArray(actions) || actions.length === 0) return '(none)';
  return actions
    .map((a) => {
      if (!isAction(a)) return hasType(a) ? a.Type : 'unknown';
      if (a.Type === 'forward') {
        const groups = a.ForwardConfig?.TargetGroups ?? [];
        return `forward to ${groups.map((g) => shortTg(g.TargetGroupArn ?? '')).join(', ')}`;
      }
      if (a.Type === 'redirect') {
        const r = a.RedirectConfig;
        return `redirect to ${r?.Protocol ?? '#{protocol}'}:${r?.Port ?? '#{port}'} (${r?.StatusCode ?? ''})`;
      }
      if (a.Type === 'fixed-response') return `fixed-response ${a.FixedResponseConfig?.StatusCode ?? ''}`;
      return a.Type ?? 'unknown';
    })
    .join(' + ');
}

function shortTg(arn: string): string {
  const parts = arn.split('/');
  return parts.length >= 3 ? (parts[1] ?? arn) : arn;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
