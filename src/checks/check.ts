import type { Change, Finding } from '../engine/plan.js';
import type { Observation } from './observation.js';

/** A change a check proposes; the plan gives it an id and turns `requires` into `dependsOn`. */
export type ProposedChange = Omit<Change, 'id' | 'check' | 'dependsOn'> & {
  /** Ids of checks whose changes must be applied before this one. */
  readonly requires?: readonly string[];
};

/** One drift found: the finding, and the change that fixes it when one can. */
export interface Detection {
  readonly finding: Omit<Finding, 'id' | 'check' | 'changeId'>;
  readonly change?: ProposedChange | undefined;
}

/** A check: a stable id and a pure function from what was observed (the resolved stack included) to what is wrong. No I/O. */
export interface Check {
  readonly id: string;
  readonly title: string;
  detect(observation: Observation): Detection[];
}
