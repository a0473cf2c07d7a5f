/**
 * Per-client rate limit: a token bucket per client that holds a minute's allowance and refills continuously, so a
 * short burst is fine and a steady flood is not. Hono ships no rate limiter; the buckets live in lru-cache so a
 * scan from many addresses cannot grow memory without bound.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import { ApiError } from '../errors.js';
import { API_KEY_VARIABLE } from './api-keys.js';

/** Clients tracked at once; the least recently seen are forgotten first (they start again with a full bucket). */
const MAX_CLIENTS = 10_000;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Allows `perMinute` requests per client (its API key when it sent one, else its address); beyond that 429
 * `rate_limited` with `Retry-After` in seconds. `perMinute` 0 switches the limit off.
 * @example
 * app.use('/ask/*', rateLimit({ perMinute: 600 }));
 */
export function rateLimit(options: { perMinute: number; now?: () => number }): MiddlewareHandler {
  const { perMinute } = options;
  if (perMinute <= 0) return (_c, next) => next();
  const now = options.now ?? Date.now;
  const perMs = perMinute / 60_000;
  const buckets = new LRUCache<string, Bucket>({ max: MAX_CLIENTS });
  return async (c, next) => {
    const client = clientId(c);
    const time = now();
    const bucket = buckets.get(client) ?? { tokens: perMinute, updatedMs: time };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.updatedMs) * perMs);
    bucket.updatedMs = time;
    buckets.set(client, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      throw new ApiError(429, 'rate_limited', `Too many requests: at most ${perMinute} a minute per client. Retry in ${retryAfter} s.`, {
        'Retry-After': String(retryAfter),
      });
    }
    bucket.tokens -= 1;
    await next();
  };
}

function clientId(c: Context): string {
  const key = c.get(API_KEY_VARIABLE as never) as string | undefined;
  if (key) return `key:${key}`;
  try {
    return `ip:${getConnInfo(c).remote.address ?? 'unknown'}`;
  } catch {
    return 'ip:unknown'; // not served by @hono/node-server (e.g. app.request in a script)
  }
}
