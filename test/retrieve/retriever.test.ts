import { describe, expect, it } from 'vitest';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import { LexicalIndex } from '../../src/ingest/lexical-index.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { record } from './fixtures.js';

describe('LexicalIndex scoring (hand-computed)', () => {
  const index = new LexicalIndex(['title', 'body']);
  index.add('u1', { title: ['x'], body: ['x', 'y'] });
  index.add('u2', { title: ['z'], body: ['y', 'y', 'w'] });
  const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5)); // n = 2, df(x) = 1
  const weights = { title: 2, body: 1 };

  it('bm25 scores each field with its own length statistics and sums the weighted scores', () => {
    // title: 2 · idf · 1·2.2 / (1 + 1.2·(.25 + .75·1/1)); body: idf · 2.2 / (1 + 1.2·(.25 + .75·2/2.5)).
    const expected = 2 * idf * (2.2 / 2.2) + idf * (2.2 / (1 + 1.2 * 0.85));
    const [hit] = index.search(['x'], { weights, scoring: 'bm25' });
    expect(hit).toEqual({ id: 'u1', score: expect.closeTo(expected, 10) });
    expect(index.search(['x'], { weights })[0]!.score).toBeCloseTo(expected, 10);
  });

  it('bm25f adds the weighted, length-normalised frequencies first and saturates once', () => {
    const tf = 2 * (1 / (0.25 + 0.75 * 1)) + 1 * (1 / (0.25 + 0.75 * (2 / 2.5)));
    const expected = idf * ((tf * 2.2) / (tf + 1.2));
    const [hit] = index.search(['x'], { weights, scoring: 'bm25f' });
    expect(hit).toEqual({ id: 'u1', score: expect.closeTo(expected, 10) });
    // Saturating once scores a two-field match below the sum of two separately saturated fields.
    expect(hit!.score).toBeLessThan(index.search(['x'], { weights, scoring: 'bm25' })[0]!.score);
  });

  it('bm25f counts a document once in the document frequency even when several fields hold the term', () => {
    const twoFields = new LexicalIndex(['title', 'body']);
    twoFields.add('a', { title: ['t'], body: ['t'] });
    twoFields.add('b', { title: ['u'], body: ['u'] });
    twoFields.add('c', { title: ['u'], body: ['u'] });
    const [hit] = twoFields.search(['t'], { scoring: 'bm25f' });
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    expect(hit!.score).toBeCloseTo(idf * ((2 * 2.2) / (2 + 1.2)), 10);
  });

  it('skips fields weighted 0 and honours limit and filter', () => {
    expect(index.search(['z'], { weights: { title: 0 }, scoring: 'bm25f' })).toEqual([]);
    expect(index.search(['y'], { scoring: 'bm25f' }).map((h) => h.id).sort()).toEqual(['u1', 'u2']);
    expect(index.search(['y'], { scoring: 'bm25f', limit: 1 })).toHaveLength(1);
    expect(index.search(['y'], { scoring: 'bm25f', filter: (position) => position === 1 }).map((h) => h.id)).toEqual(['u2']);
  });
});

describe('Retriever', () => {
  const tokenizer = createTokenizer();
  const longAbstract = Array.from({ length: 40 }, (_, i) => `Sentence ${i} mentions vitamin D and bone turnover in older adults.`).join(' ');
  const records = [
    record('title-match', 'Vitamin D and bone density', 'A randomised trial in older adults measured hip outcomes over two years.'),
    record('body-match', 'A trial in older adults', 'Vitamin D and bone density were measured in a randomised trial over two years.'),
    record('long', 'Turnover markers', longAbstract),
    record('other', 'PD-1 blockade in melanoma', 'Responses were durable.'),
  ];

  it('boosts titles: a title match outranks the same words in an abstract, unless the title is damped', async () => {
    const short = records.filter((r) => r.id !== 'long');
    const { index } = await buildSearchIndex({ records: short, tokenizer, chunking: { maxTokens: 380, overlapTokens: 60 } });
    const boosted = await new Retriever(index, tokenizer).search({ query: 'vitamin D bone density', k: 10 });
    expect(boosted.hits.map((h) => h.record.id)).toEqual(['title-match', 'body-match']);
    const damped = new Retriever(index, tokenizer, undefined, { fieldWeights: { title: 0.2, keywords: 1, body: 1 } });
    expect((await damped.search({ query: 'vitamin D bone density', k: 10 })).hits.map((h) => h.record.id)).toEqual(['body-match', 'title-match']);
  });

  it('collapses chunks to one hit per record and lists its matching chunks', async () => {
    const { index } = await buildSearchIndex({ records, tokenizer, chunking: { maxTokens: 60, overlapTokens: 0 } });
    expect(index.chunks.filter((c) => c.recordId === 'long').length).toBeGreaterThan(3);
    const result = await new Retriever(index, tokenizer).search({ query: 'vitamin D bone turnover', k: 10 });
    expect(result.mode).toBe('lexical');
    const found = result.hits.map((h) => h.record.id);
    expect(new Set(found).size).toBe(found.length);
    expect(found).not.toContain('other');
    const long = result.hits.find((h) => h.record.id === 'long')!;
    expect(long.chunks.length).toBeGreaterThan(1);
    expect(long.chunks.every((c) => c.chunk.recordId === 'long')).toBe(true);
    // One candidate chunk would give one record; the pool grows with k (two chunks per record asked for).
    const narrow = new Retriever(index, tokenizer, undefined, { candidates: 1 });
    const ids = (await narrow.search({ query: 'vitamin D bone density', k: 3 })).hits.map((h) => h.record.id);
    expect(ids.sort()).toEqual(['body-match', 'long', 'title-match']);
  });

  it('keeps per-field BM25 available, falls back to lexical without a model, and refuses dense without one', async () => {
    const { index } = await buildSearchIndex({ records, tokenizer, chunking: { maxTokens: 380, overlapTokens: 60 } });
    const perField = new Retriever(index, tokenizer, undefined, { scoring: 'bm25' });
    expect((await perField.search({ query: 'vitamin D bone density', k: 2 })).hits[0]!.record.id).toBe('title-match');
    const retriever = new Retriever(index, tokenizer);
    expect(retriever.effectiveMode).toBe('lexical');
    expect((await retriever.search({ query: 'melanoma', k: 5, mode: 'hybrid' })).mode).toBe('lexical');
    await expect(retriever.search({ query: 'melanoma', k: 5, mode: 'dense' })).rejects.toThrow(/embedding model/);
  });
});
