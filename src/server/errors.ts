import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Stable error codes clients can branch on. */
export type ErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'payload_too_large'
  | 'not_found'
  | 'record_not_found'
  | 'method_not_allowed'
  | 'unauthorized'
  | 'rate_limited'
  | 'overloaded'
  | 'shutting_down'
  | 'timeout'
  | 'file_too_large'
  | 'unsupported_format'
  | 'no_records'
  | 'not_removable'
  | 'file_not_found'
  | 'corpus_read_only'
  | 'internal_error';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** An HTTP error carrying a stable code; rendered as `{error: {code, message}}`. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers, e.g. `Retry-After` or `Allow`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

/** The error body for any thrown value; unknown errors become a 500 with no internals leaked. */
export function errorBody(error: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (error instanceof ApiError) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  if (error instanceof HTTPException) {
    const code: ErrorCode = error.status === 404 ? 'not_found' : error.status === 413 ? 'payload_too_large' : 'invalid_request';
    return { status: error.status, body: { error: { code, message: error.message || 'Bad request' } } };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'The server failed to answer; the error is in its log.' } } };
}
