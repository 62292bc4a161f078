/**
 * The layers of the stack, top to bottom: one vocabulary for a check's folder (`src/checks/<layer>/`), the prefix of
 * its id (`<layer>.<name>`) and the layer a plan records for its outcome.
 */
export const checkLayers = ['stack', 'dns', 'cloudfront', 'alb', 'tg', 'ecs', 'network', 'logs', 'repo'] as const;
export type CheckLayer = (typeof checkLayers)[number];

/**
 * The id of a check: `<layer>.<name>`, where the layer is its folder (`src/checks/<layer>/<name>.ts`). The exact
 * union of the ids that exist, `CheckId`, is derived from the layer indexes in `src/checks/checks.ts`, so a new check
 * is named nowhere but in its file and its layer's index; the model (plans, findings) keeps this wider type, which is
 * also what a plan read back from the journal holds.
 */
export type LayeredCheckId = `${CheckLayer}.${string}`;

/** The layer of a check: its id's prefix. */
export function layerOf<Id extends LayeredCheckId>(id: Id): Id extends `${infer L extends CheckLayer}.${string}` ? L : never;
export function layerOf(id: LayeredCheckId): CheckLayer {
  return id.slice(0, id.indexOf('.')) as CheckLayer;
}
