import type { Change, Finding } from '../model/plan.js';
import type { AnyProposedChange } from '../fixes/change-kinds.js';
import type { Observation } from '../observe/observation.js';
import { layerOf, type CheckLayer, type LayeredCheckId } from '../model/check-id.js';

export type { CheckLayer, LayeredCheckId };

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
  /** Typed by kind: narrowing on `kind` types `before` and `after` (a kind's builder makes it, or its value function gives `before`). */
  readonly change?: AnyProposedChange | undefined;
}

/**
 * A check: a stable id and a pure function from what was observed (the resolved stack included) to what is wrong. No
 * I/O. Its layer is its id's prefix (and its folder). Made with {@link defineCheck}.
 */
export interface Check<Id extends LayeredCheckId = LayeredCheckId> {
  readonly id: Id;
  /** What it verifies, as a checklist line: "Port 80 redirects to HTTPS". */
  readonly title: string;
  readonly layer: CheckLayer;
  /** False when what it needs was not found (no distribution, no service…): reported as not run, not as passed. */
  appliesTo(observation: Observation): boolean;
  detect(observation: Observation): Detection[];
  /**
   * For a check that follows the plan's other changes (the code side of a live fix): what it finds given the
   * observation and the changes the other checks propose, each detection naming the change it `follows` (its own
   * change then depends on that one). Pure too; run once the others have detected.
   */
  follow?(observation: Observation, changes: readonly Change[]): FollowingDetection[];
}

/** A detection that follows another change of the same plan: `follows` is that change's id. */
export interface FollowingDetection extends Detection {
  readonly follows: string;
}

/** What a check file defines: its id, its title, what it looks at (`subject`) and what it finds there (`detect`). */
export interface CheckDefinition<Id extends LayeredCheckId, S> {
  readonly id: Id;
  readonly title: string;
  /**
   * What the check looks at, narrowed from the observation (the load balancer, the service's container…); undefined
   * when it is not there, and the check is then reported as not run. Written once: `detect` gets it.
   */
  subject(observation: Observation): S | undefined;
  /** The drifts of the subject; none when it passes. */
  detect(subject: S, observation: Observation): Detection[];
  /**
   * Whether finding nothing in the subject proves it passed; false when what would show the drift was not all read
   * (a gap), and the check is then reported as not run unless it found something. Always, when not given.
   */
  conclusive?(subject: S, observation: Observation): boolean;
}

/**
 * A check from its definition: no findings and not run when it has no subject, else what `detect` finds in it (and
 * not run when that is nothing and not `conclusive`); its layer from its id. The check's type keeps its id's literal,
 * from which `CheckId` is derived (`src/checks/checks.ts`).
 */
export function defineCheck<const Id extends LayeredCheckId, S>(definition: CheckDefinition<Id, S>): Check<Id> {
  const { id, title, subject, detect } = definition;
  const conclusive = definition.conclusive ?? (() => true);
  return {
    id,
    title,
    layer: layerOf(id),
    appliesTo: (observation) => {
      const s = subject(observation);
      return s !== undefined && conclusive(s, observation);
    },
    detect: (observation) => {
      const s = subject(observation);
      return s === undefined ? [] : detect(s, observation);
    },
  };
}

/** What a layer's index lists: checks whose ids have that layer's prefix (a check of another layer does not compile). */
export type LayerChecks<L extends CheckLayer> = readonly Check<`${L}.${string}`>[];
