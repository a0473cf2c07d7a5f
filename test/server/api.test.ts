import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answer/citations.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function post(path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(server.url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** Checks the /ask contract every answer must keep. */
function expectSoundAnswer(body: any) {
  // translated_terms is there when the (mixed-language) corpus was also searched through dictionary translations.
  expect(Object.keys(body).filter((key) => key !== 'translated_terms').sort()).toEqual(['answer', 'answer_mode', 'citations', 'grounded', 'language', 'retrieval']);
  if (body.translated_terms !== undefined) for (const term of body.translated_terms) expect(term).toMatch(/\S/);
  expect(body.answer_mode).toBe('extractive');
  expect(['en', 'zh']).toContain(body.language);
  expect(typeof body.grounded).toBe('boolean');
  expect(['hybrid', 'lexical']).toContain(body.retrieval.mode);
  expect(typeof body.retrieval.took_ms).toBe('number');
  expect(checkCitations(body.answer, body.citations, (id) => server.services.index.recordById.get(id))).toEqual([]);
  for (const citation of body.citations) {
    expect(citation.quote.length).toBeGreaterThan(0);
    expect(typeof citation.title).toBe('string');
  }
}

describe('POST /ask', () => {
  it('answers an English question on CAR-T exhaustion strategies from the seed, with exact quotes', async () => {
    const { status, body } = await post('/ask', { question: 'What strategies can prevent or reverse CAR-T cell exhaustion?' });
    expect(status).toBe(200);
    expectSoundAnswer(body);
    expect(body.language).toBe('en');
    expect(body.grounded).toBe(true);
    expect(body.retrieval.mode).toBe('lexical');
    expect(body.citations[0].id).toBe(SEED_ID);
    expect(body.citations[0].doi).toBe('10.3870/j.issn.1672-0741.23.11.008');
    expect(body.citations[0].year).toBe(2024);
    expect(body.answer).toContain('[1]');
  });

  it('finds the seed for a Chinese question through its Chinese title, answering in Chinese', async () => {
    const { status, body } = await post('/ask', { question: '如何逆转CAR-T细胞耗竭？' });
    expect(status).toBe(200);
    expectSoundAnswer(body);
    expect(body.language).toBe('zh');
    expect(body.citations.map((c: any) => c.id)).toContain(SEED_ID);
    expect(body.grounded).toBe(true);
    expect(body.translated_terms).toContain('exhaustion');
  });

  it('says the corpus does not answer an off-topic question, in its language, listing the closest sources', async () => {
    const en = await post('/ask', { question: 'What is the best recipe for sourdough bread?' });
    expect(en.status).toBe(200);
    expectSoundAnswer(en.body);
    expect(en.body.grounded).toBe(false);
    expect(en.body.answer).toMatch(/^The corpus does not answer this question\./);
    const zh = await post('/ask', { question: '如何烤制酸面包？' });
    expect(zh.body.grounded).toBe(false);
    expect(zh.body.language).toBe('zh');
    expect(zh.body.answer).toMatch(/^语料库中的摘要没有回答这个问题/);
  });

  it('honours k and filters', async () => {
    const { body } = await post('/ask', { question: 'PD-1 blockade in tumours', k: 2 });
    expect(new Set(body.citations.map((c: any) => c.id)).size).toBeLessThanOrEqual(2);
    const filtered = await post('/ask', { question: 'T cell exhaustion', filters: { language: 'zh' } });
    expect(filtered.status).toBe(200);
    for (const c of filtered.body.citations) expect(server.services.index.recordById.get(c.id)!.language).toBe('zh');
    const byYear = await post('/ask', { question: 'CAR-T cell exhaustion', filters: { year_from: 2024, year_to: 2024 } });
    expect(byYear.body.citations.length).toBeGreaterThan(0);
    for (const c of byYear.body.citations) expect(c.year).toBe(2024);
  });

  it.each([
    ['invalid JSON', '{"question": ', 'invalid_json', /JSON/],
    ['a missing question', {}, 'invalid_request', /question/],
    ['an empty question', { question: '   ' }, 'invalid_request', /question: must not be empty/],
    ['a question over 2000 characters', { question: 'x'.repeat(2001) }, 'invalid_request', /2000/],
    ['k out of range', { question: 'CAR-T', k: 21 }, 'invalid_request', /^k: /],
    ['a non-integer k', { question: 'CAR-T', k: 1.5 }, 'invalid_request', /^k: /],
    ['an unknown field', { question: 'CAR-T', top_k: 3 }, 'invalid_request', /top_k/],
    ['a bad filter', { question: 'CAR-T', filters: { year_from: 2020, year_to: 2010 } }, 'invalid_request', /year_from/],
    ['a JSON array', [1, 2], 'invalid_request', /body/],
  ])('rejects %s with 400 and a stable code', async (_name, body, code, message) => {
    const response = await post('/ask', body as any);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toMatch(message);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('rejects a body over 32 KB with 413', async () => {
    const response = await post('/ask', { question: 'x', padding: 'y'.repeat(33 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });
});

describe('other routes', () => {
  it('GET /health reports lexical mode and counts', async () => {
    const response = await fetch(`${server.url}/health`);
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', model: null, retrieval: 'lexical', records: 62 });
    expect(body.chunks).toBeGreaterThanOrEqual(62);
    expect(body.warning).toMatch(/embedding model/);
  });

  it('GET /records/:id returns the full record, 404 JSON when unknown', async () => {
    const found = await fetch(`${server.url}/records/${encodeURIComponent(SEED_ID)}`);
    expect(found.status).toBe(200);
    const record = await found.json();
    expect(record.originalTitle).toBe('CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略');
    expect(record.authors).toEqual(['Xinpei MO', 'Yan LI', 'Yong DUAN']);
    const missing = await fetch(`${server.url}/records/nope`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('record_not_found');
  });

  it('unknown routes get 404 JSON', async () => {
    const response = await fetch(`${server.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('GET / serves the page with a question box', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/<textarea[^>]*id="question"|id="question"/);
  });
});
