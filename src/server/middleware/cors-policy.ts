/** Cross-origin access: off unless `CORS_ORIGINS` lists the origins allowed, through Hono's cors middleware. */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * With no origins, adds nothing (browsers then refuse cross-origin reads, the safe default). With a list, allows
 * exactly those origins to call the API with `Authorization` and `Content-Type`.
 * @example
 * app.use('*', corsPolicy(['https://lab.example.org']));
 */
export function corsPolicy(origins: readonly string[]): MiddlewareHandler {
  if (origins.length === 0) return (_c, next) => next();
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
}
