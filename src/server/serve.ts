import type { Server } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** A running HTTP server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  /** Stops listening and resolves once every connection has ended (idle keep-alive ones are closed now). */
  close(): Promise<void>;
  /**
   * Stops listening but leaves open connections alone, so a request already on its way over a keep-alive
   * connection still gets an answer (a 503 while draining) instead of a reset. Resolves when every connection ended.
   */
  stopAccepting(): Promise<void>;
  /** Ends every connection at once (after a drain). */
  closeConnections(): void;
}

/** Serves an app on `host:port` (port 0 picks a free port) and resolves once it is listening. */
export function startServer(app: Hono, options: { host: string; port: number }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      const closed = (done: () => void, fail: (error: Error) => void) => (error?: Error) => (error ? fail(error) : done());
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((done, fail) => server.close(closed(done, fail))),
        // http.Server#close also closes idle keep-alive sockets, racing clients that are about to reuse them;
        // net.Server#close only stops the listener.
        stopAccepting: () => new Promise<void>((done, fail) => NetServer.prototype.close.call(server, closed(done, fail))),
        closeConnections: () => (server as Server).closeAllConnections(),
      });
    });
    server.once('error', reject);
  });
}
