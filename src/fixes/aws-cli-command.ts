import type { MutatingCall } from './mutating-call.js';

/**
 * The `aws` CLI command equivalent to a call, for a change ticket: `aws elbv2 modify-listener --listener-arn … `.
 * Scalars are passed as they are, structures and lists as JSON (which the CLI accepts for any parameter).
 */
export function awsCliCommand(call: MutatingCall, region: string): string {
  const words = ['aws', call.service, kebab(call.operation)];
  for (const [key, value] of Object.entries(call.input as unknown as Record<string, unknown>)) {
    if (value === undefined) continue;
    const flag = `--${kebab(key)}`;
    if (typeof value === 'boolean') words.push(value ? flag : `--no-${kebab(key)}`);
    else if (typeof value === 'string' || typeof value === 'number') words.push(flag, shellQuote(String(value)));
    else words.push(flag, shellQuote(JSON.stringify(value)));
  }
  words.push('--region', shellQuote(region));
  return words.join(' ');
}

/** `ModifyTargetGroup` → `modify-target-group`; `SslPolicy` → `ssl-policy`; `healthCheckGracePeriodSeconds` → `health-check-grace-period-seconds`. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
