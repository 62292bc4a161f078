import type { AwsCallObserver, AwsCallStart } from '../aws/aws-call-observer.js';
import type { ProgressEvent } from '../engine/engine-context.js';
import { walkLayers, type WalkLayer } from '../observe/walk-progress.js';

/** The redrawing part of log-update (a function, with `done` to keep the last frame). */
interface Redraw {
  (text: string): void;
  done(): void;
}

/** What the progress of a command shows on a terminal: the engine's events, and the AWS calls awaited. */
export interface ProgressView {
  readonly progress: (event: ProgressEvent) => void;
  readonly calls: AwsCallObserver;
  /** Keeps the last frame and stops redrawing (the command is over). */
  close(): void;
}

/**
 * The progress of a command on a terminal (stderr): the walk layer by layer (done ✓, in progress …), and the AWS
 * calls it is waiting for, redrawn in place by log-update; then the steps of an apply or rollback, one line each, and
 * what verify --wait still waits for before each new try.
 */
export function progressView(redraw: Redraw, styleDone: (text: string) => string): ProgressView {
  let title: string | undefined;
  const layers = new Map<WalkLayer, 'start' | 'done'>();
  const awaited = new Map<string, number>();
  let drawing = false;

  const draw = () => {
    if (title === undefined) return;
    const row = walkLayers
      .filter((l) => layers.has(l))
      .map((l) => (layers.get(l) === 'done' ? styleDone(`✓ ${l}`) : `… ${l}`))
      .join('  ');
    const waiting = [...awaited.keys()];
    const lines = [`${title} …`, ...(row !== '' ? [`  ${row}`] : [])];
    if (waiting.length > 0)
      lines.push(`  waiting for ${waiting.slice(0, 4).join(', ')}${waiting.length > 4 ? ` and ${waiting.length - 4} more` : ''}`);
    redraw(lines.join('\n'));
    drawing = true;
  };
  const finish = () => {
    awaited.clear();
    if (!drawing) return;
    draw();
    redraw.done();
    drawing = false;
  };
  const key = (call: AwsCallStart) => `${call.service} ${call.operation}`;

  return {
    progress: (event) => {
      if (event.type === 'observe') {
        finish();
        title = event.message;
        layers.clear();
        draw();
      } else if (event.type === 'walk') {
        layers.set(event.layer, event.phase);
        if (!walkLayers.every((l) => layers.get(l) === 'done')) return draw();
        finish();
        title = undefined;
      } else if (event.type === 'wait') {
        finish();
        title = undefined;
        const still = [...event.failing, ...event.pending];
        const seconds = (ms: number) => (ms / 1000).toFixed(1);
        process.stderr.write(
          `  waiting for AWS to converge (${seconds(event.elapsedMs)} s; next try in ${seconds(event.nextInMs)} s):\n` +
            still.map((line) => `    … ${line}\n`).join(''),
        );
      } else {
        finish();
        title = undefined;
        if (event.phase === 'start') process.stderr.write(`  [${event.seq + 1}/${event.total}] ${event.label} …\n`);
      }
    },
    calls: {
      started: (call) => {
        if (title === undefined) return;
        awaited.set(key(call), (awaited.get(key(call)) ?? 0) + 1);
        draw();
      },
      finished: (record) => {
        const n = (awaited.get(key(record)) ?? 0) - 1;
        if (n > 0) awaited.set(key(record), n);
        else awaited.delete(key(record));
        if (title !== undefined && drawing) draw();
      },
    },
    close: finish,
  };
}
