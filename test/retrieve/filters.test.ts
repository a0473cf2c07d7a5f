import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import { loadEmbeddingModel, type LoadedModel } from '../../src/ingest/model-loader.js';
import { recordPredicate } from '../../src/retrieve/filters.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';
import { record } from './fixtures.js';

const records = [
  record('old-en', 'T cell exhaustion in chronic infection', 'Exhausted T cells express PD-1.', { year: 2009, journal: 'Nature Immunology' }),
  record('new-en', 'CAR-T cell exhaustion and tonic signalling', 'CAR T cells become exhausted.', { year: 2021, journal: 'Cell' }),
  record('undated-en', 'T cell exhaustion reviewed', 'Exhaustion limits T cell therapy.'),
  record('new-zh', 'CAR-T细胞耗竭', 'CAR-T细胞耗竭限制了疗效。T cell exhaustion.', { year: 2022, journal: '中华肿瘤杂志', language: 'zh' }),
];

describe('recordPredicate', () => {
  it('is undefined when nothing restricts, so searches skip filtering', () => {
    expect(recordPredicate(undefined)).toBeUndefined();
    expect(recordPredicate({})).toBeUndefined();
    expect(recordPredicate({ journal: '   ' })).toBeUndefined();
  });

  it('applies year bounds inclusively and drops undated records once a bound is set', () => {
    const accept = recordPredicate({ yearFrom: 2010, yearTo: 2021 })!;
    expect(records.filter(accept).map((r) => r.id)).toEqual(['new-en']);
    expect(records.filter(recordPredicate({ yearTo: 2009 })!).map((r) => r.id)).toEqual(['old-en']);
  });

  it('matches a journal by case-insensitive substring and a language exactly; all conditions must hold', () => {
    expect(records.filter(recordPredicate({ journal: 'IMMUNO' })!).map((r) => r.id)).toEqual(['old-en']);
    expect(records.filter(recordPredicate({ language: 'zh' })!).map((r) => r.id)).toEqual(['new-zh']);
    expect(records.filter(recordPredicate({ language: 'en', yearFrom: 2020 })!).map((r) => r.id)).toEqual(['new-en']);
  });
});

describe('filters in search', () => {
  const tokenizer = createTokenizer();
  let lexicalOnly: SearchIndex;
  let hybrid: SearchIndex;
  let model: LoadedModel;
  let modelRoot: string;

  beforeAll(async () => {
    modelRoot = mkdtempSync(path.join(os.tmpdir(), 'filters-model-'));
    writeTinyModel(modelRoot, { vocabularyFrom: records.map((r) => `${r.title} ${r.abstract}`) });
    const loaded = await loadEmbeddingModel({ modelId: 'Xenova/multilingual-e5-small', modelDir: modelRoot, cacheDir: modelRoot, allowDownload: false });
    if (!loaded.ok) throw new Error(loaded.reason);
    model = loaded.model;
    const chunking = { maxTokens: 380, overlapTokens: 60 };
    lexicalOnly = (await buildSearchIndex({ records, tokenizer, chunking })).index;
    hybrid = (await buildSearchIndex({ records, tokenizer, chunking, model })).index;
  });
  afterAll(() => rmSync(modelRoot, { recursive: true, force: true }));

  it('restrict lexical results', async () => {
    const retriever = new Retriever(lexicalOnly, tokenizer);
    const all = await retriever.search({ query: 'T cell exhaustion', k: 10 });
    expect(all.hits).toHaveLength(4);
    const zh = await retriever.search({ query: 'T cell exhaustion', k: 10, filters: { language: 'zh' } });
    expect(zh.hits.map((h) => h.record.id)).toEqual(['new-zh']);
    const recent = await retriever.search({ query: 'T cell exhaustion', k: 10, filters: { yearFrom: 2021, language: 'en' } });
    expect(recent.hits.map((h) => h.record.id)).toEqual(['new-en']);
  });

  it('restrict dense and hybrid results too', async () => {
    const retriever = new Retriever(hybrid, tokenizer, model.embeddings);
    for (const mode of ['dense', 'hybrid'] as const) {
      const result = await retriever.search({ query: 'T cell exhaustion', k: 10, mode, filters: { journal: 'cell', yearFrom: 2020 } });
      expect(result.mode).toBe(mode);
      expect(result.hits.map((h) => h.record.id)).toEqual(['new-en']);
    }
    const none = await retriever.search({ query: 'T cell exhaustion', k: 10, mode: 'dense', filters: { yearFrom: 2030 } });
    expect(none.hits).toEqual([]);
  });
});
