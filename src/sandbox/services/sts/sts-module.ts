import type { GetCallerIdentityResponse } from '@aws-sdk/client-sts';

import { AwsError } from '../../aws-error.js';
import { queryProtocol } from '../../protocols/query.js';
import { hexId } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';
import type { ServiceModule } from '../service-module.js';

/** GetCallerIdentity: the sandbox's account and its IAM user (`arn:aws:iam::ACCOUNT:user/oncall`). */
export function getCallerIdentity(state: SandboxState): GetCallerIdentityResponse {
  return {
    UserId: `AIDA${hexId(`${state.account}:user:${state.callerUserName}`, 17).toUpperCase()}`,
    Account: state.account,
    Arn: `arn:aws:iam::${state.account}:user/${state.callerUserName}`,
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
  },
};
