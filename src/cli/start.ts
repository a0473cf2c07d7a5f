/** `npm start`: serve the chat page and API at once, bringing the index up to date in the background. */
import { assertServingAccess, loadConfig, type AppConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createApp, type AppOptions } from '../server/app.js';
import { createLifecycle } from '../server/lifecycle.js';
import { liveCorpusUpdates } from '../server/documents-routes.js';
import { startServices } from '../app/live-services.js';
import { startServer } from '../server/serve.js';
import { shutDownGracefully } from '../server/shutdown.js';
import { runCli } from './run-cli.js';

/** Why uploads are refused on a cluster: several servers share it, and one server's corpus folder is not the collection. */
const CLUSTER_READ_ONLY =
  'This server answers from an OpenSearch cluster (SEARCH_BACKEND=opensearch), which npm run ingest fills: add files to the corpus folder and run it; uploads from the page are not supported here.';

await runCli(async () => {
  const config = loadConfig();
  assertServingAccess(config);
  const logger = createLogger(config.logLevel);
  const lifecycle = createLifecycle();
  const options = { access: config.access, limits: config.limits, lifecycle };
  const onCluster = config.searchBackend === 'opensearch';
  const { services, app } = onCluster ? await clusterApp(config, logger, options) : liveApp(config, logger, options);
  const server = await startServer(app, { host: config.host, port: config.port });
  const access = config.access.apiKeys.length > 0 ? `${config.access.apiKeys.length} API key(s) required` : 'no API key required';
  const where = onCluster ? `index on the OpenSearch cluster ${config.opensearch.url}` : 'the index is read and updated in the background, GET /health shows progress';
  logger.info(`Abstract QA serving the chat page and API at ${server.url} (${access}; ${where})`);
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

// On a cluster nothing is built here: the indexes npm run ingest filled are opened (and checked) before serving.
async function clusterApp(config: AppConfig, logger: Logger, options: AppOptions) {
  // Imported only here: the OpenSearch client costs over a second of start-up a local index does not need.
  const { openClusterServices } = await import('../app/cluster-services.js');
  const services = await openClusterServices(config, logger);
  return { services, app: createApp(services, { ...options, readOnlyReason: CLUSTER_READ_ONLY }) };
}

// Serving starts at once; the index is read, the model found and the dense index built in the background.
function liveApp(config: AppConfig, logger: Logger, options: AppOptions) {
  const services = startServices(config, logger);
  return { services, app: createApp(services, { ...options, corpusUpdates: liveCorpusUpdates(config, services) }) };
}
