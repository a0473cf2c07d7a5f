/**
 * A build running in the background, with the progress `GET /health` shows and a way to stop it. Small on
 * purpose: `npm start`, re-indexing after an upload and a SIGTERM handler all drive builds through it.
 */
import type { BuildProgress } from './build-index.js';

/** Phases of a background build, in order. */
export type IndexingPhase = 'reading' | 'model' | BuildProgress['phase'] | 'saving';

/**
 * Progress of a running build, as `GET /health` reports it under `indexing`. During `embed`, `done` counts the
 * chunks embedded so far in this build and `total` the chunks it must embed (those not in the vector cache).
 */
export interface IndexingProgress {
  phase: IndexingPhase;
  done: number;
  total: number;
  /** Items per second over the last half minute of this phase. */
  rate: number;
  /** Seconds left at that rate, or null before a rate is known. */
  eta_s: number | null;
}

/** What a build task is given: where to report, and the signal that asks it to stop at the next checkpoint. */
export interface BuildControl {
  signal: AbortSignal;
  report(phase: IndexingPhase, done?: number, total?: number): void;
}

/** A build started by {@link startBackgroundBuild}. */
export interface BackgroundBuild<T> {
  /** Progress now, or undefined once the build has settled. */
  progress(): IndexingProgress | undefined;
  /** Settles with the task's result; rejects when it fails or is aborted. */
  done: Promise<T>;
  /** Asks the task to stop at its next checkpoint and waits until it has. */
  abort(reason?: string): Promise<void>;
}

const RATE_WINDOW_MS = 30_000;

/**
 * Runs `task` in the background and tracks its progress.
 * @example
 * const build = startBackgroundBuild(({ signal, report }) => updateIndex({ ...options, signal, onBuildProgress: (p) => report(p.phase, p.done, p.total) }));
 * setInterval(() => console.log(build.progress()), 5000);
 * await build.done;
 */
export function startBackgroundBuild<T>(task: (control: BuildControl) => Promise<T>): BackgroundBuild<T> {
  const controller = new AbortController();
  let phase: IndexingPhase = 'reading';
  let done = 0;
  let total = 0;
  let samples: Array<{ at: number; done: number }> = [];
  let settled = false;
  const report = (next: IndexingPhase, nextDone = 0, nextTotal = 0) => {
    const at = Date.now();
    if (next !== phase) samples = [];
    phase = next;
    done = nextDone;
    total = nextTotal;
    samples.push({ at, done });
    while (samples.length > 2 && at - samples[0]!.at > RATE_WINDOW_MS) samples.shift();
  };
  const running = Promise.resolve().then(() => task({ signal: controller.signal, report }));
  const finished = running.finally(() => (settled = true));
  finished.catch(() => {}); // a failure is the caller's to handle through `done`
  return {
    progress() {
      if (settled) return undefined;
      const first = samples[0];
      const last = samples[samples.length - 1];
      const seconds = first && last ? (last.at - first.at) / 1000 : 0;
      const rate = seconds > 0 ? (last!.done - first!.done) / seconds : 0;
      return { phase, done, total, rate: Math.round(rate * 10) / 10, eta_s: rate > 0 ? Math.round((total - done) / rate) : null };
    },
    done: finished,
    async abort(reason = 'build stopped') {
      controller.abort(new Error(reason));
      await finished.catch(() => {});
    },
  };
}
