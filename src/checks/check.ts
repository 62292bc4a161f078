import type { Finding, ProposedChange } from '../model/plan.js';
import type { Observation } from '../observe/observation.js';

export type { ProposedChange };

/**
 * A next step that names other checks: it declares which (`refersTo`), and the plan words it once it knows which
 * of them failed, so that a finding never points at a check that passed or did not run. A plain string next step
 * names no check.
 */
export interface PointingNextStep {
  /** The ids of the checks the words may name. */
  readonly refersTo: readonly string[];
  /** The words, given those of `refersTo` that failed in the same plan (in `refersTo`'s order); undefined for none. */
  readonly words: (failed: readonly string[]) => string | undefined;
}

/**
 * Members of a finding's evidence that list the checks addressing a cause (`fixedBy`, `addressedBy`): the plan keeps
 * in them only the checks that failed in the same plan (entries that are words, not check ids, stay).
 */
export const POINTER_EVIDENCE_KEYS: ReadonlySet<string> = new Set(['fixedBy', 'addressedBy']);

/** What a person should do next: plain words, or words that point at other checks. */
export type NextStep = string | PointingNextStep;

/** A next step pointing at `refersTo`, worded by `words` from those of them that failed. */
export function pointing(refersTo: readonly string[], words: PointingNextStep['words']): PointingNextStep {
  return { refersTo, words };
}

/** One drift found: the finding, and the change that fixes it when one can. */
export interface Detection {
  readonly finding: Omit<Finding, 'id' | 'check' | 'changeId' | 'nextStep'> & { readonly nextStep?: NextStep | undefined };
  readonly change?: ProposedChange | undefined;
}

/** The layers of the stack, top to bottom, as reports group checks. */
export type CheckLayer = 'stack' | 'dns' | 'cloudfront' | 'alb' | 'security-groups' | 'target-group' | 'ecs' | 'network' | 'logs';

/** A check: a stable id and a pure function from what was observed (the resolved stack included) to what is wrong. No I/O. */
export interface Check {
  readonly id: string;
  /** What it verifies, as a checklist line: "Port 80 redirects to HTTPS". */
  readonly title: string;
  readonly layer: CheckLayer;
  /** False when what it needs was not found (no distribution, no service…): reported as not run, not as passed. */
  appliesTo(observation: Observation): boolean;
  detect(observation: Observation): Detection[];
}
