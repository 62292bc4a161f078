/**
 * What an application answers over HTTP: the sandbox's stand-in for the code in a container image.
 * Health checks of the targets running it are answered from this table.
 */
export interface SimulatedApp {
  /** Path (without query string) → HTTP status. Paths not listed answer `notFoundStatus`. */
  responses: Record<string, number>;
  /** The status of unlisted paths; 404 unless set. */
  notFoundStatus?: number;
}

/** The HTTP status the app answers a GET of `path` with (the query string is ignored). */
export function appStatusFor(app: SimulatedApp, path: string): number {
  const bare = path.split('?')[0] ?? path;
  return app.responses[path] ?? app.responses[bare] ?? app.notFoundStatus ?? 404;
}
