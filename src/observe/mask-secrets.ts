/** What a masked secret is replaced with. */
export const MASK = '(redacted)';

/**
 * Secrets an app may print in its own log lines, by their shape: each pattern keeps what names the secret (the key,
 * the scheme, the user of a URL) and replaces the secret itself with {@link MASK}.
 */
const patterns: readonly (readonly [RegExp, string])[] = [
  // Authorization: Bearer <token> / Basic <credentials> (header form, any case), and a bare "Bearer <token>".
  [/\b(authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest)\s+)?)[^\s"',;]+/gi, `$1${MASK}`],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${MASK}`],
  // JSON Web Tokens: three base64url parts, the first two JSON objects ("eyJ").
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // A password in a URL: scheme://user:password@host.
  [/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s/]+@/gi, `$1${MASK}@`],
  // key=value and "key": "value" where the key names a secret (password, passwd, pwd, secret, token, api key, …).
  [
    /(\b[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth)[\w.-]*["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest)\s+)?)(?!(?:(?:bearer|basic|token|digest)\s+)?\(redacted\))[^\s"',;&}]+/gi,
    `$1${MASK}`,
  ],
  // AWS access key ids (AKIA…, ASIA…: 20 characters) and secret access keys (40 characters of base64, mixed case).
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g, MASK],
  [/(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=]))(?=[^\s]*[a-z])(?=[^\s]*[A-Z])(?=[^\s]*[0-9/+])[A-Za-z0-9/+]{40}/g, MASK],
  // Payment and service API keys with a known prefix: Stripe (sk_live_, rk_test_, …), GitHub (ghp_, …), Slack (xoxb-, …).
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{6,}/g, MASK],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, MASK],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, MASK],
];

/**
 * `text` with every secret of a known shape masked: `password=…` and other `key=value` pairs whose key names a
 * secret, `Authorization: Bearer …`, URL passwords, JWTs, AWS access keys and secret keys, `sk_live_…` and other
 * prefixed API keys. Pure; for text remediate did not write (an app's log lines) before it is shown or journaled.
 */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const [pattern, replacement] of patterns) masked = masked.replace(pattern, replacement);
  return masked;
}
