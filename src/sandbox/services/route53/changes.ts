import type { GetChangeResponse } from '@aws-sdk/client-route-53';

import type { SandboxState } from '../../sandbox-state.js';
import type { InputReader } from '../input-reader.js';
import { route53Errors } from './route53-errors.js';

/**
 * GetChange: a submitted change batch. Changes propagate at once in the sandbox, so every change
 * reads `INSYNC` (ChangeResourceRecordSets itself answered `PENDING`).
 */
export function getChange(state: SandboxState, input: InputReader): GetChangeResponse {
  const id = input.string('Id').replace(/^\/change\//, '');
  const change = state.global.route53.changes.find((c) => c.id === id);
  if (change === undefined) throw route53Errors.noSuchChange(id);
  return {
    ChangeInfo: {
      Id: `/change/${change.id}`,
      Status: 'INSYNC',
      SubmittedAt: new Date(change.submittedAt),
      ...(change.comment === undefined ? {} : { Comment: change.comment }),
    },
  };
}
