import { ErrorCode, RemediateError } from '../model/errors.js';
import { checkEndpointUrl } from './endpoint-url.js';

/**
 * Checks the AWS environment variables remediate honours, before any call: a bad `AWS_MAX_ATTEMPTS` is refused
 * (exit 3) rather than silently replaced by the default, an `AWS_ENDPOINT_URL[_<SERVICE>]` is checked like
 * `--endpoint-url`. Returns the notes to show, one line each: when a profile
 * (`--profile`, or `AWS_PROFILE`) and static keys in the environment are both set, which of them is used.
 */
export function checkAwsEnvironment(profileFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const attempts = env['AWS_MAX_ATTEMPTS'];
  if (attempts !== undefined && attempts !== '' && !/^[1-9]\d{0,2}$/.test(attempts.trim())) {
    throw new RemediateError(ErrorCode.BadInput, `AWS_MAX_ATTEMPTS="${attempts.slice(0, 40)}" is not a whole number of attempts ≥ 1`, {
      hint: 'set it to the attempts per AWS call, retries included (e.g. AWS_MAX_ATTEMPTS=5), or unset it',
    });
  }
  for (const [name, value] of Object.entries(env)) {
    if (/^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(name) && value !== undefined && value !== '') checkEndpointUrl(value, name);
  }
  const notes: string[] = [];
  const profile = profileFlag ?? nonEmpty(env['AWS_PROFILE']);
  if (profile !== undefined && nonEmpty(env['AWS_ACCESS_KEY_ID']) !== undefined && nonEmpty(env['AWS_SECRET_ACCESS_KEY']) !== undefined) {
    const named = profileFlag !== undefined ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
    // The SDK's credential chain skips the environment's keys whenever a profile is named (@aws-sdk/credential-provider-node).
    notes.push(
      `${named} and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are both set: the profile's credentials are used, the keys in the environment are not (unset one of them to silence this)`,
    );
  }
  return notes;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
