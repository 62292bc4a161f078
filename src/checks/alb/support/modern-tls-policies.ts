/**
 * The ELB security policies remediate counts as modern for an HTTPS listener, in one place.
 *
 * The rule: TLS 1.2 at least, and only forward-secret key exchange for the recommended families.
 * - every `ELBSecurityPolicy-TLS13-1-2-…` and `ELBSecurityPolicy-TLS13-1-3-…` policy (TLS 1.3 with TLS 1.2
 *   or 1.3 as the floor, FIPS and post-quantum variants included);
 * - the forward-secrecy policies with a TLS 1.2 floor: `ELBSecurityPolicy-FS-1-2-2019-08`,
 *   `ELBSecurityPolicy-FS-1-2-Res-2019-08`, `ELBSecurityPolicy-FS-1-2-Res-2020-10`.
 *
 * Not modern, although some carry `TLS13` in their name: `ELBSecurityPolicy-TLS13-1-0-…` and
 * `ELBSecurityPolicy-TLS13-1-1-…` (they still accept TLS 1.0 / 1.1), `ELBSecurityPolicy-2016-08` (AWS's
 * default for the API and CLI: TLS 1.0 and CBC/SHA-1 ciphers), `ELBSecurityPolicy-2015-05`,
 * `ELBSecurityPolicy-TLS-1-0-…`, `ELBSecurityPolicy-TLS-1-1-…`, `ELBSecurityPolicy-TLS-1-2-…` (TLS 1.2 but not
 * forward-secret only), `ELBSecurityPolicy-FS-2018-06` and `ELBSecurityPolicy-FS-1-1-2019-08` (TLS 1.0 / 1.1).
 */
export const MODERN_TLS_POLICY_PATTERNS: readonly RegExp[] = Object.freeze([
  /^ELBSecurityPolicy-TLS13-1-[23](-.+)?-\d{4}-\d{2}$/,
  /^ELBSecurityPolicy-FS-1-2-(Res-)?\d{4}-\d{2}$/,
]);

/** Whether an ALB security policy is modern (see {@link MODERN_TLS_POLICY_PATTERNS}); the stack's own `tlsPolicy` always is. */
export function isModernTlsPolicy(policy: string | undefined, stackPolicy: string): boolean {
  if (policy === undefined) return false;
  return policy === stackPolicy || MODERN_TLS_POLICY_PATTERNS.some((p) => p.test(policy));
}
