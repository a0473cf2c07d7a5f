import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertServingAccess, ConfigError, loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';
const ask = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ question: 'CAR-T cell exhaustion' }) });

describe('API keys on', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { API_KEYS: 'alpha-key-1, beta.key_2' } });
  });
  afterAll(() => server?.close());

  it.each([
    ['no Authorization header', {}, /needs an API key/],
    ['a wrong key', { authorization: 'Bearer not-a-key' }, /not valid/],
    ['a key of the right length but wrong', { authorization: 'Bearer alpha-key-2' }, /not valid/],
    ['a malformed header', { authorization: 'Basic YWxwaGE6a2V5' }, /must be "Bearer <key>"/],
    ['a key with a space in it', { authorization: 'Bearer alpha key-1' }, /must be "Bearer <key>"/],
  ])('refuses /ask with %s: 401 JSON with a challenge', async (_name, headers, message) => {
    const response = await ask(server.url, headers as Record<string, string>);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = await response.json();
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toMatch(message);
  });

  it('answers /ask, /ask/stream and /records with either right key', async () => {
    expect((await ask(server.url, { authorization: 'Bearer alpha-key-1' })).status).toBe(200);
    expect((await ask(server.url, { authorization: 'bearer beta.key_2' })).status).toBe(200);
    const stream = await fetch(`${server.url}/ask/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer beta.key_2' },
      body: JSON.stringify({ question: 'CAR-T' }),
    });
    expect(stream.status).toBe(200);
    expect(await stream.text()).toMatch(/event: done/);
    const record = await fetch(`${server.url}/records/${encodeURIComponent(SEED_ID)}`, { headers: { authorization: 'Bearer alpha-key-1' } });
    expect(record.status).toBe(200);
  });

  it('protects every API prefix, including routes other branches add (/documents, /records list)', async () => {
    for (const [method, route] of [['POST', '/ask/stream'], ['GET', `/records/${SEED_ID}`], ['GET', '/records'], ['POST', '/documents'], ['GET', '/documents/x']]) {
      const response = await fetch(`${server.url}${route}`, { method: method!, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(response.status, `${method} ${route}`).toBe(401);
    }
  });

  it('keeps /health, the page and its assets open, and /health hides the corpus without a key', async () => {
    const open = await (await fetch(`${server.url}/health`)).json();
    expect(open).toEqual({ status: 'ok', auth: 'api_key' });
    const wrong = await (await fetch(`${server.url}/health`, { headers: { authorization: 'Bearer nope' } })).json();
    expect(wrong).toEqual({ status: 'ok', auth: 'api_key' });
    const full = await (await fetch(`${server.url}/health`, { headers: { authorization: 'Bearer alpha-key-1' } })).json();
    expect(full).toMatchObject({ status: 'ok', auth: 'api_key', records: 62, retrieval: 'lexical' });
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect((await fetch(`${server.url}/ui/app.js`)).status).toBe(200);
  });
});

describe('API keys off (the local default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('answers without a key and says so in /health, with the corpus details', async () => {
    expect((await ask(server.url)).status).toBe(200);
    expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({ status: 'ok', auth: 'none', records: 62 });
  });
});

describe('settings', () => {
  it('reads keys from API_KEYS and API_KEYS_FILE (comments and blank lines ignored)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-keys-'));
    const file = path.join(dir, 'keys.txt');
    writeFileSync(file, '# lab keys\nfile-key-1\n\n  file-key-2  \n');
    const config = loadConfig({ API_KEYS: 'inline-1,', API_KEYS_FILE: file }, dir);
    expect(config.access.apiKeys).toEqual(['inline-1', 'file-key-1', 'file-key-2']);
    expect(() => loadConfig({ API_KEYS: 'has space' })).toThrow(/API keys may hold only/);
    expect(() => loadConfig({ API_KEYS_FILE: '/no/such/keys.txt' })).toThrow(/API_KEYS_FILE/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a non-loopback HOST without keys, naming API_KEYS and ALLOW_OPEN_ACCESS=true', () => {
    for (const host of ['0.0.0.0', '192.168.1.20', '::']) {
      const config = loadConfig({ HOST: host });
      expect(() => assertServingAccess(config)).toThrow(ConfigError);
      expect(() => assertServingAccess(config)).toThrow(/API_KEYS.*ALLOW_OPEN_ACCESS=true/);
      expect(() => assertServingAccess(loadConfig({ HOST: host, API_KEYS: 'k' }))).not.toThrow();
      expect(() => assertServingAccess(loadConfig({ HOST: host, ALLOW_OPEN_ACCESS: 'true' }))).not.toThrow();
    }
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.1.1']) expect(() => assertServingAccess(loadConfig({ HOST: host }))).not.toThrow();
  });
});
