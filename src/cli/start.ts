/** `npm start`: serve the chat page and API at once, bringing the index up to date in the background. */
import { assertServingAccess, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createApp } from '../server/app.js';
import { createLifecycle } from '../server/lifecycle.js';
import { liveCorpusUpdates } from '../server/documents-routes.js';
import { startServices } from '../app/live-services.js';
import { startServer } from '../server/serve.js';
import { shutDownGracefully } from '../server/shutdown.js';
import { runCli } from './run-cli.js';

await runCli(async () => {
  const config = loadConfig();
  assertServingAccess(config);
  const logger = createLogger(config.logLevel);
  // Serving starts at once; the index is read, the model found and the dense index built in the background.
  const services = startServices(config, logger);
  const lifecycle = createLifecycle();
  const app = createApp(services, { access: config.access, limits: config.limits, lifecycle, corpusUpdates: liveCorpusUpdates(config, services) });
  const server = await startServer(app, { host: config.host, port: config.port });
  const access = config.access.apiKeys.length > 0 ? `${config.access.apiKeys.length} API key(s) required` : 'no API key required';
  logger.info(`Abstract QA serving the chat page and API at ${server.url} (${access}; the index is read and updated in the background, GET /health shows progress)`);
  // A stray rejection deep in a library must not take the server down with it; log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));
  let stopping = false;
  // A build stopped here resumes from the vector cache next time; the last good index is never touched.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received`);
    void shutDownGracefully({ server, lifecycle, services, logger, deadlineMs: config.limits.shutdownTimeoutMs })
      // stderr is flushed before exit so the last log lines are never lost.
      .then(() => new Promise<void>((resolve) => process.stderr.write('', () => resolve())))
      .then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
});
