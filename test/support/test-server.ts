/** The real app over a temp copy of the shipped corpus, on 127.0.0.1 port 0: what the HTTP and browser tests talk to. */
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server/app.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openServices, type OpenedServices } from '../../src/server/services.js';
import { createTempProject, type TempProject } from './temp-project.js';

/** The product serving a temp copy of the shipped corpus (lexical-only: no model). */
export interface TestServer {
  url: string;
  services: OpenedServices;
  close(): Promise<void>;
}

/** Starts the real app on port 0. */
export async function startTestServer(): Promise<TestServer> {
  const project: TempProject = createTempProject();
  const services = await openServices(project.config, createLogger('silent'));
  const server: RunningServer = await startServer(createApp(services), { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    services,
    close: async () => {
      await server.close();
      project.cleanup();
    },
  };
}

