import type { StackInput } from '../../model/stack-definition.js';
import type { SandboxState } from '../sandbox-state.js';

/** A named starting point of the sandbox: a stack as it is in a real incident (or healthy). */
export interface Scenario {
  /** Kebab-case name: `incident`, `healthy`, … */
  readonly name: string;
  /** One paragraph: what is wrong with the stack, and where it comes from. */
  readonly description: string;
  /** The public domain of the stack. */
  readonly domain: string;
  /** The stack remediate is pointed at in this scenario. */
  readonly stack: StackInput;
  /** The sandbox's state at `now` (dates such as certificate validity are relative to it). */
  build(now: Date): SandboxState;
}
