/**
 * `GET /records` and `GET|POST /records/export` against the real server: paging and title filter, facets, stable
 * error codes, and exports of cited records that re-import through the readers field for field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { bibliographicFields } from '../support/bibliographic-fields.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function getJson(url: string) {
  const response = await fetch(server.url + url);
  return { status: response.status, body: await response.json() };
}

describe('GET /records', () => {
  it('pages through the collection with facets', async () => {
    const first = await getJson('/records?limit=10');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 62, offset: 0, limit: 10 });
    expect(first.body.records).toHaveLength(10);
    const next = await getJson('/records?limit=10&offset=60');
    expect(next.body.records).toHaveLength(2);
    expect(new Set([...first.body.records, ...next.body.records].map((r: { id: string }) => r.id)).size).toBe(12);
    expect(first.body.facets.languages.map((l: { code: string }) => l.code).sort()).toEqual(['en', 'zh']);
    expect(first.body.facets.journals[0]).toEqual({ name: expect.any(String), count: expect.any(Number) });
  });

  it('filters by title and original title, folded', async () => {
    const english = await getJson(`/records?q=${encodeURIComponent('4-1bb costimulation')}`);
    expect(english.body.total).toBe(1);
    expect(english.body.records[0].title).toMatch(/^4-1BB Costimulation Ameliorates/);
    const chinese = await getJson(`/records?q=${encodeURIComponent('T细胞耗竭')}`);
    expect(chinese.body.records.map((r: { id: string }) => r.id)).toContain(SEED_ID);
    const seed = chinese.body.records.find((r: { id: string }) => r.id === SEED_ID);
    expect(seed).toMatchObject({ original_title: 'CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略', language: expect.any(String), source_file: expect.any(String) });
  });

  it('rejects bad paging with invalid_request', async () => {
    for (const query of ['limit=0', 'limit=500', 'offset=-1', 'limit=ten', 'sort=title']) {
      const response = await getJson(`/records?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('invalid_request');
    }
  });
});

describe('record export', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-http-export-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['ris', 'application/x-research-info-systems', '.ris'],
    ['bibtex', 'application/x-bibtex', '.bib'],
  ])('exports the records an answer cites as %s, re-imported field for field', async (format, type, extension) => {
    const answer = await (await fetch(`${server.url}/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'What strategies can prevent or reverse CAR-T cell exhaustion?' }),
    })).json();
    const ids = [...new Set<string>(answer.citations.map((c: { id: string }) => c.id))];
    expect(ids.length).toBeGreaterThan(0);
    const response = await fetch(`${server.url}/records/export?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}&format=${format}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="abstract-qa-${ids.length}-records?\\${extension}"$`));
    const file = path.join(dir, `cited${extension}`);
    writeFileSync(file, await response.text());
    const again = await readCorpus([file], { root: dir });
    expect(again.issues).toEqual([]);
    const originals = ids.map((id) => server.services.index.recordById.get(id)!);
    expect(again.records.map((r) => bibliographicFields(r, format === 'ris'))).toEqual(originals.map((r) => bibliographicFields(r, format === 'ris')));
  });

  it('exports a selection by POST, and refuses unknown ids and formats with stable codes', async () => {
    const post = (body: unknown) => fetch(`${server.url}/records/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post({ ids: [SEED_ID], format: 'ris' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^TY {2}- JOUR\r\n[\s\S]*TT {2}- CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略\r\n/);
    const unknown = await post({ ids: [SEED_ID, 'nope'], format: 'ris' });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toEqual({ code: 'record_not_found', message: 'No record with id "nope"' });
    const badFormat = await post({ ids: [SEED_ID], format: 'docx' });
    expect(badFormat.status).toBe(400);
    expect((await badFormat.json()).error.code).toBe('invalid_request');
    const none = await getJson('/records/export?format=ris');
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/ids: name at least one record/);
  });
});
