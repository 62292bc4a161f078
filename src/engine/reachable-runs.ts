import type { EngineContext } from './engine-context.js';

/**
 * The targets (`endpoint|account|region|stack` keys) whose runs may need reconciling through the current endpoint:
 * runs left running, and ended runs that may hold a step written, not verified (the newest 200 runs). Runs made
 * against another endpoint are left for a command that can read their live state. A module of its own, without the
 * change kinds, so that history and show load reconciliation (and the kinds' schemas) only when there is a run to settle.
 */
export async function reachableRunKeys(ctx: Pick<EngineContext, 'journal' | 'endpoint'>): Promise<string[]> {
  const running = (await ctx.journal.listRuns({ limit: 200 })).filter(
    (r) => !r.dryRun && (r.status === 'running' || r.status === 'failed' || r.status === 'interrupted'),
  );
  return [...new Set(running.map((r) => r.targetKey))].filter((key) => key.split('|')[0] === ctx.endpoint);
}
