/** Reading an ask body, shared by `POST /ask` and `POST /ask/stream` so both validate identically. */
import type { AskRequest } from '../answer/answer-engine.js';
import { ApiError } from './errors.js';
import { askBodySchema, describeIssues, type AskBody } from './schemas.js';

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
    ...(body.history && body.history.length > 0 && { history: body.history }),
  };
}
