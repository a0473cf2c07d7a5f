/**
 * The HTTP contract every search backend serves identically (`/ask`, `/ask/stream`, `/records`, `/records/:id`,
 * `/health`), as one suite run against each backend over the shipped corpus (62 records, lexical retrieval).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answer/citations.js';
import type { AbstractRecord } from '../../src/corpus/record.js';

export const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';

/** A server under contract: its URL and what /health must name. */
export interface ContractServer {
  url: string;
  backend: 'embedded' | 'opensearch';
}

/** Event of `POST /ask/stream`. */
export interface StreamEvent {
  event: string;
  data: any;
}

export async function postJson(base: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** Posts to /ask/stream and parses the whole event stream. */
export async function streamEvents(base: string, body: unknown): Promise<StreamEvent[]> {
  const response = await fetch(`${base}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return parseEventStream(await response.text());
}

/** Splits a server-sent event stream into its events, each `data` parsed as JSON. */
export function parseEventStream(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice('event: '.length);
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n');
      return { event, data: JSON.parse(data) };
    });
}

async function record(base: string, id: string): Promise<AbstractRecord | undefined> {
  const response = await fetch(`${base}/records/${encodeURIComponent(id)}`);
  return response.status === 200 ? ((await response.json()) as AbstractRecord) : undefined;
}

/** Citations must quote their record exactly, as `GET /records/:id` of the same server returns it. */
async function expectExactQuotes(base: string, body: any): Promise<void> {
  const records = new Map<string, AbstractRecord | undefined>();
  for (const c of body.citations) records.set(c.id, await record(base, c.id));
  expect(checkCitations(body.answer, body.citations, (id) => records.get(id))).toEqual([]);
}

/** Registers the contract tests for one backend; `server()` is read once the suite's beforeAll has started it. */
export function describeApiContract(name: string, server: () => ContractServer): void {
  describe(`${name}: the API contract`, () => {
    let base: string;
    beforeAll(() => {
      base = server().url;
    });

    it('POST /ask answers an English question from the seed, grounded, quoting exactly', async () => {
      const { status, body } = await postJson(base, '/ask', { question: 'What strategies can prevent or reverse CAR-T cell exhaustion?' });
      expect(status).toBe(200);
      expect(Object.keys(body).filter((key) => key !== 'translated_terms').sort()).toEqual(['answer', 'answer_mode', 'citations', 'grounded', 'language', 'retrieval']);
      expect(body).toMatchObject({ grounded: true, language: 'en', answer_mode: 'extractive', retrieval: { mode: 'lexical' } });
      expect(body.citations[0]).toMatchObject({ id: SEED_ID, doi: '10.3870/j.issn.1672-0741.23.11.008', year: 2024 });
      await expectExactQuotes(base, body);
    });

    it('POST /ask finds the seed for a Chinese question through its Chinese title and the dictionary', async () => {
      const { body } = await postJson(base, '/ask', { question: '如何逆转CAR-T细胞耗竭？' });
      expect(body.language).toBe('zh');
      expect(body.grounded).toBe(true);
      expect(body.citations.map((c: { id: string }) => c.id)).toContain(SEED_ID);
      expect(body.translated_terms).toContain('exhaustion');
      await expectExactQuotes(base, body);
    });

    it('POST /ask refuses an off-topic question, in its language', async () => {
      const en = await postJson(base, '/ask', { question: 'What is the best recipe for sourdough bread?' });
      expect(en.body.grounded).toBe(false);
      expect(en.body.answer).toMatch(/^The corpus does not answer this question\./);
      const zh = await postJson(base, '/ask', { question: '如何烤制酸面包？' });
      expect(zh.body.grounded).toBe(false);
      expect(zh.body.answer).toMatch(/^语料库中的摘要没有回答这个问题/);
    });

    it('POST /ask honours k and the language and year filters', async () => {
      const { body } = await postJson(base, '/ask', { question: 'PD-1 blockade in tumours', k: 2 });
      expect(new Set(body.citations.map((c: { id: string }) => c.id)).size).toBeLessThanOrEqual(2);
      const zh = await postJson(base, '/ask', { question: 'T cell exhaustion', filters: { language: 'zh' } });
      expect(zh.body.citations.length).toBeGreaterThan(0);
      for (const c of zh.body.citations) expect((await record(base, c.id))!.language).toBe('zh');
      const byYear = await postJson(base, '/ask', { question: 'CAR-T cell exhaustion', filters: { year_from: 2024, year_to: 2024 } });
      expect(byYear.body.citations.length).toBeGreaterThan(0);
      for (const c of byYear.body.citations) expect(c.year).toBe(2024);
    });

    it('POST /ask/stream sends sources (with authors from the records), answer pieces, citations, done: the /ask answer', async () => {
      const question = 'What strategies can prevent or reverse CAR-T cell exhaustion?';
      const events = await streamEvents(base, { question });
      expect(events.map((e) => e.event)).toEqual(['sources', ...events.slice(1, -2).map(() => 'answer'), 'citations', 'done']);
      const plain = (await postJson(base, '/ask', { question })).body;
      expect(events.filter((e) => e.event === 'answer').map((e) => e.data.text).join('')).toBe(plain.answer);
      expect(events.at(-2)!.data.citations).toEqual(plain.citations);
      const seed = events[0]!.data.sources.find((s: { id: string }) => s.id === SEED_ID);
      expect(seed).toMatchObject({ original_title: 'CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略', authors: ['Xinpei MO', 'Yan LI', 'Yong DUAN'] });
    });

    it('GET /records/:id returns the full record, 404 record_not_found when unknown', async () => {
      const seed = await record(base, SEED_ID);
      expect(seed).toMatchObject({ id: SEED_ID, originalTitle: 'CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略', authors: ['Xinpei MO', 'Yan LI', 'Yong DUAN'] });
      const missing = await fetch(`${base}/records/nope`);
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.code).toBe('record_not_found');
    });

    it('GET /records pages the collection with facets and filters titles folded', async () => {
      const first = (await (await fetch(`${base}/records?limit=10`)).json()) as any;
      expect(first).toMatchObject({ total: 62, offset: 0, limit: 10 });
      const next = (await (await fetch(`${base}/records?limit=10&offset=60`)).json()) as any;
      expect(new Set([...first.records, ...next.records].map((r: { id: string }) => r.id)).size).toBe(12);
      expect(first.facets.languages.map((l: { code: string }) => l.code).sort()).toEqual(['en', 'zh']);
      const chinese = (await (await fetch(`${base}/records?q=${encodeURIComponent('T细胞耗竭')}`)).json()) as any;
      expect(chinese.records.map((r: { id: string }) => r.id)).toContain(SEED_ID);
    });

    it('GET /health names the backend and counts the collection', async () => {
      const body = (await (await fetch(`${base}/health`)).json()) as any;
      expect(body).toMatchObject({ status: 'ok', backend: server().backend, records: 62, retrieval: 'lexical' });
      expect(body.chunks).toBeGreaterThanOrEqual(62);
      if (server().backend === 'opensearch') expect(['green', 'yellow']).toContain(body.cluster);
      else expect(body.cluster).toBeUndefined();
    });
  });
}
