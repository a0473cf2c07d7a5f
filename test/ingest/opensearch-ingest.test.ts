/**
 * The OpenSearch layout and ingest against a real node (never a mock): incremental and idempotent syncs, recovery
 * from an interrupted ingest, the engine check, and the query primitives against the embedded index.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@opensearch-project/opensearch';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import { loadEmbeddingModel, modelLoadOptions, type LoadedModel } from '../../src/ingest/model-loader.js';
import { createOpenSearchClient, indexNames, type IndexNames } from '../../src/ingest/opensearch/connection.js';
import { deleteIndexes, OpenSearchLayoutError, readIndexMeta } from '../../src/ingest/opensearch/layout.js';
import { syncOpenSearchIndex, type SyncOptions } from '../../src/ingest/opensearch/sync-index.js';
import { sentenceTexts } from '../../src/ingest/sentence-vectors.js';
import { OpenSearchBackend } from '../../src/retrieve/opensearch-backend.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { openSearchForTests, suiteName } from '../support/opensearch-node.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';

const node = await openSearchForTests();
const tokenizer = createTokenizer();
const chunking = { maxTokens: 380, overlapTokens: 60 };

describe.skipIf(!node.url)(suiteName('OpenSearch ingest (real node)', node), () => {
  let project: TempProject;
  let client: Client;
  let names: IndexNames;
  let model: LoadedModel;
  let records: AbstractRecord[];
  let embedded: SearchIndex;
  const sync = (extra: Partial<SyncOptions> = {}) =>
    syncOpenSearchIndex({
      client,
      names,
      records,
      tokenizer,
      chunking,
      model: { modelId: model.modelId, dimension: model.dimension, vectors: (texts) => model.embeddings.embedDocuments(texts) },
      ...extra,
    });

  beforeAll(async () => {
    project = createTempProject({ withModel: true });
    client = createOpenSearchClient({ url: node.url!, indexPrefix: 'unused', verifyTls: true });
    names = indexNames(`aqa-test-${randomUUID().slice(0, 8)}`);
    const loaded = await loadEmbeddingModel(modelLoadOptions(project.config));
    if (!loaded.ok) throw new Error(loaded.reason);
    model = loaded.model;
    records = (await readCorpus([project.corpusDir], { root: project.corpusDir })).records;
    embedded = (await buildSearchIndex({ records, tokenizer, chunking, model })).index;
  });
  afterAll(async () => {
    await deleteIndexes(client, names).catch(() => undefined);
    await client?.close();
    project?.cleanup();
  });

  const search = () => OpenSearchBackend.open(client, names);

  it('writes every record and chunk once; a second sync writes nothing and counts the same', async () => {
    const first = await sync();
    expect(first.rebuilt).toBe('no index yet');
    expect(first.recordsChanged).toBe(records.length);
    expect(await (await search()).counts()).toEqual({ records: records.length, chunks: embedded.chunks.length });
    const second = await sync();
    expect(second).toMatchObject({ recordsChanged: 0, recordsRemoved: 0, chunksWritten: 0 });
    expect(second.rebuilt).toBeUndefined();
    expect(await (await search()).counts()).toEqual({ records: records.length, chunks: embedded.chunks.length });
  });

  it('rewrites changed records and deletes removed ones, as the embedded index does', async () => {
    const changed = { ...records[3]!, abstract: `${records[3]!.abstract} An added sentence about tonic signalling.` };
    const kept = records.filter((_, i) => i !== 5);
    const next = kept.map((record) => (record.id === changed.id ? changed : record));
    const stats = await sync({ records: next });
    expect(stats).toMatchObject({ recordsChanged: 1, recordsRemoved: 1 });
    const rebuiltEmbedded = (await buildSearchIndex({ records: next, tokenizer, chunking, model })).index;
    expect(await (await search()).counts()).toEqual({ records: next.length, chunks: rebuiltEmbedded.chunks.length });
    expect((await (await search()).records([changed.id]))[0]!.abstract).toBe(changed.abstract);
    expect(await (await search()).records([records[5]!.id])).toEqual([]);
    await sync(); // back to the full corpus for the tests below
    expect(await (await search()).counts()).toEqual({ records: records.length, chunks: embedded.chunks.length });
  });

  it('an ingest interrupted half way and run again ends with the same documents, no duplicates', async () => {
    await sync({ force: true, batchRecords: 4, model: { modelId: model.modelId, dimension: model.dimension, vectors: failAfter(2, model) } }).then(
      () => expect.unreachable('the interrupted ingest should fail'),
      (error: Error) => expect(error.message).toBe('embedder died'),
    );
    await client.indices.refresh({ index: [names.chunks, names.records] });
    const partial = await (await search()).counts();
    expect(partial.records).toBe(8);
    expect(partial.records).toBeLessThan(records.length);
    const rerun = await sync();
    expect(rerun.recordsChanged).toBe(records.length - 8);
    expect(await (await search()).counts()).toEqual({ records: records.length, chunks: embedded.chunks.length });
  });

  it('BM25F and per-field BM25 over our own tokens rank like the embedded index, and filters apply inside the engine', async () => {
    const queries = ['CAR-T cell exhaustion', '4-1BB costimulation tonic signaling', 'PD-1 blockade melanoma', '嵌合抗原受体 T 细胞 耗竭'];
    const weights = { title: 1.5, keywords: 1, body: 1 };
    const perField = await OpenSearchBackend.open(client, names, { scoring: 'bm25', fieldWeights: weights });
    for (const query of queries) {
      const terms = new Map<string, number>();
      for (const term of tokenizer.tokenize(query)) terms.set(term, (terms.get(term) ?? 0) + 1);
      for (const scoring of ['bm25f', 'bm25'] as const) {
        const expected = embedded.lexical.search(tokenizer.tokenize(query), { scoring, weights, limit: 10 });
        const got = await (scoring === 'bm25' ? perField : await search()).lexical(terms, 10);
        expect(got.length).toBe(expected.length);
        expect(got[0]!.id).toBe(expected[0]!.id);
        const overlap = got.filter((hit) => expected.some((e) => e.id === hit.id)).length;
        expect(overlap).toBeGreaterThanOrEqual(Math.min(8, expected.length));
      }
    }
    const cell = new Map([['cell', 1]]);
    const all = await (await search()).lexical(cell, 200);
    const recent = await (await search()).lexical(cell, 200, { yearFrom: 2024, journal: 'HUAZHONG' });
    const expectedRecent = new Set(records.filter((r) => (r.year ?? 0) >= 2024 && /huazhong/i.test(r.journal ?? '')).map((r) => r.id));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    expect(recent.every((hit) => expectedRecent.has(hit.recordId))).toBe(true);
    expect(await (await search()).lexical(cell, 200, { language: 'xx' })).toEqual([]);
  });

  it('k-NN finds what HNSW finds, and a filtered k-NN still returns exactly k (filter inside the k-NN query)', async () => {
    const vector = await model.embeddings.embedQuery('CAR-T cell exhaustion');
    const expected = await embedded.dense!.similaritySearchVectorWithScore(vector, 5);
    const got = await (await search()).dense(vector, 5);
    expect(got.map((h) => h.id)).toEqual(expected.map(([doc]) => String(doc.metadata.chunkId)));
    got.forEach((hit, i) => expect(hit.score).toBeCloseTo(1 - expected[i]![1], 3));
    const english = records.filter((r) => r.language === 'en').map((r) => r.id);
    const k = Math.min(6, english.length);
    const filtered = await (await search()).dense(vector, k, { language: 'en' });
    expect(filtered).toHaveLength(k);
    expect(filtered.every((hit) => english.includes(hit.recordId))).toBe(true);
  });

  it('term statistics and lookups answer from the engine', async () => {
    const stats = await (await search()).fieldStatistics(['cell', 'zzzunknownzzz']);
    expect(stats.chunks).toBe(embedded.chunks.length);
    expect(stats.df.get('cell')!.body).toBe(embedded.lexical.documentFrequency('cell', 'body'));
    expect(stats.df.get('zzzunknownzzz')!.body).toBe(0);
    const chunk = embedded.chunks[2]!;
    expect(await (await search()).chunks([chunk.id, 'missing#0'])).toEqual([chunk]);
    const backend = await search();
    expect((await backend.termStatistics(['cell'])).documentFrequency('cell')).toBe(
      Math.max(...['title', 'keywords', 'body'].map((field) => embedded.lexical.documentFrequency('cell', field))),
    );
    expect(backend.languages).toEqual([...new Set(records.map((r) => r.language))].sort());
    expect(backend.hasVectors).toBe(true);
    const status = await backend.status();
    expect(status).toMatchObject({ backend: 'opensearch', records: records.length, chunks: embedded.chunks.length });
    expect(status.cluster).toMatch(/green|yellow/);
  });

  it('short views are vector-only documents counted for their chunk: k-NN ranks as the embedded index, counts and statistics leave them out', async () => {
    const withViews = { ...chunking, shortVectors: { kind: 'lead' as const, maxTokens: 32 } };
    const viewNames = indexNames(`aqa-test-views-${randomUUID().slice(0, 8)}`);
    const viewSync = (settings: SyncOptions['chunking']) =>
      syncOpenSearchIndex({ client, names: viewNames, records, tokenizer, chunking: settings, model: { modelId: model.modelId, dimension: model.dimension, vectors: (texts) => model.embeddings.embedDocuments(texts) } });
    try {
      await viewSync(withViews);
      const local = (await buildSearchIndex({ records, tokenizer, chunking: withViews, model })).index;
      expect(local.manifest.counts.vectors).toBeGreaterThan(local.chunks.length);
      const backend = await OpenSearchBackend.open(client, viewNames);
      expect(await backend.counts()).toEqual({ records: records.length, chunks: local.chunks.length });
      expect((await backend.fieldStatistics(['cell'])).chunks).toBe(local.chunks.length);
      const vector = await model.embeddings.embedQuery('CAR-T cell exhaustion');
      const expected = await new Retriever(local, tokenizer, model.embeddings).backend.dense(vector, 5);
      const got = await backend.dense(vector, 5);
      expect(got.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      got.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!.score, 3));
      // Lexical hits are chunks only (a view has no terms): as many, and the same, as the embedded index finds.
      const lexical = await backend.lexical(new Map([['cell', 1]]), 500);
      const localLexical = await new Retriever(local, tokenizer).backend.lexical(new Map([['cell', 1]]), 500);
      expect(lexical.map((hit) => hit.id).sort()).toEqual(localLexical.map((hit) => hit.id).sort());
      expect((await viewSync(chunking)).rebuilt).toBe('short vector settings changed');
      expect((await (await OpenSearchBackend.open(client, viewNames)).counts()).chunks).toBe(embedded.chunks.length);
    } finally {
      await deleteIndexes(client, viewNames);
    }
  });

  it('stores each record with its sentence vectors, the same the embedded index keeps, so answers embed none', async () => {
    const sentenceNames = indexNames(`aqa-test-sentences-${randomUUID().slice(0, 8)}`);
    const groupsSent: string[][] = [];
    const sentences = {
      maxChars: 400,
      vectors: (groups: string[][]) => (groupsSent.push(...groups), Promise.all(groups.map((group) => model.embeddings.embedDocuments(group)))),
    };
    const sentenceSync = (withSentences: boolean) =>
      syncOpenSearchIndex({
        client,
        names: sentenceNames,
        records,
        tokenizer,
        chunking,
        model: { modelId: model.modelId, dimension: model.dimension, vectors: (texts) => model.embeddings.embedDocuments(texts), ...(withSentences && { sentences }) },
      });
    try {
      // An index made without them is rebuilt when they are asked for.
      await sentenceSync(false);
      expect((await OpenSearchBackend.open(client, sentenceNames)).sentenceVectors).toBeUndefined();
      expect((await sentenceSync(true)).rebuilt).toBe('sentence vectors not yet made');
      expect(groupsSent).toHaveLength(records.length);
      const backend = await OpenSearchBackend.open(client, sentenceNames);
      expect(backend.sentenceVectors?.settings).toEqual({ modelId: model.modelId, dimension: model.dimension, maxChars: 400 });
      const local = (await buildSearchIndex({ records, tokenizer, chunking, sentences: { maxChars: 400 }, model })).index;
      for (const record of records.slice(0, 5)) {
        const stored = await backend.sentenceVectors!.vectorsOf(record);
        expect(stored).toEqual(await local.sentences!.vectorsOf(record));
        expect(stored!.length).toBe(sentenceTexts(record.abstract).length);
      }
      // Another version of a record (edited since it was retrieved) gets no stored vectors.
      expect(await backend.sentenceVectors!.vectorsOf({ ...records[0]!, abstract: `${records[0]!.abstract} Edited.` })).toBeUndefined();
      // A second sync writes nothing and embeds no sentence.
      groupsSent.length = 0;
      expect((await sentenceSync(true)).recordsChanged).toBe(0);
      expect(groupsSent).toEqual([]);
    } finally {
      await deleteIndexes(client, sentenceNames);
    }
  });

  it('refuses an index whose vectors use another engine, with a message that says what to do', async () => {
    const foreign = indexNames(`aqa-test-faiss-${randomUUID().slice(0, 8)}`);
    // Creating a faiss index is harmless here; writing to it would kill the node (no native library).
    await client.indices.create({
      index: foreign.chunks,
      body: {
        settings: { index: { knn: true } },
        mappings: { _meta: { layoutVersion: 1 }, properties: { vector: { type: 'knn_vector', dimension: 4, method: { name: 'hnsw', engine: 'faiss', space_type: 'l2' } } } },
      },
    } as never);
    try {
      const refusal = readIndexMeta(client, foreign);
      await expect(refusal).rejects.toThrow(OpenSearchLayoutError);
      await expect(readIndexMeta(client, foreign)).rejects.toThrow(/faiss engine; this service needs the lucene engine.*OPENSEARCH_INDEX/);
      await expect(syncOpenSearchIndex({ client, names: foreign, records, tokenizer, chunking })).rejects.toThrow(/faiss/);
    } finally {
      await deleteIndexes(client, foreign);
    }
  });
});

// The real model for `batches` calls, then a failure, as a process killed mid-ingest stops.
function failAfter(batches: number, model: LoadedModel) {
  let calls = 0;
  return async (texts: string[]) => {
    if (++calls > batches) throw new Error('embedder died');
    return model.embeddings.embedDocuments(texts);
  };
}
