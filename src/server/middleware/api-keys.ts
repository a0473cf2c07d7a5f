/** API keys: `Authorization: Bearer <key>` on the API, checked in constant time by Hono's bearer-auth. */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { ErrorBody } from '../errors.js';

/** Context variable holding the key a request authenticated with (rate limits count per key). */
export const API_KEY_VARIABLE = 'apiKey';

const REFUSED: Record<'missing' | 'malformed' | 'wrong', string> = {
  missing: 'This server needs an API key: send it as "Authorization: Bearer <key>".',
  malformed: 'The Authorization header must be "Bearer <key>".',
  wrong: 'The API key is not valid for this server.',
};

/**
 * Requires one of `keys` as a bearer token; with no keys it lets everything through (a local single user). Every
 * refusal is 401 JSON `{error: {code: 'unauthorized', message}}` with a `WWW-Authenticate` challenge.
 * @example
 * app.use('/ask/*', requireApiKey(['k1', 'k2']));
 */
export function requireApiKey(keys: readonly string[]): MiddlewareHandler {
  if (keys.length === 0) return (_c, next) => next();
  const refuse = (why: keyof typeof REFUSED) => (c: Context) => c.json<ErrorBody>({ error: { code: 'unauthorized', message: REFUSED[why] } }, 401);
  const auth = bearerAuth({
    verifyToken: (token, c) => {
      c.set(API_KEY_VARIABLE as never, token as never);
      return isKnownKey(keys, token);
    },
    noAuthenticationHeader: { message: refuse('missing') },
    invalidAuthenticationHeader: { message: refuse('malformed') },
    invalidToken: { message: refuse('wrong') },
  });
  return async (c, next) => {
    await auth(c, next);
  };
}

/**
 * Does the request carry a valid key (always true when no keys are set)? For open routes that show more to
 * authenticated callers, such as `/health`.
 */
export async function hasValidKey(c: Context, keys: readonly string[]): Promise<boolean> {
  if (keys.length === 0) return true;
  const match = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '');
  return match ? isKnownKey(keys, match[1]!) : false;
}

// Compares against every key, so the time taken says nothing about which key (or how much of one) matched.
// The hash is node:crypto's synchronous SHA-256: Hono's default (WebCrypto) takes a thread-pool round trip per
// call, and with many keys a busy event loop then holds each request in authentication, hidden from the limits.
async function isKnownKey(keys: readonly string[], token: string): Promise<boolean> {
  let found = false;
  for (const key of keys) if (await timingSafeEqual(key, token, sha256Hex)) found = true;
  return found;
}

function sha256Hex(data: string | object | boolean): string {
  return createHash('sha256').update(String(data)).digest('hex');
}
