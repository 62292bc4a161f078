import { queryProtocol } from '../../protocols/query.js';
import type { ServiceModule } from '../service-module.js';
import { elbv2Errors } from './elbv2-errors.js';
import { createListener, deleteListener, describeListeners, modifyListener } from './listeners.js';
import { createLoadBalancer } from './load-balancer-creation.js';
import { describeLoadBalancers } from './load-balancers.js';
import { describeRules } from './rules.js';
import { createTargetGroup } from './target-group-creation.js';
import { describeTargetGroups, modifyTargetGroup } from './target-groups.js';
import { deregisterTargets, registerTargets } from './target-registration.js';
import { describeTargetHealth } from './target-health.js';

/** Elastic Load Balancing v2 (Application Load Balancers), over the Query protocol, version 2015-12-01. */
export const elbv2Module: ServiceModule = {
  name: 'elbv2',
  protocol: queryProtocol({
    version: '2015-12-01',
    xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    signingName: 'elasticloadbalancing',
  }),
  invalidInput: elbv2Errors.validation,
  operations: {
    DescribeLoadBalancers: describeLoadBalancers,
    DescribeListeners: describeListeners,
    DescribeRules: describeRules,
    DescribeTargetGroups: describeTargetGroups,
    DescribeTargetHealth: describeTargetHealth,
    CreateListener: createListener,
    ModifyListener: modifyListener,
    DeleteListener: deleteListener,
    ModifyTargetGroup: modifyTargetGroup,
    CreateLoadBalancer: createLoadBalancer,
    CreateTargetGroup: createTargetGroup,
    RegisterTargets: registerTargets,
    DeregisterTargets: deregisterTargets,
  },
};
