import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SemanticEvidence } from '../../src/answer/semantic-evidence.js';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import { loadSearchIndex, saveSearchIndex, type SearchIndex } from '../../src/ingest/index-store.js';
import { staleReason, type ChunkingSettings } from '../../src/ingest/manifest.js';
import { loadEmbeddingModel, type LoadedModel } from '../../src/ingest/model-loader.js';
import { SENTENCE_FILES, sentenceTexts } from '../../src/ingest/sentence-vectors.js';
import { VectorCache } from '../../src/ingest/vector-cache.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';
import { record } from '../retrieve/fixtures.js';

const chunking: ChunkingSettings = { maxTokens: 380, overlapTokens: 60 };
const sentences = { maxChars: 400 };
const records = [
  record('aspirin', 'Aspirin and fever', 'Aspirin lowers fever in adults. It also thins the blood. Bleeding was rare.'),
  record('statins', 'Statins', 'Statins reduce cholesterol. Muscle pain was the most common complaint.'),
  // A run-on sentence: embedded cut to maxChars, like the answer step cuts it.
  record('table', 'Table', `Values ${'12.5 mg, '.repeat(80)}were recorded. Nothing else.`),
];
const QUESTION = 'Does aspirin thin the blood?';

describe('sentence vectors made at index time (tiny model, index on disk)', () => {
  const tokenizer = createTokenizer();
  let root: string;
  let model: LoadedModel;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'sentence-vectors-'));
    writeTinyModel(root, { vocabularyFrom: [...records.map((r) => `${r.title} ${r.abstract}`), QUESTION] });
    const loaded = await loadEmbeddingModel({ modelId: 'Xenova/multilingual-e5-small', modelDir: root, cacheDir: root, allowDownload: false });
    if (!loaded.ok) throw new Error(loaded.reason);
    model = loaded.model;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // Builds, saves and reloads from disk, as the product serves an index.
  async function builtOnDisk(name: string, list = records, previous?: SearchIndex, vectorCache?: VectorCache) {
    const built = await buildSearchIndex({ records: list, tokenizer, chunking, sentences, model, previous, vectorCache });
    const dir = path.join(root, name);
    await saveSearchIndex(dir, built.index);
    const index = (await loadSearchIndex(dir, { embeddings: model.embeddings, ef: 100 }))!;
    return { index, stats: built.stats, dir };
  }

  it('stores exactly the vectors the answer step would make, one embedding call per abstract', async () => {
    const { index, stats, dir } = await builtOnDisk('first');
    expect(existsSync(path.join(dir, SENTENCE_FILES.vectors))).toBe(true);
    const expected = await Promise.all(records.map((r) => model.embeddings.embedDocuments(sentenceTexts(r.abstract))));
    expect(stats.sentencesEmbedded).toBe(expected.flat().length);
    expect(index.manifest.counts.sentences).toBe(expected.flat().length);
    expect(index.manifest.sentences).toEqual(sentences);
    for (const [i, r] of records.entries()) {
      const stored = (await index.sentences!.vectorsOf(r))!;
      expect(stored).toHaveLength(expected[i]!.length);
      // float32 on disk, float32 out of the model: the same numbers.
      stored.forEach((vector, j) => expect(vector).toEqual(expected[i]![j]!.map((x) => Math.fround(x))));
    }
    expect(sentenceTexts(records[2]!.abstract)[0]).toHaveLength(400);
  });

  it('never serves vectors for an abstract that changed', async () => {
    const { index } = await builtOnDisk('changed');
    const edited = { ...records[0]!, abstract: `${records[0]!.abstract} Children were excluded.` };
    expect(await index.sentences!.vectorsOf(edited)).toBeUndefined();
  });

  it('embeds on rebuild only the sentences of abstracts that changed, and none when the vector cache has them', async () => {
    const first = await builtOnDisk('rebuild');
    const edited = records.map((r) => (r.id === 'statins' ? { ...r, abstract: `${r.abstract} Liver enzymes rose in 2%.` } : r));
    const second = await builtOnDisk('rebuild', edited, first.index);
    expect(second.stats.sentencesEmbedded).toBe(sentenceTexts(edited[1]!.abstract).length);
    expect(await second.index.sentences!.vectorsOf(edited[1]!)).toHaveLength(3);

    // A fresh build (no previous index) with a vector cache: the second time, nothing is sent to the model.
    const cache = await VectorCache.open(path.join(root, 'cache'), { modelId: model.modelId, dimension: model.dimension });
    const cold = await builtOnDisk('cached-1', records, undefined, cache);
    const warm = await builtOnDisk('cached-2', records, undefined, cache);
    await cache.close();
    expect(cold.stats.sentencesEmbedded).toBeGreaterThan(0);
    expect(warm.stats.sentencesEmbedded).toBe(0);
    expect(await warm.index.sentences!.vectorsOf(records[0]!)).toEqual(await cold.index.sentences!.vectorsOf(records[0]!));
  });

  it('makes an index built without them stale, so an upgraded install gets them', async () => {
    const built = await buildSearchIndex({ records, tokenizer, chunking, model });
    expect(built.index.sentences).toBeUndefined();
    const settings = { model: { id: model.modelId, dimension: model.dimension }, tokenizer: tokenizer.name, chunking };
    expect(staleReason(built.index.manifest, records, { ...settings, sentences })).toBe('sentence vectors not yet made');
    expect(staleReason(built.index.manifest, records, settings)).toBeUndefined();
    // Reusing that index's chunk vectors, the upgrade embeds the sentences only.
    const upgraded = await buildSearchIndex({ records, tokenizer, chunking, sentences, model, previous: built.index });
    expect(upgraded.stats.chunksEmbedded).toBe(0);
    expect(upgraded.stats.sentencesEmbedded).toBeGreaterThan(0);
  });

  it('lets the answer step score sentences with no embedding call, and the same scores as embedding them', async () => {
    const { index } = await builtOnDisk('answer');
    const calls: string[][] = [];
    const counting = {
      embedQuery: (text: string) => model.embeddings.embedQuery(text),
      embedDocuments: (texts: string[]) => (calls.push(texts), model.embeddings.embedDocuments(texts)),
    };
    const hits = records.map((r, i) => ({ record: r, score: 1 - i / 10, chunks: [] }));
    const options = { semanticRecords: 3, sameLanguage: { en: { floor: -1, ceiling: 1 } } };
    const fromIndex = await new SemanticEvidence(counting, { ...options, sentenceVectors: index.sentences }).score(QUESTION, hits);
    expect(calls).toEqual([]);
    const perQuestion = await new SemanticEvidence(counting, options).score(QUESTION, hits);
    expect(calls).toHaveLength(3);
    for (const r of records) {
      const a = fromIndex.get(r.id)!;
      const b = perQuestion.get(r.id)!;
      expect(a).toHaveLength(b.length);
      a.forEach((score, j) => expect(score).toBeCloseTo(b[j]!, 6));
    }
    // Vectors cut at another length are not the answer step's: they are not used.
    calls.length = 0;
    await new SemanticEvidence(counting, { ...options, maxSentenceChars: 200, sentenceVectors: index.sentences }).score(QUESTION, hits);
    expect(calls).toHaveLength(3);
  });
});
