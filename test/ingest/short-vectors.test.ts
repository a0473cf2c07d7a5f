import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import { chunkRecord } from '../../src/ingest/chunk.js';
import { loadSearchIndex, saveSearchIndex, type SearchIndex } from '../../src/ingest/index-store.js';
import type { ChunkingSettings } from '../../src/ingest/manifest.js';
import { loadEmbeddingModel, type LoadedModel } from '../../src/ingest/model-loader.js';
import { shortViews } from '../../src/ingest/passage-views.js';
import { staleReason } from '../../src/ingest/manifest.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { writeTinyModel } from '../../bench/support/tiny-model.js';
import { record } from '../retrieve/fixtures.js';

// Sixty sentences of words no question uses: a chunk holding them averages the question's words away.
const FILLER = Array.from({ length: 60 }, (_, i) => `Cohort ${i} volunteers kept diaries of sleep, meals and commuting distance.`).join(' ');
const QUESTION = 'macrophages engulf apoptotic neutrophils';
const records = [
  record('target', 'Field notes', `Macrophages engulf apoptotic neutrophils. ${FILLER}`),
  record('decoy', 'Field notes', 'Macrophages engulf apoptotic debris.'),
  record('middle', 'Field notes', `${FILLER.slice(0, 900)} Dendritic cells present tumour antigens to naive T cells. ${FILLER.slice(0, 900)}`),
];

describe('shortViews', () => {
  it('gives a long record one lead view (titles + first sentences) for chunk 0, and a short record none', () => {
    const [target, decoy] = records;
    const views = shortViews(target!, chunkRecord(target!), { kind: 'lead', maxTokens: 64 });
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ id: 'target#0~lead', chunkId: 'target#0', recordId: 'target' });
    expect(views[0]!.text.startsWith('Field notes\nMacrophages engulf apoptotic neutrophils.')).toBe(true);
    expect(views[0]!.text.length).toBeLessThan(64 * 4 + 'Field notes\n'.length);
    // The whole abstract fits in the budget: the chunk itself is the short target.
    expect(shortViews(decoy!, chunkRecord(decoy!), { kind: 'lead', maxTokens: 64 })).toEqual([]);
  });

  it('cuts every long chunk into sentence windows within the budget, each naming its chunk', () => {
    const middle = records[2]!;
    const chunks = chunkRecord(middle);
    const views = shortViews(middle, chunks, { kind: 'windows', maxTokens: 96 });
    expect(views.length).toBeGreaterThan(chunks.length);
    for (const view of views) {
      expect(view.id.startsWith(`${view.chunkId}~w`)).toBe(true);
      const body = view.text.slice('Field notes\n'.length);
      // A window is whole sentences of its own chunk.
      const chunk = chunks.find((c) => c.id === view.chunkId)!;
      expect(chunk.text).toContain(body);
      expect(body.length / 4).toBeLessThanOrEqual(96 + 20);
    }
    expect(views.some((v) => v.text.includes('Dendritic cells present tumour antigens to naive T cells.'))).toBe(true);
  });
});

describe('short vectors in the embedded index (tiny model, HNSW on disk)', () => {
  const tokenizer = createTokenizer();
  let root: string;
  let model: LoadedModel;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'short-vectors-'));
    writeTinyModel(root, { vocabularyFrom: records.map((r) => `${r.title} ${r.abstract} ${QUESTION}`) });
    const loaded = await loadEmbeddingModel({ modelId: 'Xenova/multilingual-e5-small', modelDir: root, cacheDir: root, allowDownload: false });
    if (!loaded.ok) throw new Error(loaded.reason);
    model = loaded.model;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // Builds, saves and reloads from disk, as the product serves an index.
  async function builtOnDisk(name: string, chunking: ChunkingSettings, previous?: SearchIndex) {
    const built = await buildSearchIndex({ records, tokenizer, chunking, model, previous });
    const dir = path.join(root, name);
    await saveSearchIndex(dir, built.index);
    const index = (await loadSearchIndex(dir, { embeddings: model.embeddings, ef: 100 }))!;
    return { index, stats: built.stats };
  }
  const topRecords = async (index: SearchIndex, query: string) =>
    (await new Retriever(index, tokenizer, model.embeddings).search({ query, k: 3, mode: 'dense' })).hits.map((h) => h.record.id);

  it('lets a short question reach the record through its lead vector where the long chunk alone loses', async () => {
    const plain = await builtOnDisk('plain', { maxTokens: 380, overlapTokens: 60 });
    // Constructed so that the chunk alone loses: its vector averages sixty filler sentences.
    expect((await topRecords(plain.index, QUESTION))[0]).toBe('decoy');

    const withLead = await builtOnDisk('lead', { maxTokens: 380, overlapTokens: 60, shortVectors: { kind: 'lead', maxTokens: 64 } });
    expect(withLead.index.manifest.counts.vectors).toBe(withLead.index.chunks.length + 2); // target's and middle's lead
    expect(withLead.index.dense!.index.getCurrentCount()).toBe(withLead.index.manifest.counts.vectors);
    expect((await topRecords(withLead.index, QUESTION))[0]).toBe('target');

    // The chunk keeps its best vector's score and appears once however many of its vectors match.
    const hits = await new Retriever(withLead.index, tokenizer, model.embeddings).backend.dense(await model.embeddings.embedQuery(QUESTION), 10);
    expect(hits[0]).toMatchObject({ id: 'target#0', recordId: 'target' });
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
    expect(hits.map((h) => h.id).sort()).toEqual(withLead.index.chunks.map((c) => c.id).sort());
  });

  it('reaches a sentence in the middle of a long chunk through a window vector', async () => {
    const question = 'dendritic cells present tumour antigens to naive T cells';
    const plain = await builtOnDisk('plain-w', { maxTokens: 380, overlapTokens: 60 });
    // Windows of one sentence each, so the question's sentence has a vector of its own.
    const windows = await builtOnDisk('windows', { maxTokens: 380, overlapTokens: 60, shortVectors: { kind: 'windows', maxTokens: 20 } });
    const plainRank = (await topRecords(plain.index, question)).indexOf('middle');
    expect((await topRecords(windows.index, question))[0]).toBe('middle');
    expect(plainRank).not.toBe(0);
  });

  it('reuses the previous index\'s view vectors for unchanged records, and a settings change makes the index stale', async () => {
    const chunking: ChunkingSettings = { maxTokens: 380, overlapTokens: 60, shortVectors: { kind: 'lead', maxTokens: 64 } };
    const first = await builtOnDisk('reuse', chunking);
    expect(first.stats.chunksEmbedded).toBe(first.index.chunks.length + 2);
    const again = await builtOnDisk('reuse', chunking, first.index);
    expect(again.stats.chunksEmbedded).toBe(0);
    expect((await topRecords(again.index, QUESTION))[0]).toBe('target');

    const settings = { model: first.index.manifest.model, tokenizer: tokenizer.name };
    expect(staleReason(first.index.manifest, records, { ...settings, chunking })).toBeUndefined();
    expect(staleReason(first.index.manifest, records, { ...settings, chunking: { maxTokens: 380, overlapTokens: 60 } })).toBe('chunking settings changed');
  });
});
