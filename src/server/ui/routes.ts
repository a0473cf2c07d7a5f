/**
 * Serves the chat page and its assets. The assets are plain ES modules and CSS read from `static/` once at
 * start-up: no build step, so `npm start` stays the only command, and only files present at start-up can be
 * served (no path from the URL ever reaches the file system).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { etag } from 'hono/etag';
import { ApiError } from '../errors.js';
import { renderPage } from './page.js';

const STATIC_DIR = path.join(import.meta.dirname, 'static');
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** A static asset held in memory. */
interface Asset {
  body: string;
  type: string;
}

/** Reads `static/*.js|css` into memory. */
function loadAssets(dir = STATIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue;
    const body = readFileSync(path.join(dir, name), 'utf8');
    assets.set(name, { body, type });
  }
  return assets;
}

/**
 * Registers `GET /` (the page) and `GET /ui/:name` (its scripts and styles). The Content-Security-Policy and the
 * other security headers come from the app-wide secure-headers middleware (../middleware/security-headers.ts).
 */
export function registerUi(app: Hono): void {
  const assets = loadAssets();
  const page = renderPage();

  app.get('/', (c) => c.html(page));

  // Revalidate every load (cheap: 304 when unchanged) so an upgraded server never mixes old and new modules.
  app.use('/ui/*', etag());
  app.get('/ui/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) throw new ApiError(404, 'not_found', `No asset ${c.req.param('name')}`);
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Type', asset.type);
    return c.body(asset.body);
  });
}
