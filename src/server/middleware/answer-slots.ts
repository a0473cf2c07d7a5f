/**
 * A cap on answers computed at once, with a short queue. An answer costs up to a second of CPU; without a cap a
 * few clients with long questions slow every answer down. Beyond the queue a request gets 503 at once, which a
 * client can retry, instead of waiting behind work it will likely time out on.
 *
 * Answers are mostly synchronous CPU work on one event loop, so without care each request would run to the end
 * before the next one is even parsed, and the backlog would sit unseen in socket buffers. Each admitted request
 * therefore yields to the event loop once after taking its slot: every request already waiting is parsed and
 * takes a slot, a queue place or its 503 before any answer is computed.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

/** Releases a slot; calling it twice is harmless. */
export type Release = () => void;

/** Answer slots: `acquire` resolves when one is free. */
export interface AnswerSlots {
  acquire(): Promise<Release>;
  /** Answers running now and waiting, for logs and tests. */
  stats(): { running: number; queued: number };
}

/** Seconds a refused client is told to wait: answers take well under a second, so the queue moves quickly. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Creates the slots. `maxConcurrent` 0 means no cap.
 * @example
 * const slots = createAnswerSlots({ maxConcurrent: 4, maxQueue: 8 });
 * const release = await slots.acquire(); // throws ApiError 503 `overloaded` when the queue is full
 */
export function createAnswerSlots(options: { maxConcurrent: number; maxQueue: number }): AnswerSlots {
  const { maxConcurrent, maxQueue } = options;
  let running = 0;
  const waiting: Array<() => void> = [];
  const releaseOnce = (): Release => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    };
  };
  return {
    async acquire() {
      if (maxConcurrent <= 0) return () => {};
      if (running < maxConcurrent) {
        running += 1;
        const release = releaseOnce();
        await yieldToEventLoop();
        return release;
      }
      if (waiting.length >= maxQueue) {
        throw new ApiError(503, 'overloaded', `The server is busy (${running} answers running, ${waiting.length} waiting). Retry shortly.`, {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        });
      }
      // A released slot passes straight to the next waiter, so `running` stays the same.
      await new Promise<void>((resolve) => waiting.push(resolve));
      const release = releaseOnce();
      await yieldToEventLoop();
      return release;
    },
    stats: () => ({ running, queued: waiting.length }),
  };
}

/** Holds a slot for the whole of a (non-streaming) request. */
export function limitConcurrency(slots: AnswerSlots): MiddlewareHandler {
  return async (_c, next) => {
    const release = await slots.acquire();
    try {
      await next();
    } finally {
      release();
    }
  };
}
