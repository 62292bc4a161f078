import type { ChangeKind } from '../model/plan.js';
import type { Executor } from './executor.js';
import { httpsListenerExecutor } from './https-listener.js';
import { listenerDefaultActionsExecutor } from './listener-default-actions.js';
import { healthCheckGracePeriodExecutor } from './health-check-grace-period.js';
import { targetGroupHealthCheckExecutor } from './target-group-health-check.js';
import { route53RecordSetExecutor } from './route53-record-set.js';
import { cloudFrontDistributionConfigExecutor } from './cloudfront-distribution-config.js';
import { taskDefinitionExecutor } from './task-definition-executor.js';
import { listenerTlsExecutor } from './listener-tls.js';
import { securityGroupIngressExecutor } from './security-group-ingress.js';
import { securityGroupEgressExecutor } from './security-group-egress.js';

/** One executor per change kind: a kind without one does not compile. */
export const executors: Readonly<Record<ChangeKind, Executor>> = Object.freeze({
  'elbv2.https-listener': httpsListenerExecutor,
  'elbv2.listener-default-actions': listenerDefaultActionsExecutor,
  'ecs.health-check-grace-period': healthCheckGracePeriodExecutor,
  'elbv2.target-group-health-check': targetGroupHealthCheckExecutor,
  'route53.record-set': route53RecordSetExecutor,
  'cloudfront.distribution-config': cloudFrontDistributionConfigExecutor,
  'ecs.task-definition': taskDefinitionExecutor,
  'elbv2.listener-tls': listenerTlsExecutor,
  'ec2.security-group-ingress': securityGroupIngressExecutor,
  'ec2.security-group-egress': securityGroupEgressExecutor,
});
