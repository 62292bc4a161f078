import { ErrorCode, RemediateError } from '../model/errors.js';

/**
 * Checks an endpoint URL given by `--endpoint-url` or an `AWS_ENDPOINT_URL[_<SERVICE>]` variable (`source`), before
 * any call: `http(s)://host[:port]` and nothing else. A path is refused, not half-used (the SDK prefixes it to the
 * REST services' paths and not to the query services', so some layers would answer and others look missing, which
 * a plan would report as drift). User info is refused: AWS requests are signed with AWS credentials, and a
 * password in the URL would be printed and journaled with the endpoint; the message shows the URL without it.
 */
export function checkEndpointUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(`${source} "${maskUserInfo(value)}" is not an http(s) URL`, 'e.g. --endpoint-url http://127.0.0.1:4566');
  }
  const shown = maskUserInfo(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw bad(`${source} "${shown}" is not an http(s) URL`, 'e.g. --endpoint-url http://127.0.0.1:4566');
  const bare = `${url.protocol}//${url.host}`;
  if (url.username !== '' || url.password !== '') {
    throw bad(
      `${source} "${shown}" has ${url.password !== '' ? 'a password' : 'a user name'} in it: AWS requests are signed with your AWS credentials, not the URL's`,
      `give the endpoint without it (${bare}), and the credentials through AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or --profile`,
    );
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw bad(`${source} "${shown}" has a path: an endpoint is scheme://host[:port], each AWS service adds its own path`, `give ${bare}`);
  }
  return value;
}

/** The URL with its user info replaced by `***`, for messages; text that is no URL is masked up to its last `@`. */
function maskUserInfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

function bad(message: string, hint: string): RemediateError {
  return new RemediateError(ErrorCode.BadInput, message, { hint });
}
