/**
 * Retrieval across languages on a real index (BM25 in memory, HNSW on disk through the real loader with the tiny
 * generated model): dictionary translation lets lexical search cross languages, and per-language pools keep a
 * same-language decoy from burying the right document in the other language.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import { loadEmbeddingModel, type LoadedModel } from '../../src/ingest/model-loader.js';
import { languagePools } from '../../src/retrieve/language-pools.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { record } from './fixtures.js';

const records = [
  record('radiation-en', 'Radiation and checkpoint blockade activate antitumor immunity', 'Radiotherapy combined with immune checkpoint blockade activates T cells against tumors in mice.'),
  record('decoy-en', 'Natural products that kill cells in culture', 'Natural compounds kill killer cells and other cells; the cells interact with the compounds in culture.'),
  record('statins-en', 'Statins and cholesterol', 'Statins lower cholesterol in adults.'),
  record('nk-dc-zh', '', '自然杀伤细胞和树突状细胞的相互作用是免疫学的研究热点。两种细胞通过细胞接触相互作用。', { language: 'zh' }),
  record('decoy-zh', '', '自然杀伤细胞在免疫中的作用。免疫细胞与肿瘤。', { language: 'zh' }),
];

describe('languagePools', () => {
  it('keeps a one-language index (or a language filter) as one pool, and splits a mixed one', () => {
    expect(languagePools(['en'], 'en')).toEqual([{ language: 'en', filters: undefined, sameLanguage: true }]);
    expect(languagePools(['en', 'zh'], 'zh', { language: 'en' })).toEqual([{ language: 'en', filters: { language: 'en' }, sameLanguage: false }]);
    expect(languagePools(['en', 'zh'], 'en', { yearFrom: 2000 }).map((p) => [p.filters, p.sameLanguage])).toEqual([
      [{ yearFrom: 2000, language: 'en' }, true],
      [{ yearFrom: 2000, language: 'zh' }, false],
    ]);
  });
});

describe('cross-lingual retrieval', () => {
  const tokenizer = createTokenizer();
  const chunking = { maxTokens: 380, overlapTokens: 60 };
  let lexicalIndex: SearchIndex;
  let hybridIndex: SearchIndex;
  let model: LoadedModel;
  let modelRoot: string;

  beforeAll(async () => {
    modelRoot = mkdtempSync(path.join(os.tmpdir(), 'xling-model-'));
    const { writeTinyModel } = await import('../../bench/support/tiny-model.js');
    writeTinyModel(modelRoot, { vocabularyFrom: [...records.map((r) => `${r.title} ${r.abstract}`), 'How do natural killer cells and dendritic cells interact?'] });
    const loaded = await loadEmbeddingModel({ modelId: 'Xenova/multilingual-e5-small', modelDir: modelRoot, cacheDir: modelRoot, allowDownload: false });
    if (!loaded.ok) throw new Error(loaded.reason);
    model = loaded.model;
    lexicalIndex = (await buildSearchIndex({ records, tokenizer, chunking })).index;
    hybridIndex = (await buildSearchIndex({ records, tokenizer, chunking, model })).index;
  }, 120_000);
  afterAll(() => rmSync(modelRoot, { recursive: true, force: true }));

  it('lexical only: a Chinese question finds the English abstract through the dictionary, and says what it searched for', async () => {
    const result = await new Retriever(lexicalIndex, tokenizer).search({ query: '放疗联合免疫检查点阻断如何激活抗肿瘤免疫？', k: 3 });
    expect(result.mode).toBe('lexical');
    expect(result.hits[0]!.record.id).toBe('radiation-en');
    const searched = result.translation!.terms.map((t) => t.targets[0]!.text);
    expect(searched).toEqual(expect.arrayContaining(['radiotherapy', 'immune checkpoint', 'blockade']));
  }, 60_000);

  it('lexical only: an English question finds the Chinese abstract past an English decoy that shares its words', async () => {
    const retriever = new Retriever(lexicalIndex, tokenizer);
    const question = 'How do natural killer cells and dendritic cells interact?';
    expect((await retriever.search({ query: question, k: 3 })).hits[0]!.record.id).toBe('nk-dc-zh');
    // Without the dictionary the decoy wins: the test would catch a translation that stopped working.
    const untranslated = new Retriever(lexicalIndex, tokenizer, undefined, { translate: false });
    expect((await untranslated.search({ query: question, k: 3 })).hits[0]!.record.id).toBe('decoy-en');
  }, 60_000);

  // The tiny model's vectors are random bags of words, blind to meaning across languages: that the right document
  // wins hybrid search through the dense list is pinned by the real-model suite; here, the calibration mechanism.
  it('dense scores of the other language are shifted by crossLanguageOffset before the pools merge', async () => {
    const question = 'How do natural killer cells and dendritic cells interact?';
    const top = async (crossLanguageOffset: number) =>
      (await new Retriever(hybridIndex, tokenizer, model.embeddings, { crossLanguageOffset }).search({ query: question, k: 5, mode: 'dense' })).hits;
    const raised = await top(2);
    const lowered = await top(-2);
    expect(raised.slice(0, 2).map((h) => h.record.language)).toEqual(['zh', 'zh']);
    expect(lowered.slice(0, 3).map((h) => h.record.language)).toEqual(['en', 'en', 'en']);
    expect(raised[0]!.score - lowered.find((h) => h.record.id === raised[0]!.record.id)!.score).toBeCloseTo(4, 5);
  }, 60_000);

  it('a filtered search of one language is one pool, searched exactly as before', async () => {
    const retriever = new Retriever(lexicalIndex, tokenizer);
    const result = await retriever.search({ query: 'How do natural killer cells and dendritic cells interact?', k: 5, filters: { language: 'zh' } });
    expect(result.hits.map((h) => h.record.id)).toEqual(['nk-dc-zh', 'decoy-zh']);
  }, 60_000);
});
