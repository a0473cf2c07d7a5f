import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AnswerEngine } from '../answer/answer-engine.js';
import type { SearchIndex } from '../ingest/index-store.js';
import type { Logger } from '../logger.js';
import { readAskBody, toAskRequest } from './ask-body.js';
import { registerAskStream } from './ask-stream.js';
import { ApiError, errorBody } from './errors.js';
import { MAX_BODY_BYTES } from './schemas.js';
import { registerUi } from './ui/routes.js';

/** What the HTTP layer serves from. */
export interface AppServices {
  engine: AnswerEngine;
  index: SearchIndex;
  /** Loaded embedding model id, or null in lexical-only mode. */
  modelId: string | null;
  /** Why the model is not loaded, shown in /health. */
  modelProblem?: string;
  logger: Logger;
}

/** Settings of the HTTP layer itself. */
export interface AppOptions {
  /** Pause between streamed answer pieces of `POST /ask/stream`, in ms (0 sends them back to back). @default 20 */
  streamPaceMs?: number;
}

/** `GET /health` body. */
export interface HealthBody {
  status: 'ok';
  records: number;
  chunks: number;
  model: string | null;
  retrieval: 'hybrid' | 'lexical';
  warning?: string;
}

/**
 * The HTTP API: `POST /ask`, `POST /ask/stream` (Server-Sent Events), `GET /health`, `GET /records/:id`, and the
 * chat page at `/` with its assets under `/ui/`. Every error is JSON `{error: {code, message}}` (an `error` event
 * once a stream has started); no stack trace reaches a client.
 */
export function createApp(services: AppServices, options: AppOptions = {}): Hono {
  const app = new Hono();
  const { engine, index, logger } = services;

  app.onError((error, c) => {
    const { status, body } = errorBody(error);
    if (status >= 500) logger.error(`${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return c.json(body, status);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Request body exceeds ${MAX_BODY_BYTES / 1024} KB`);
    },
  });

  registerUi(app);

  app.get('/health', (c) => {
    const body: HealthBody = {
      status: 'ok',
      records: index.records.length,
      chunks: index.chunks.length,
      model: services.modelId,
      retrieval: index.dense && services.modelId ? 'hybrid' : 'lexical',
      ...(services.modelProblem && { warning: services.modelProblem }),
    };
    return c.json(body);
  });

  app.get('/records/:id', (c) => {
    const id = c.req.param('id');
    const record = index.recordById.get(id);
    if (!record) throw new ApiError(404, 'record_not_found', `No record with id "${id}"`);
    return c.json(record);
  });

  app.post('/ask', limitBody, async (c) => {
    const body = await readAskBody(c.req.raw);
    return c.json(await engine.ask(toAskRequest(body)));
  });

  registerAskStream(app, { engine, index, logger, limitBody, paceMs: options.streamPaceMs });

  return app;
}
