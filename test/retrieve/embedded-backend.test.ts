/** The embedded backend answers the SearchBackend primitives from the real on-disk-format index. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import { loadEmbeddingModel, modelLoadOptions, type LoadedModel } from '../../src/ingest/model-loader.js';
import { EmbeddedBackend } from '../../src/retrieve/embedded-backend.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';

const tokenizer = createTokenizer();
let project: TempProject;
let index: SearchIndex;
let model: LoadedModel;
let backend: EmbeddedBackend;
const settings = { k1: 1.2, b: 0.75, scoring: 'bm25f' as const, fieldWeights: { title: 1.5, keywords: 1, body: 1 }, ef: 100 };

beforeAll(async () => {
  project = createTempProject({ withModel: true });
  const loaded = await loadEmbeddingModel(modelLoadOptions(project.config));
  if (!loaded.ok) throw new Error(loaded.reason);
  model = loaded.model;
  const records = (await readCorpus([project.corpusDir], { root: project.corpusDir })).records;
  index = (await buildSearchIndex({ records, tokenizer, chunking: { maxTokens: 380, overlapTokens: 60 }, model })).index;
  backend = new EmbeddedBackend(index, settings);
});
afterAll(() => project.cleanup());

describe('EmbeddedBackend', () => {
  it('ranks chunks by BM25F for weighted terms, with each hit naming its record, and applies filters', async () => {
    const terms = new Map([['exhaust', 1], ['cart', 2]]);
    const hits = await backend.lexical(terms, 5);
    const expected = index.lexical.search(['exhaust', 'cart', 'cart'], { ...settings, weights: settings.fieldWeights, limit: 5 });
    expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    for (const hit of hits) expect(hit.recordId).toBe(index.chunks[index.chunkPosition.get(hit.id)!]!.recordId);
    const none = await backend.lexical(terms, 5, { language: 'xx' });
    expect(none).toEqual([]);
  });

  it('ranks chunks by cosine, looks up records, chunks and terms, and reports its status', async () => {
    const vector = await model.embeddings.embedQuery('CAR-T cell exhaustion');
    const dense = await backend.dense(vector, 3);
    expect(dense).toHaveLength(3);
    expect(dense[0]!.score).toBeGreaterThanOrEqual(dense[2]!.score);
    const record = index.records[4]!;
    expect(await backend.records([record.id, 'missing'])).toEqual([record]);
    expect(await backend.chunks([index.chunks[0]!.id])).toEqual([index.chunks[0]]);
    expect((await backend.chunkTerms([index.chunks[0]!.id])).get(index.chunks[0]!.id)!.size).toBeGreaterThan(5);
    const stats = await backend.termStatistics();
    expect(stats.chunks).toBe(index.chunks.length);
    expect(stats.documentFrequency('zzzunknown')).toBe(0);
    expect(await backend.status()).toEqual({ backend: 'embedded', records: index.records.length, chunks: index.chunks.length });
    expect(backend.hasVectors).toBe(true);
    expect(backend.languages).toEqual([...new Set(index.records.map((r) => r.language))].sort());
  });
});
