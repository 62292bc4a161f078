import type { AssumeRoleResponse, GetCallerIdentityResponse } from '@aws-sdk/client-sts';

import { AwsError } from '../../aws-error.js';
import { roleId, roleSessionCredentials } from '../../accounts/account-credentials.js';
import { accessDeniedError } from '../../faults/fault-errors.js';
import { queryProtocol } from '../../protocols/query.js';
import { hexId } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import type { RequestContext, ServiceModule } from '../service-module.js';

/**
 * GetCallerIdentity: the account's IAM user (`arn:aws:iam::ACCOUNT:user/oncall`), or for temporary credentials of
 * an assumed role the session (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, UserId `AROA…:SESSION`), as AWS
 * answers (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
export function getCallerIdentity(state: SandboxState, _input?: InputReader, ctx?: RequestContext): GetCallerIdentityResponse {
  const caller = ctx?.caller;
  if (caller?.arn !== undefined) return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
  return {
    UserId: `AIDA${hexId(`${state.account}:user:${state.callerUserName}`, 17).toUpperCase()}`,
    Account: state.account,
    Arn: `arn:aws:iam::${state.account}:user/${state.callerUserName}`,
  };
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * AssumeRole (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html): temporary credentials of
 * the role's account. `RoleSessionName` is 2–64 characters of `[\w+=,.@-]`, `DurationSeconds` 900–43200 (default
 * 3600), else ValidationError. A role of an account the sandbox does not serve, or whose trust the account denies
 * (`sandbox account … --deny-role NAME`), is AccessDenied (403), as AWS answers a caller the trust policy does not
 * name: "User: ARN is not authorized to perform: sts:AssumeRole on resource: ROLE".
 */
export function assumeRole(state: SandboxState, input: InputReader, ctx: RequestContext): AssumeRoleResponse {
  const arn = input.string('RoleArn');
  const sessionName = input.string('RoleSessionName');
  const duration = input.optionalInteger('DurationSeconds') ?? 3600;
  if (!SESSION_NAME.test(sessionName)) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64`,
    );
  }
  if (duration < 900 || duration > 43_200) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const callerArn = ctx.caller?.arn ?? `arn:aws:iam::${state.account}:user/${state.callerUserName}`;
  const match = ROLE_ARN.exec(arn);
  const denied = (): AwsError => accessDeniedError('query', callerArn, 'sts:AssumeRole', arn);
  if (match === null) throw new AwsError('ValidationError', `${arn} is invalid`);
  const [, account = '', roleName = ''] = match;
  const directory = ctx.accounts;
  const served = directory === undefined ? account === state.account : directory.serves(account);
  if (!served || directory?.deniesRole(account, arn) === true) throw denied();
  const session = { account, roleName, sessionName };
  const credentials = roleSessionCredentials(session, `${ctx.requestId}:${arn}`);
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: new Date(ctx.now.getTime() + duration * 1000),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${roleId(account, roleName)}:${sessionName}`,
      Arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    },
    PackedPolicySize: 0,
  };
}

/** AWS STS, over the Query protocol, version 2011-06-15. */
export const stsModule: ServiceModule = {
  name: 'sts',
  protocol: queryProtocol({
    version: '2011-06-15',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    signingName: 'sts',
  }),
  invalidInput: (message) => new AwsError('ValidationError', message),
  operations: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
  },
};
