/**
 * A real HTTP server on 127.0.0.1 port 0 that serves a model folder in the Hugging Face hub's layout
 * (`/<org>/<name>/resolve/main/<file>`), so the product's real loader downloads through transformers.js
 * (`MODEL_HUB_URL`) with no network. `hold()` makes it stall every request until `release()`, so a test can
 * look at the product while the download is still under way.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A running fake hub. */
export interface HubServer {
  /** Base URL to use as `MODEL_HUB_URL`, ending in `/`. */
  url: string;
  /** Paths requested so far. */
  requests: string[];
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/** Serves `<modelsRoot>/<org>/<name>/…` as `/<org>/<name>/resolve/main/…`. */
export async function startHubServer(modelsRoot: string): Promise<HubServer> {
  const requests: string[] = [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    requests.push(url.pathname);
    if (gate) await gate;
    const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(url.pathname));
    const file = match ? path.join(modelsRoot, match[1]!, match[2]!) : undefined;
    if (!file || !file.startsWith(modelsRoot) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    hold() {
      gate ??= new Promise((resolve) => (open = resolve));
    },
    release() {
      open?.();
      gate = undefined;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
