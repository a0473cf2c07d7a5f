import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AnswerEngine, AskRequest } from '../answer/answer-engine.js';
import type { SearchIndex } from '../ingest/index-store.js';
import type { Logger } from '../logger.js';
import { ApiError, errorBody } from './errors.js';
import { askBodySchema, describeIssues, MAX_BODY_BYTES, type AskBody } from './schemas.js';
import { renderPage } from './ui/page.js';

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
 * The HTTP API: `POST /ask`, `GET /health`, `GET /records/:id`, and the page at `/`. Every error is JSON
 * `{error: {code, message}}`; no stack trace reaches a client.
 */
export function createApp(services: AppServices): Hono {
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

  app.get('/', (c) => c.html(renderPage()));

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

  return app;
}

/** Parses and validates an ask body, throwing {@link ApiError}s a client can act on. */
export async function readAskBody(request: Request): Promise<AskBody> {
  let json: unknown;
  try {
    json = JSON.parse(await request.text());
  } catch {
    throw new ApiError(400, 'invalid_json', 'Request body must be JSON, e.g. {"question": "…"}');
  }
  const parsed = askBodySchema.safeParse(json);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', describeIssues(parsed.error));
  return parsed.data;
}

/** Maps the wire format (snake_case filters) to the engine's request. */
export function toAskRequest(body: AskBody): AskRequest {
  const f = body.filters;
  return {
    question: body.question,
    k: body.k,
    filters: f && { yearFrom: f.year_from, yearTo: f.year_to, journal: f.journal, language: f.language },
  };
}
