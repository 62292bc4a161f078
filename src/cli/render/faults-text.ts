// Only `sandbox …` commands render faults, and they load the sandbox anyway.
import { DEFAULT_RULE_LATENCY_MS, type FaultOptions, type FaultRule, type StoredFaults } from '../../sandbox/index.js';

/** The faults stored in a sandbox, for people: one line per setting and per rule, with the flags that set them. */
export function faultsText(stored: StoredFaults): string {
  const config = stored.config;
  const settings: (readonly [string, number | undefined])[] = [
    ['--latency-ms', config?.latencyMs],
    ['--throttle-rate', config?.throttleRate],
    ['--error-rate', config?.errorRate],
    ['--reset-rate', config?.resetRate],
    ['--consistency-lag-ms', config?.consistencyLagMs],
    ['--fault-seed', config?.seed],
  ];
  const lines = [
    ...settings.flatMap(([flag, value]) => (value === undefined ? [] : [`  ${flag} ${value}`])),
    ...(config?.rules ?? []).map((rule) => `  rule: ${ruleText(rule)}`),
    ...rateLimitText(config?.rateLimit),
  ];
  if (lines.length === 0) return 'No faults stored: --sandbox commands meet none.\n';
  const draws =
    stored.draws > 0 ? `\n${stored.draws} random draw(s) made${stored.drawSeed !== undefined ? ` with seed ${stored.drawSeed}` : ''}.` : '';
  return `Stored faults (every --sandbox command and sandbox serve meets them; --clear removes them):\n${lines.join('\n')}${draws}\n`;
}

/** The stored per-account rate limit (`sandbox faults --rate-limit`, or `POST /_sandbox/faults`). */
function rateLimitText(limit: FaultOptions['rateLimit']): string[] {
  if (limit === undefined || limit === false) return [];
  const figures = [
    limit.rate !== undefined ? `${limit.rate}/s` : undefined,
    limit.burst !== undefined ? `burst ${limit.burst}` : undefined,
  ].filter((f): f is string => f !== undefined);
  const which = limit.services === undefined ? 'every bucket' : `the buckets of ${limit.services.join(', ')}`;
  return [`  rate limit: AWS's buckets per account${figures.length > 0 ? `, ${which} at ${figures.join(', ')}` : ", AWS's figures"}`];
}

function ruleText(rule: FaultRule): string {
  const what =
    rule.fault === 'latency'
      ? `latency ${rule.latencyMs ?? DEFAULT_RULE_LATENCY_MS} ms`
      : rule.fault === 'error' || rule.fault === 'error-after'
        ? `${rule.fault} ${rule.status ?? 500}`
        : rule.fault === 'throttle' && rule.code !== undefined
          ? `throttle (${rule.code})`
          : rule.fault;
  const on = [rule.service, rule.operation].filter((p): p is string => p !== undefined).join(' ');
  const times = rule.times === undefined ? 'every time' : `${rule.times} more time(s)`;
  const after = `${rule.afterSeq !== undefined ? ` after call ${rule.afterSeq}` : ''}${rule.afterOperation !== undefined ? ` once a ${rule.afterOperation} came` : ''}`;
  return `${what} on ${on === '' ? 'any call' : on}, ${times}${after}`;
}
