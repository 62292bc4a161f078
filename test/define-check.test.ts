import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import { defineCheck } from '../src/checks/check.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget } from '../src/model/plan.js';
import type { Observation } from '../src/observe/observation.js';
import { healthyObservation, now } from './support/observation-fixture.js';

/** A check made with defineCheck is not run exactly when it has no subject, and its detect sees only a subject. */
function outcomes(observation: Observation) {
  return buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: observation.account, region: observation.region, stack: observation.stack.name }),
    observation,
    checks,
  }).checks;
}

describe('defineCheck', () => {
  it('without a target group, the target-group checks made with a subject are not run; with one, they pass', () => {
    const tgChecks = ['tg.port-protocol', 'tg.health-check-path', 'tg.health-check-settings', 'tg.healthy-targets'];
    const statusOf = (o: Observation) =>
      outcomes(o)
        .filter((c) => tgChecks.includes(c.id))
        .map((c) => [c.id, c.status]);
    expect(statusOf(healthyObservation())).toEqual(tgChecks.map((id) => [id, 'passed']));
    expect(statusOf({ ...healthyObservation(), targetGroup: undefined })).toEqual(tgChecks.map((id) => [id, 'not-run']));
  });

  it('calls detect only with a subject, and derives the layer from the id', () => {
    const seen: string[] = [];
    const check = defineCheck({
      id: 'tg.health-check-path',
      title: 'probe',
      subject: (o) => o.targetGroup?.TargetGroupName,
      detect: (name) => {
        seen.push(name);
        return [];
      },
    });
    expect(check.layer).toBe('tg');
    expect(check.appliesTo({ ...healthyObservation(), targetGroup: undefined })).toBe(false);
    expect(check.detect({ ...healthyObservation(), targetGroup: undefined })).toEqual([]);
    expect(seen).toEqual([]);
    check.detect(healthyObservation());
    expect(seen).toEqual([healthyObservation().targetGroup?.TargetGroupName]);
  });

  it('a subject that is not conclusive is not run when nothing is found there, and failed when something is', () => {
    const probe = (found: boolean) =>
      defineCheck({
        id: 'ecs.crash-loop',
        title: 'probe',
        subject: (o) => o.service,
        conclusive: (_, o) => !o.gaps.some((g) => g.layer === 'tasks'),
        detect: (service) =>
          found ? [{ finding: { severity: 'medium', resource: service.serviceArn ?? '', title: 'found', evidence: {} } }] : [],
      });
    const gap = {
      ...healthyObservation(),
      gaps: [{ layer: 'tasks' as const, resource: 'tasks', code: 'AccessDenied', message: 'denied' }],
    };
    const statusIn = (observation: Observation, found: boolean) =>
      buildPlan({
        id: 'plan-test',
        createdAt: now,
        target: planTarget({ endpoint: 'test', account: observation.account, region: observation.region, stack: observation.stack.name }),
        observation,
        checks: [probe(found)],
      }).checks[0]?.status;
    expect(statusIn(healthyObservation(), false)).toBe('passed');
    expect(statusIn(gap, false)).toBe('not-run');
    expect(statusIn(gap, true)).toBe('failed');
    expect(statusIn({ ...healthyObservation(), service: undefined }, true)).toBe('not-run');
  });
});
