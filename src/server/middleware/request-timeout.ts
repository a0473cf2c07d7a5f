/** A deadline on a whole request (queue wait included), through Hono's timeout middleware. */
import type { MiddlewareHandler } from 'hono';
import { timeout } from 'hono/timeout';
import { ApiError } from '../errors.js';

/**
 * Answers 504 `timeout` JSON when a request takes longer than `ms`; 0 switches the deadline off. The work itself
 * runs on (and keeps its answer slot) until it ends, so a timed-out burst cannot pile more work on top.
 * @example
 * app.use('/ask', requestTimeout(150_000));
 */
export function requestTimeout(ms: number): MiddlewareHandler {
  if (ms <= 0) return (_c, next) => next();
  return timeout(ms, () => timeoutError(ms));
}

/** The 504 error, also sent as the `error` event of a stream that ran out of time. */
export function timeoutError(ms: number): ApiError {
  return new ApiError(504, 'timeout', `The answer took longer than ${ms} ms (REQUEST_TIMEOUT_MS) and was abandoned.`);
}
