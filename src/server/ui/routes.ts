/**
 * Serves the chat page and its assets. The assets are plain ES modules and CSS read from `static/` once at
 * start-up: no build step, so `npm start` stays the only command, and only files present at start-up can be
 * served (no path from the URL ever reaches the file system).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { ApiError } from '../errors.js';
import { renderPage } from './page.js';

const STATIC_DIR = path.join(import.meta.dirname, 'static');
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

// Everything the page loads comes from this origin; abstracts are untrusted text, so no inline script may run.
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A static asset held in memory. */
interface Asset {
  body: string;
  type: string;
  etag: string;
}

/** Reads `static/*.js|css` into memory. Exported for tests that check what is served. */
export function loadAssets(dir = STATIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue;
    const body = readFileSync(path.join(dir, name), 'utf8');
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return assets;
}

/** Registers `GET /` (the page) and `GET /ui/:name` (its scripts and styles). */
export function registerUi(app: Hono): void {
  const assets = loadAssets();
  const page = renderPage();

  app.get('/', (c) => {
    c.header('Content-Security-Policy', PAGE_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(page);
  });

  app.get('/ui/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) throw new ApiError(404, 'not_found', `No asset ${c.req.param('name')}`);
    // Revalidate every load (cheap, 304 when unchanged) so an upgraded server never mixes old and new modules.
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', asset.etag);
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    return c.body(asset.body);
  });
}
