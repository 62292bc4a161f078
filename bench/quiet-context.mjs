// The engine context every benchmark runs with: it says nothing (every log and progress sink ignores what it is
// given), never sleeps for a checkpoint, and is never aborted. Loopback only: the caller's ports name the endpoint.
import { hostname } from 'node:os';

const ignore = () => undefined;

/** `awsFor(region)` gives the ports; `verifyTimeoutMs` how long a read-back may wait (1 s unless said). */
export function quietContext({ awsFor, journal, verifyTimeoutMs = 1000 }) {
  return {
    awsFor,
    journal,
    endpoint: 'bench',
    who: { user: 'bench', host: hostname(), pid: process.pid },
    isAlive: () => true,
    now: () => new Date(),
    log: { debug: ignore, info: ignore, warn: ignore, error: ignore },
    progress: ignore,
    notice: ignore,
    verifyTimeoutMs,
    lockLeaseMs: 60_000,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    signal: new AbortController().signal,
    checkpoint: ignore,
  };
}
