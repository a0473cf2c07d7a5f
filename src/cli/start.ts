/** `npm start`: index the corpus if needed, then serve the chat page and API. */
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createApp } from '../server/app.js';
import { startServer } from '../server/serve.js';
import { openServices } from '../server/services.js';
import { runCli } from './run-cli.js';

await runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const services = await openServices(config, logger);
  const server = await startServer(createApp(services), { host: config.host, port: config.port });
  const mode = services.modelId ? `hybrid retrieval (${services.modelId})` : 'LEXICAL-ONLY retrieval (no embedding model)';
  logger.info(`Abstract QA serving ${services.index.records.length} abstracts with ${mode} at ${server.url}`);
  // A stray rejection deep in a library must not take the server down with it; log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
