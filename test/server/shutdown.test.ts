import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/answer/answer-engine.js';
import { createLogger } from '../../src/logger.js';
import type { OpenedServices } from '../../src/app/services.js';
import { shutDownGracefully } from '../../src/server/shutdown.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const QUESTION = JSON.stringify({ question: 'CAR-T cell exhaustion' });
let server: TestServer | undefined;
afterEach(async () => {
  server?.project.cleanup();
  server = undefined;
});

/** The real engine, slowed by `delayMs` per answer so a request is surely in flight when shutdown starts. */
const slowed = (delayMs: number) => (services: OpenedServices): OpenedServices => {
  const real = services.engine;
  const ask = async (request: Parameters<AnswerEngine['ask']>[0]) => (await new Promise((r) => setTimeout(r, delayMs)), real.ask(request));
  return { ...services, engine: { ask } as unknown as AnswerEngine };
};

async function untilInFlight(server: TestServer, n: number) {
  for (let i = 0; i < 200 && server.lifecycle.inFlight < n; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(server.lifecycle.inFlight).toBe(n);
}

function openStream(url: string) {
  return fetch(`${url}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION }).then((r) => r.text());
}

describe('graceful shutdown', () => {
  it('lets a running stream finish with its done event, refuses new connections, stops background work, then resolves', async () => {
    server = await startTestServer({ wrap: slowed(600), app: { streamPaceMs: 30 } });
    let backgroundStopped = false;
    server.services.close = async () => void (backgroundStopped = true);
    const stream = openStream(server.url);
    const plain = fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION });
    await untilInFlight(server, 2);
    const lines: string[] = [];
    const done = shutDownGracefully({ ...server, logger: createLogger('info', (l) => lines.push(l)), deadlineMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(fetch(`${server.url}/health`)).rejects.toThrow(); // listener closed: not accepted
    const text = await stream;
    expect(text).toMatch(/event: sources[\s\S]*event: answer[\s\S]*event: citations[\s\S]*event: done/);
    expect((await plain).status).toBe(200);
    await done;
    expect(backgroundStopped).toBe(true);
    expect(lines.join('\n')).toMatch(/2 request\(s\) in flight[\s\S]*all in-flight requests finished[\s\S]*shut down cleanly/);
  });

  it('ends a stream still running at the deadline with a final shutting_down event', async () => {
    server = await startTestServer({ wrap: slowed(3000) });
    const stream = openStream(server.url);
    await untilInFlight(server, 1);
    const lines: string[] = [];
    await shutDownGracefully({ ...server, logger: createLogger('info', (l) => lines.push(l)), deadlineMs: 200 });
    const text = await stream;
    expect(text).toMatch(/event: error\ndata: \{"error":\{"code":"shutting_down"/);
    expect(lines.join('\n')).toMatch(/deadline passed: 1 request\(s\) cut short/);
  });

  it('answers a request that arrives on an already open connection while draining with 503 shutting_down', async () => {
    server = await startTestServer({ wrap: slowed(800) });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(`${server.url}/health`, agent);
    expect(first.status).toBe(200);
    const inFlight = fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUESTION });
    await untilInFlight(server, 1);
    const done = shutDownGracefully({ ...server, logger: createLogger('silent'), deadlineMs: 5000 });
    const late = await get(`${server.url}/health`, agent); // same socket as the first request
    expect(late.status).toBe(503);
    expect(late.headers.connection).toBe('close');
    expect(JSON.parse(late.body).error.code).toBe('shutting_down');
    expect((await inFlight).status).toBe(200);
    await done;
    agent.destroy();
  });
});

function get(url: string, agent: http.Agent): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    }).on('error', reject);
  });
}
