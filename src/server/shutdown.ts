/** Graceful shutdown on SIGTERM/SIGINT: stop accepting, let in-flight answers finish, stop background work, exit. */
import type { Logger } from '../logger.js';
import type { AppServices } from './app.js';
import type { Lifecycle } from './lifecycle.js';
import type { RunningServer } from './serve.js';

/** What {@link shutDownGracefully} stops. */
export interface ShutdownParts {
  server: RunningServer;
  lifecycle: Lifecycle;
  services: Pick<AppServices, 'close'>;
  logger: Logger;
  /** How long in-flight work may take before its connections are closed (LimitSettings.shutdownTimeoutMs). */
  deadlineMs: number;
}

/**
 * Drains and stops the server. New connections are refused at once; requests arriving on open connections get
 * 503 `shutting_down`; answers in flight finish (streams end with their `done` event, or a `shutting_down` event
 * at the deadline); then background work stops at a safe point and every connection is closed.
 * @example
 * process.once('SIGTERM', () => void shutDownGracefully(parts).then(() => process.exit(0)));
 */
export async function shutDownGracefully(parts: ShutdownParts): Promise<void> {
  const { server, lifecycle, services, logger, deadlineMs } = parts;
  logger.info(`shutting down: ${lifecycle.inFlight} request(s) in flight, waiting up to ${deadlineMs} ms`);
  const listenerClosed = server.stopAccepting().catch(() => {});
  const { finished, abandoned } = await lifecycle.drain(deadlineMs);
  if (finished) logger.info('all in-flight requests finished');
  else logger.warn(`shutdown deadline passed: ${abandoned} request(s) cut short (streams got a final shutting_down event)`);
  await new Promise((resolve) => setTimeout(resolve, finished ? 50 : 200)); // let final bytes and Connection: close reach clients
  try {
    await services.close?.();
  } catch (error) {
    logger.error(`stopping background work failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  server.closeConnections();
  await listenerClosed;
  logger.info('shut down cleanly');
}
