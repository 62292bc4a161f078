/** The schemes of a PostgreSQL connection string (libpq's URI form; node-postgres parses it). */
export const POSTGRES_SCHEMES: readonly string[] = ['postgres', 'postgresql'];

/** Query parameters of a connection string whose value is a secret. */
const SECRET_PARAMS = new Set(['password', 'sslpassword']);

const MASK = '***';

/**
 * A connection string as it may be shown (in messages, logs, JSON output, suggested commands): the password of its
 * user info and of a `password=` (or `sslpassword=`) parameter replaced by `***`, the rest as given.
 */
export function maskConnectionString(url: string): string {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return url;
  const start = schemeEnd + 3;
  const queryAt = url.indexOf('?', start);
  const end = queryAt < 0 ? url.length : queryAt;
  let head = url.slice(0, end);
  // The user info ends at the last "@" before the query (a password with an unencoded "@" is still covered).
  const at = head.lastIndexOf('@');
  if (at >= start) {
    const colon = head.indexOf(':', start);
    if (colon >= 0 && colon < at) head = `${head.slice(0, colon + 1)}${MASK}${head.slice(at)}`;
  }
  if (queryAt < 0) return head;
  const params = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      return eq >= 0 && SECRET_PARAMS.has(name) ? `${pair.slice(0, eq)}=${MASK}` : pair;
    });
  return `${head}?${params.join('&')}`;
}

/** Replaces every occurrence of the connection string's secrets in `text` (an error message from the driver, say). */
export function maskSecretsIn(text: string, url: string): string {
  let out = text.split(url).join(maskConnectionString(url));
  for (const secret of connectionSecrets(url)) if (secret.length >= 3) out = out.split(secret).join(MASK);
  return out;
}

/** The password of the user info and the values of secret parameters, raw and decoded. */
function connectionSecrets(url: string): string[] {
  const secrets: string[] = [];
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return secrets;
  const queryAt = url.indexOf('?', schemeEnd + 3);
  const head = url.slice(0, queryAt < 0 ? url.length : queryAt);
  const at = head.lastIndexOf('@');
  const colon = head.indexOf(':', schemeEnd + 3);
  if (at > 0 && colon >= 0 && colon < at) secrets.push(head.slice(colon + 1, at));
  if (queryAt >= 0) {
    for (const pair of url.slice(queryAt + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq >= 0 && SECRET_PARAMS.has(decodeURIComponentSafe(pair.slice(0, eq)).toLowerCase())) secrets.push(pair.slice(eq + 1));
    }
  }
  return [...new Set(secrets.flatMap((s) => [s, decodeURIComponentSafe(s)]))];
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Not percent-encoded text (a lone "%"): it stands for itself, as node-postgres reads it.
    return text;
  }
}
