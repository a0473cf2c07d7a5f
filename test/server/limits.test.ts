import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/answer/answer-engine.js';
import type { OpenedServices } from '../../src/app/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const QUESTION = JSON.stringify({ question: 'CAR-T cell exhaustion' });
const ask = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: QUESTION });

/** The real engine behind a gate: answers wait until the test opens it, so slots stay busy as long as needed. */
function gated() {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const wrap = (services: OpenedServices): OpenedServices => {
    const real = services.engine;
    const engine = { ask: async (request: Parameters<AnswerEngine['ask']>[0]) => (await gate, real.ask(request)) } as unknown as AnswerEngine;
    return { ...services, engine };
  };
  return {
    wrap,
    open: () => open(),
    close: () => (gate = new Promise<void>((resolve) => (open = resolve))),
  };
}

describe('rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_PER_MIN: '3', API_KEYS: 'key-a,key-b' } });
  });
  afterAll(() => server?.close());

  it('answers 429 with Retry-After beyond the limit, counting each key on its own', async () => {
    for (let i = 0; i < 3; i++) expect((await ask(server.url, { authorization: 'Bearer key-a' })).status).toBe(200);
    const limited = await ask(server.url, { authorization: 'Bearer key-a' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(20);
    expect((await limited.json()).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/3 a minute/) });
    expect((await ask(server.url, { authorization: 'Bearer key-b' })).status).toBe(200);
    // Open routes never count.
    for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('answer slots and queue', () => {
  const gate = gated();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_CONCURRENT: '2', MAX_QUEUE: '1', RATE_LIMIT_PER_MIN: '0' }, wrap: gate.wrap });
  });
  afterAll(() => server?.close());

  it('runs 2, queues 1, and answers 503 overloaded with Retry-After beyond that; all queued ones complete', async () => {
    const accepted = [ask(server.url), ask(server.url), fetch(`${server.url}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION })];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await ask(server.url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).error.code).toBe('overloaded');
    const refusedStream = await fetch(`${server.url}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION });
    expect(refusedStream.status).toBe(503);
    gate.open();
    const statuses = await Promise.all(accepted.map(async (p) => (await p).status));
    expect(statuses).toEqual([200, 200, 200]);
    expect((await ask(server.url)).status).toBe(200);
  });
});

describe('answer slots with the real (synchronous) engine', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_CONCURRENT: '1', MAX_QUEUE: '1', RATE_LIMIT_PER_MIN: '0' } });
  });
  afterAll(() => server?.close());

  it('sees a burst that arrives together, instead of answering each before the next is even read', async () => {
    // Warm the connections first so the burst is ten requests on ten open sockets.
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${server.url}/health`).then((r) => r.text())));
    const statuses = await Promise.all(Array.from({ length: 10 }, () => ask(server.url).then(async (r) => (await r.text(), r.status))));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });
});

describe('request timeout', () => {
  const gate = gated();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { REQUEST_TIMEOUT_MS: '300', RATE_LIMIT_PER_MIN: '0' }, wrap: gate.wrap });
  });
  afterEach(() => gate.open());
  afterAll(() => server?.close());

  it('answers 504 timeout JSON when an answer takes too long', async () => {
    const response = await ask(server.url);
    expect(response.status).toBe(504);
    expect((await response.json()).error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/REQUEST_TIMEOUT_MS/) });
  });

  it('ends a stream whose answer takes too long with an error event carrying the timeout code', async () => {
    gate.close();
    const response = await fetch(`${server.url}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/event: error\ndata: \{"error":\{"code":"timeout"/);
    expect(text).not.toMatch(/event: done/);
  });
});

describe('methods, CORS and headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { CORS_ORIGINS: 'https://lab.example.org' } });
  });
  afterAll(() => server?.close());

  it.each([
    ['GET', '/ask', 'POST'],
    ['PUT', '/ask/stream', 'POST'],
    ['POST', '/health', 'GET, HEAD'],
    ['DELETE', '/records/some-id', 'GET, HEAD'],
    ['POST', '/', 'GET, HEAD'],
  ])('%s %s → 405 with Allow: %s', async (method, route, allow) => {
    const response = await fetch(server.url + route, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect((await response.json()).error.code).toBe('method_not_allowed');
  });

  it('allows a listed origin (preflight and request) and gives an unlisted one nothing', async () => {
    const preflight = await fetch(`${server.url}/ask`, {
      method: 'OPTIONS',
      headers: { origin: 'https://lab.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://lab.example.org');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const allowed = await ask(server.url, { origin: 'https://lab.example.org' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://lab.example.org');
    const refused = await ask(server.url, { origin: 'https://evil.example.com' });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const refusedPreflight = await fetch(`${server.url}/ask`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends the strict page policy and other security headers from secure-headers; assets revalidate by ETag', async () => {
    const page = await fetch(`${server.url}/`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const asset = await fetch(`${server.url}/ui/app.js`);
    const tag = asset.headers.get('etag');
    expect(tag).toBeTruthy();
    expect(asset.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(`${server.url}/ui/app.js`, { headers: { 'if-none-match': tag! } });
    expect(again.status).toBe(304);
  });
});

describe('CORS off by default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('adds no CORS header for any origin', async () => {
    const response = await ask(server.url, { origin: 'https://lab.example.org' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
