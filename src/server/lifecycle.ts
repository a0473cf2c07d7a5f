/**
 * What a graceful shutdown needs from the HTTP layer: which requests are still in flight (streams included, until
 * their last event), a switch that turns new requests away with 503 while those finish, and a signal that tells
 * streams still open at the deadline to send a final event and end.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.js';

/** Shared by the app (which tracks work) and the shutdown (which waits for it). */
export interface Lifecycle {
  /** True once shutdown has begun. */
  readonly draining: boolean;
  /** Aborted when the shutdown deadline passes: open streams end with a `shutting_down` event. */
  readonly deadline: AbortSignal;
  /** Requests and streams still running. */
  readonly inFlight: number;
  /** Counts `work` as in flight until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Refuses new requests from now on and resolves when nothing is in flight, or after `ms` (then aborts `deadline`). */
  drain(ms: number): Promise<{ finished: boolean; abandoned: number }>;
}

/**
 * Creates a lifecycle.
 * @example
 * const lifecycle = createLifecycle();
 * const app = createApp(services, { lifecycle });
 * process.once('SIGTERM', () => lifecycle.drain(10_000).then(...));
 */
export function createLifecycle(): Lifecycle {
  let draining = false;
  let inFlight = 0;
  const deadline = new AbortController();
  const idle = new Set<() => void>();
  const settle = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const notify of idle) notify();
  };
  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    deadline: deadline.signal,
    track(work) {
      inFlight += 1;
      work.then(settle, settle);
      return work;
    },
    async drain(ms) {
      draining = true;
      if (inFlight === 0) return { finished: true, abandoned: 0 };
      let timer: NodeJS.Timeout | undefined;
      const finished = await new Promise<boolean>((resolve) => {
        const notify = () => resolve(true);
        idle.add(notify);
        timer = setTimeout(() => {
          idle.delete(notify);
          resolve(false);
        }, ms);
      });
      clearTimeout(timer);
      const abandoned = inFlight;
      if (!finished) deadline.abort();
      return { finished, abandoned };
    },
  };
}

/**
 * Counts every request as in flight and, once draining, answers new ones 503 `shutting_down` with
 * `Connection: close`, so clients move to another server instead of reusing this connection.
 */
export function trackRequests(lifecycle: Lifecycle): MiddlewareHandler {
  return async (c, next) => {
    if (lifecycle.draining) {
      c.header('Connection', 'close');
      throw new ApiError(503, 'shutting_down', 'The server is shutting down; retry in a moment (or on another instance).', {
        'Retry-After': '5',
        Connection: 'close',
      });
    }
    await lifecycle.track(next());
  };
}
