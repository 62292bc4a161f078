/** The layers of the walk, in the order of the chain (what a progress line shows, left to right). */
export const walkLayers = ['DNS', 'CloudFront', 'load balancer', 'target group', 'ECS', 'network', 'logs'] as const;

export type WalkLayer = (typeof walkLayers)[number];

/** A layer of the walk started (its reads wait for what they need) or done (its reads settled, answered or not). */
export interface WalkEvent {
  readonly layer: WalkLayer;
  readonly phase: 'start' | 'done';
}

/** Told of each layer of a walk as it starts and ends; the caller decides whether and how to show it. */
export type WalkListener = (event: WalkEvent) => void;

/**
 * Reports a layer: `start` now, `done` once all its reads have settled. Only observes the reads: their values and
 * failures still go to whoever awaits them (observeStack), so nothing is swallowed here.
 */
export function reportLayer(listener: WalkListener, layer: WalkLayer, reads: readonly Promise<unknown>[]): void {
  listener({ layer, phase: 'start' });
  void Promise.allSettled(reads).then(() => listener({ layer, phase: 'done' }));
}
