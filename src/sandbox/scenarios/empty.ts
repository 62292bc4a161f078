import { emptySandboxState } from '../sandbox-state.js';
import { ARQUANTIX } from './arquantix-stack.js';
import type { Scenario } from './scenario.js';

/** The domain `plan --sandbox` looks for in an empty account until the user names theirs (`--domain`). */
const EMPTY_DOMAIN = 'example.com';

/**
 * An account with nothing in it (`sandbox reset --empty`): the starting point for building a stack of one's
 * own through the create operations (aws CLI, SDKs), the way one reproduces an incident. The account id is
 * the Arquantix one, so ARNs look alike across scenarios.
 */
export const emptyScenario: Scenario = {
  name: 'empty',
  description:
    'an account with nothing in it: build your own stack with the aws CLI or an SDK against sandbox serve ' +
    '(create-vpc, create-load-balancer, create-service, create-distribution, …), then plan it with --domain.',
  domain: EMPTY_DOMAIN,
  stack: Object.freeze({ name: 'empty', region: ARQUANTIX.region, domain: EMPTY_DOMAIN }),
  build() {
    return emptySandboxState(ARQUANTIX.account, 'oncall');
  },
};
