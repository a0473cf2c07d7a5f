import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { AnswerEngine } from '../answer/answer-engine.js';
import type { AccessSettings, LimitSettings } from '../config.js';
import type { IndexingProgress } from '../ingest/background-build.js';
import type { Logger } from '../logger.js';
import { readAskBody, toAskRequest } from './ask-body.js';
import { registerAskStream } from './ask-stream.js';
import type { Collection } from './collection.js';
import { registerDocumentRoutes, registerReadOnlyDocuments, type CorpusUpdates } from './documents-routes.js';
import { registerRecordRoutes } from './records-routes.js';
import { ApiError, errorBody } from './errors.js';
import { createLifecycle, trackRequests, type Lifecycle } from './lifecycle.js';
import { createAnswerSlots, limitConcurrency } from './middleware/answer-slots.js';
import { hasValidKey, requireApiKey } from './middleware/api-keys.js';
import { corsPolicy } from './middleware/cors-policy.js';
import { registerMethodNotAllowed } from './middleware/method-not-allowed.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestTimeout } from './middleware/request-timeout.js';
import { securityHeaders } from './middleware/security-headers.js';
import { MAX_BODY_BYTES } from './schemas.js';
import { registerUi } from './ui/routes.js';

/** Path prefixes that need an API key (when keys are set) and count against the limits. */
export const API_PREFIXES = ['/ask', '/records', '/documents'] as const;

/** What the HTTP layer serves from. */
export interface AppServices {
  engine: AnswerEngine;
  /** The records and counts behind the engine, from whichever backend holds the index. */
  collection: Collection;
  /** Loaded embedding model id, or null in lexical-only mode. */
  modelId: string | null;
  /** Why the model is not loaded, shown in /health. */
  modelProblem?: string;
  logger: Logger;
  /**
   * Stops background work (e.g. an index build) at a safe point; graceful shutdown awaits it before exit. Seam
   * for the background index build (issue #10), which fills it in.
   */
  close?: () => Promise<void>;
}

/** Services that may be replaced while the server runs (a finished index swapped in); read once per request. */
export interface ServicesSource {
  current(): AppServices;
  /** Progress of a background index build, or undefined when none runs. */
  indexing?(): IndexingProgress | undefined;
}

/** Settings of the HTTP layer itself. */
export interface AppOptions {
  /** Pause between streamed answer pieces of `POST /ask/stream`, in ms (0 sends them back to back). @default 20 */
  streamPaceMs?: number;
  /** Keys and CORS (from {@link AccessSettings}); absent = no key needed, no CORS. */
  access?: AccessSettings;
  /** Rate limit, answer slots, timeout (from {@link LimitSettings}); absent = no limits. */
  limits?: Omit<LimitSettings, 'shutdownTimeoutMs'>;
  /** In-flight tracking for graceful shutdown. @default a fresh lifecycle (never drained) */
  lifecycle?: Lifecycle;
  /** Lets the page add and remove corpus files (`/documents`); without it the collection is read-only. */
  corpusUpdates?: CorpusUpdates;
  /** Why the collection cannot change from here: `/documents` then answers 409 `corpus_read_only` saying so. */
  readOnlyReason?: string;
}

/** `GET /health` body. */
export interface HealthBody {
  status: 'ok';
  /** `api_key` when the API needs a key; the page then asks for one. */
  auth: 'none' | 'api_key';
  /** The fields below only when no key is needed or the request sent a valid one. */
  /** Where the index lives. */
  backend?: 'embedded' | 'opensearch';
  /** Cluster health (`green`, `yellow`, `red` or `unreachable`); OpenSearch only. */
  cluster?: string;
  records?: number;
  chunks?: number;
  model?: string | null;
  retrieval?: 'hybrid' | 'lexical';
  warning?: string;
  /** Present while an index build runs in the background. */
  indexing?: IndexingProgress;
}

/**
 * The HTTP API: `POST /ask`, `POST /ask/stream` (Server-Sent Events), `GET /health`, `GET /records` (the list,
 * `:id`, `export`), and the chat page at `/` with its assets under `/ui/`. Every error is JSON `{error: {code, message}}` (an `error` event
 * once a stream has started); no stack trace reaches a client.
 */
export function createApp(services: AppServices | ServicesSource, options: AppOptions = {}): Hono {
  const app = new Hono();
  const source: ServicesSource = 'current' in services ? services : { current: () => services };
  const { logger } = source.current();
  const keys = options.access?.apiKeys ?? [];
  const limits = options.limits;
  const lifecycle = options.lifecycle ?? createLifecycle();
  const slots = createAnswerSlots({ maxConcurrent: limits?.maxConcurrent ?? 0, maxQueue: limits?.maxQueue ?? 0 });

  app.onError((error, c) => {
    // bearer-auth builds its own (JSON) reply.
    if (error instanceof HTTPException && !(error instanceof ApiError) && error.res) return error.getResponse();
    const { status, body } = errorBody(error);
    if (status >= 500 && status !== 503 && status !== 504) logger.error(`${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (error instanceof ApiError) for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(body, status);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Request body exceeds ${MAX_BODY_BYTES / 1024} KB`);
    },
  });

  app.use('*', securityHeaders(), corsPolicy(options.access?.corsOrigins ?? []), trackRequests(lifecycle));
  for (const prefix of API_PREFIXES) {
    app.use(prefix, requireApiKey(keys), rateLimit({ perMinute: limits?.ratePerMinute ?? 0 }), requestTimeout(limits?.requestTimeoutMs ?? 0));
    app.use(`${prefix}/*`, requireApiKey(keys), rateLimit({ perMinute: limits?.ratePerMinute ?? 0 }), requestTimeout(limits?.requestTimeoutMs ?? 0));
  }

  registerUi(app);

  app.get('/health', async (c) => {
    const auth = keys.length > 0 ? 'api_key' : 'none';
    // Open to probes, but with keys on it tells a stranger nothing about the corpus.
    if (!(await hasValidKey(c, keys))) return c.json<HealthBody>({ status: 'ok', auth });
    const services = source.current();
    const { collection } = services;
    const indexing = source.indexing?.();
    const { backend, cluster, records, chunks } = await collection.status();
    const body: HealthBody = {
      status: 'ok',
      auth,
      backend,
      ...(cluster && { cluster }),
      records,
      chunks,
      model: services.modelId,
      retrieval: collection.hasVectors && services.modelId ? 'hybrid' : 'lexical',
      ...(services.modelProblem && { warning: services.modelProblem }),
      ...(indexing && { indexing }),
    };
    return c.json(body);
  });

  registerRecordRoutes(app, { collection: () => source.current().collection, limitBody });
  if (options.corpusUpdates) registerDocumentRoutes(app, options.corpusUpdates);
  else if (options.readOnlyReason) registerReadOnlyDocuments(app, options.readOnlyReason);

  app.post('/ask', limitBody, limitConcurrency(slots), async (c) => {
    const body = await readAskBody(c.req.raw);
    return c.json(await source.current().engine.ask(toAskRequest(body)));
  });

  registerAskStream(app, { current: () => source.current(), logger, limitBody, slots, lifecycle, timeoutMs: limits?.requestTimeoutMs ?? 0, paceMs: options.streamPaceMs });

  registerMethodNotAllowed(app);
  return app;
}
