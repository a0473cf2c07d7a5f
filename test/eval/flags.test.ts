import { describe, expect, it } from 'vitest';
import { parseEvalFlags, tokenizerFor } from '../../src/eval/flags.js';

const defaults = { maxTokens: 380, overlapTokens: 60, ef: 100 };

describe('parseEvalFlags', () => {
  it('leaves the product defaults in place when no tuning flag is given', () => {
    expect(parseEvalFlags({}, defaults)).toEqual({
      mode: 'lexical',
      cutoff: 10,
      limitQueries: undefined,
      tokenizer: {},
      retriever: { ef: 100 },
      chunking: { maxTokens: 380, overlapTokens: 60 },
    });
  });

  it('reads every tuning flag', () => {
    const flags = parseEvalFlags(
      {
        mode: 'hybrid', k: '20', 'limit-queries': '50', zh: 'bigrams', 'no-stem': true, k1: '0.9', b: '0.4',
        fields: 'title=2,body=1', fusion: 'rrf', scoring: 'bm25', 'lexical-weight': '0.3', candidates: '300', ef: '200',
        'chunk-tokens': '100', 'chunk-overlap': '80',
      },
      defaults,
    );
    expect(flags).toEqual({
      mode: 'hybrid',
      cutoff: 20,
      limitQueries: 50,
      tokenizer: { chinese: 'bigrams', stem: false },
      retriever: { ef: 200, k1: 0.9, b: 0.4, lexicalWeight: 0.3, candidates: 300, fusion: 'rrf', scoring: 'bm25', fieldWeights: { title: 2, body: 1 } },
      // Overlap is capped at half a chunk, as the product's config does.
      chunking: { maxTokens: 100, overlapTokens: 50 },
    });
    expect(tokenizerFor(flags).name).toMatch(/zh=bigrams:stem=false/);
    expect(tokenizerFor(parseEvalFlags({ zh: 'whitespace' }, defaults)).name).toBe('whitespace-v1');
  });

  it.each([
    [{ mode: 'sparse' }, /--mode must be one of lexical, dense, hybrid/],
    [{ k1: 'abc' }, /--k1 must be a number from 0 to 10/],
    [{ b: '1.5' }, /--b must be a number from 0 to 1/],
    [{ k: '2.5' }, /--k must be a whole number/],
    [{ 'limit-queries': '0' }, /--limit-queries must be a number from 1/],
    [{ fields: 'title:2' }, /--fields must look like title=1.5/],
    [{ fusion: 'max' }, /--fusion must be one of rrf, normalized/],
    [{ scoring: 'tfidf' }, /--scoring must be one of bm25, bm25f/],
    [{ zh: 'jieba' }, /--zh must be one of words, bigrams, none, whitespace/],
  ])('rejects %j', (values, message) => {
    expect(() => parseEvalFlags(values, defaults)).toThrow(message);
  });
});
