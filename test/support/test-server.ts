/** The real app over a temp copy of the shipped corpus, on 127.0.0.1 port 0: what the HTTP and browser tests talk to. */
import { createLogger } from '../../src/logger.js';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { createLifecycle, type Lifecycle } from '../../src/server/lifecycle.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openServices, type OpenedServices } from '../../src/app/services.js';
import { liveCorpusUpdates } from '../../src/server/documents-routes.js';
import { startServices, type LiveServices } from '../../src/app/live-services.js';
import { createTempProject, type TempProject, type TempProjectOptions } from '../../bench/support/temp-project.js';

/** The product serving a temp copy of the shipped corpus (lexical-only: no model). */
export interface TestServer {
  url: string;
  services: OpenedServices;
  server: RunningServer;
  lifecycle: Lifecycle;
  project: TempProject;
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions extends TempProjectOptions {
  /** Overrides of what the config gives createApp (e.g. a slow stream pace). */
  app?: Partial<AppOptions>;
  /** Wraps the services before the app sees them (e.g. a slower engine). */
  wrap?: (services: OpenedServices) => OpenedServices;
}

/** Starts the real app on port 0, with the access and limit settings of its config (`env` sets them). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const project: TempProject = createTempProject(options);
  const opened = await openServices(project.config, createLogger('silent'));
  const services = options.wrap ? options.wrap(opened) : opened;
  const lifecycle = createLifecycle();
  const { access, limits } = project.config;
  const app = createApp(services, { access, limits, lifecycle, ...options.app });
  const server: RunningServer = await startServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    services,
    server,
    lifecycle,
    project,
    close: async () => {
      server.closeConnections();
      await server.close();
      project.cleanup();
    },
  };
}


/** A live server (`npm start`'s services: background builds, corpus changes) and its temp project. */
export interface LiveTestServer {
  url: string;
  live: LiveServices;
  project: TempProject;
  close(): Promise<void>;
}

/**
 * Starts the app the way `npm start` does — index built in the background, files added and removed through
 * `/documents` — over a temp project; waits until the first build is served.
 */
export async function startLiveTestServer(options: TempProjectOptions = {}): Promise<LiveTestServer> {
  const project = createTempProject(options);
  const live = startServices(project.config, createLogger('silent'));
  await live.idle();
  const app = createApp(live, { corpusUpdates: liveCorpusUpdates(project.config, live), streamPaceMs: 0 });
  const server = await startServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    live,
    project,
    close: async () => {
      await live.close();
      await server.close();
      project.cleanup();
    },
  };
}
