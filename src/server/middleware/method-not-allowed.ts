/** 405 with `Allow` for a known path asked with the wrong method (`GET /ask`), instead of a misleading 404. */
import type { Hono } from 'hono';
import { ApiError } from '../errors.js';

/**
 * Call after every route is registered: for each path with routes, any other method gets 405
 * `method_not_allowed` listing the methods that path serves (HEAD wherever GET is, as Hono answers it).
 * @example
 * registerMethodNotAllowed(app); // last line of createApp
 */
export function registerMethodNotAllowed(app: Hono): void {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue; // middleware, not a route
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].sort().join(', ');
    app.all(path, (c) => {
      throw new ApiError(405, 'method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`, { Allow: allow });
    });
  }
}
