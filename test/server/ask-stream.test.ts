import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEngine } from '../../src/answer/answer-engine.js';
import { splitAnswer } from '../../src/server/answer-chunks.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server/app.js';
import { startServer } from '../../src/server/serve.js';
import { parseEventStream, type StreamEvent } from '../support/api-contract.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SEED_ID = 'doi-10.3870_j.issn.1672-0741.23.11.008';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** Posts to /ask/stream and parses the whole event stream. */
async function stream(body: unknown, base = server.url): Promise<{ status: number; type: string | null; events: StreamEvent[] }> {
  const response = await fetch(`${base}/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const events = parseEventStream(await response.text());
  return { status: response.status, type: response.headers.get('content-type'), events };
}

async function ask(body: unknown) {
  const response = await fetch(`${server.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

describe('POST /ask/stream', () => {
  it('sends sources, then answer pieces, then citations, then done — the same answer as /ask', async () => {
    const question = 'What strategies can prevent or reverse CAR-T cell exhaustion?';
    const { status, type, events } = await stream({ question });
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('sources');
    expect(names.at(-2)).toBe('citations');
    expect(names.at(-1)).toBe('done');
    const pieces = events.filter((e) => e.event === 'answer');
    expect(pieces.length).toBeGreaterThan(1);
    expect(names.slice(1, -2).every((n) => n === 'answer')).toBe(true);

    const whole = await ask({ question });
    expect(pieces.map((e) => e.data.text).join('')).toBe(whole.answer);
    const citations = events.at(-2)!.data.citations;
    expect(citations).toEqual(whole.citations);
    for (const piece of pieces) expect(piece.data.text).not.toMatch(/\[\d*$|^\d*\]/);

    const sources = events[0]!.data;
    expect(sources).toMatchObject({ language: 'en', grounded: true, retrieval: { mode: 'lexical' } });
    expect(sources.searched_question).toBeUndefined();
    const seed = sources.sources.find((s: any) => s.id === SEED_ID);
    expect(seed).toMatchObject({ original_title: 'CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略', authors: ['Xinpei MO', 'Yan LI', 'Yong DUAN'], year: 2024 });
    // Every marker of the answer names a listed source, each source once.
    const markers = sources.sources.flatMap((s: any) => s.markers).sort();
    expect(markers).toEqual(citations.map((c: any) => c.n).sort());
    expect(new Set(sources.sources.map((s: any) => s.id)).size).toBe(sources.sources.length);
    expect(typeof events.at(-1)!.data.took_ms).toBe('number');
  });

  it('streams a Chinese answer for a Chinese question', async () => {
    const { events } = await stream({ question: '如何逆转CAR-T细胞耗竭？' });
    expect(events[0]!.data.language).toBe('zh');
    // The dictionary translations searched in the English abstracts, for the page's "Searched for: …".
    expect(events[0]!.data.translated_terms).toContain('exhaustion');
    expect(events.filter((e) => e.event === 'answer').map((e) => e.data.text).join('')).toMatch(/^根据语料库中的摘要/);
    expect(events.at(-1)!.event).toBe('done');
  });

  it('streams the no-answer state: grounded false, closest sources listed', async () => {
    const { events } = await stream({ question: 'What is the best recipe for sourdough bread?' });
    expect(events[0]!.data.grounded).toBe(false);
    expect(events[0]!.data.sources.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.event === 'answer').map((e) => e.data.text).join('')).toMatch(/^The corpus does not answer this question\./);
  });

  it('resolves a follow-up against the history and says what it searched', async () => {
    const alone = await stream({ question: 'and in solid tumours?' });
    expect(alone.events[0]!.data.searched_question).toBeUndefined();
    const followUp = await stream({ question: 'and in solid tumours?', history: [{ question: 'How does CAR-T cell exhaustion occur?' }] });
    const sources = followUp.events[0]!.data;
    expect(sources.searched_question).toBe('and in solid tumours? CAR-T cell exhaustion');
    expect(sources.grounded).toBe(true);
    // The carried topic changes what is found: the CAR-T exhaustion review, on its solid-tumour sentence.
    const citations = followUp.events.at(-2)!.data.citations;
    expect(citations[0].id).toBe(SEED_ID);
    expect(citations.some((c: any) => /solid tumou?r/i.test(c.quote))).toBe(true);
    expect(alone.events.at(-2)!.data.citations).not.toEqual(citations);
    // /ask takes the same history, given as plain strings too.
    const plain = await ask({ question: 'and in solid tumours?', history: ['How does CAR-T cell exhaustion occur?'] });
    expect(plain.searched_question).toBe(sources.searched_question);
  });

  it.each([
    ['invalid JSON', '{"question": ', 'invalid_json', /JSON/],
    ['an empty question', { question: ' ' }, 'invalid_request', /question: must not be empty/],
    ['an unknown field', { question: 'CAR-T', stream: true }, 'invalid_request', /stream/],
    ['too many history turns', { question: 'and?', history: Array.from({ length: 7 }, (_, i) => `q${i}`) }, 'invalid_request', /history: must hold at most 6/],
    ['an empty history turn', { question: 'and?', history: [''] }, 'invalid_request', /history\.0: must not be empty/],
    ['a history turn over 2000 characters', { question: 'and?', history: ['x'.repeat(2001)] }, 'invalid_request', /history\.0: must be at most 2000/],
    ['a history turn with unknown keys', { question: 'and?', history: [{ question: 'a', answer: 'b' }] }, 'invalid_request', /history\.0/],
  ])('rejects %s with 400 JSON before any stream starts', async (_name, body, code, message) => {
    const response = await fetch(`${server.url}/ask/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const json = await response.json();
    expect(json.error.code).toBe(code);
    expect(json.error.message).toMatch(message);
  });

  it('rejects a body over 32 KB with 413 JSON', async () => {
    const response = await fetch(`${server.url}/ask/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'x', padding: 'y'.repeat(33 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
  });

  it('turns a failure after the stream started into an error event with no internals', async () => {
    const logged: string[] = [];
    const failing = { ask: async () => Promise.reject(new Error('index exploded at /secret/path.ts:12')) } as unknown as AnswerEngine;
    const app = createApp({ ...server.services, engine: failing, logger: { ...createLogger('silent'), error: (m: string) => logged.push(m) } });
    const broken = await startServer(app, { host: '127.0.0.1', port: 0 });
    try {
      const { status, events } = await stream({ question: 'CAR-T' }, broken.url);
      expect(status).toBe(200);
      expect(events).toEqual([{ event: 'error', data: { error: { code: 'internal_error', message: expect.any(String) } } }]);
      expect(JSON.stringify(events)).not.toMatch(/secret|exploded/);
      expect(logged.join('\n')).toMatch(/exploded/);
    } finally {
      await broken.close();
    }
  });
});

describe('splitAnswer', () => {
  const answer = 'CAR-T cells fail in solid tumours because of exhaustion and suppression. [1] Costimulation through 4-1BB helps. [12]';

  it('splits into pieces that join back to the answer exactly', () => {
    const pieces = splitAnswer(answer, { target: 16 });
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(answer);
  });

  it('never cuts a citation marker', () => {
    for (const target of [1, 2, 3, 5, 8, 13]) {
      for (const piece of splitAnswer(answer, { target })) expect(piece).not.toMatch(/\[\d*$|^\d+\]/);
    }
  });

  it('cuts long Chinese runs between characters, keeping surrogate pairs whole', () => {
    const chinese = '根据语料库中的摘要（原文引用）：嵌合抗原受体T细胞在实体瘤中容易耗竭𠀀𠀁。[1]';
    const pieces = splitAnswer(chinese, { target: 6 });
    expect(pieces.join('')).toBe(chinese);
    expect(pieces.length).toBeGreaterThan(4);
    for (const piece of pieces) expect(piece).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('returns nothing for an empty answer', () => {
    expect(splitAnswer('')).toEqual([]);
  });
});
