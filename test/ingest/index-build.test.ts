import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import { loadSearchIndex } from '../../src/ingest/index-store.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { openServices } from '../../src/app/services.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import { passageText, shortViews } from '../../src/ingest/passage-views.js';

const silent = createLogger('silent');
let project: TempProject;

beforeAll(() => {
  project = createTempProject({ withModel: true });
});
afterAll(() => project.cleanup());

describe('index built with the generated model', () => {
  it('builds hybrid, saves atomically, reloads and answers', async () => {
    const first = await openServices(project.config, silent);
    expect(first.prepared.model?.dimension).toBe(32);
    expect(first.prepared.build?.reason).toBe('no index yet');
    // Chunks and their short views (sentence windows of chunks over 128 tokens), each embedded once.
    expect(first.index.manifest.counts.vectors).toBeGreaterThan(first.index.chunks.length);
    // (A text repeated in the corpus is embedded once; its other copies count as from the cache.)
    expect(first.prepared.build!.chunksEmbedded + first.prepared.build!.chunksFromCache).toBe(first.index.manifest.counts.vectors);
    expect(first.prepared.build!.chunksEmbedded).toBeGreaterThan(first.index.chunks.length);
    expect(first.retriever.effectiveMode).toBe('hybrid');
    const files = readdirSync(project.config.indexDir).sort();
    expect(files).toEqual(['chunks.json', 'dense', 'lexical.json', 'lexical.postings', 'manifest.json', 'records.json', 'sentences.f32', 'sentences.json']);
    expect(readdirSync(path.join(project.config.indexDir, 'dense')).sort()).toEqual(['args.json', 'docstore.json', 'hnswlib.index']);
    // No temp or backup folder is left beside the index.
    expect(readdirSync(project.root).filter((name) => name.startsWith('.index'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(project.config.indexDir, 'manifest.json'), 'utf8'));
    expect(manifest.model).toEqual({ id: 'Xenova/multilingual-e5-small', dimension: 32 });
    expect(manifest.chunking).toEqual({ maxTokens: 380, overlapTokens: 60, shortVectors: { kind: 'windows', maxTokens: 128 } });
    expect(Object.keys(manifest.records)).toHaveLength(first.index.records.length);

    const second = await openServices(project.config, silent);
    expect(second.prepared.build).toBeUndefined();
    expect(second.index.dense).toBeDefined();
    expect(second.index.dense!.index.getEf()).toBeGreaterThanOrEqual(100);
    const answer = await second.engine.ask({ question: 'strategies against CAR-T cell exhaustion' });
    expect(answer.retrieval.mode).toBe('hybrid');
    expect(answer.grounded).toBe(true);
    expect(answer.citations.map((c) => c.id)).toContain('doi-10.3870_j.issn.1672-0741.23.11.008');
  });

  it('re-embeds only the record that changed', async () => {
    const file = path.join(project.corpusDir, 'demo-cart-abstracts.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const edited = JSON.parse(lines[5]!);
    const before = await loadSearchIndex(project.config.indexDir, { ef: 50 });
    const oldTexts = new Set(before!.chunks.filter((c) => c.recordId === edited.id).map((c) => c.text));
    const oldEmbedded = new Set(embeddedTexts(before!, edited.id));
    edited.abstract = `${edited.abstract} An added closing sentence about tonic signalling.`;
    lines[5] = JSON.stringify(edited);
    writeFileSync(file, `${lines.join('\n')}\n`);

    const rebuilt = await openServices(project.config, silent);
    const build = rebuilt.prepared.build!;
    expect(build.reason).toBe('1 record(s) changed');
    expect(build.recordsChanged).toBe(1);
    // Of the edited record's chunks, only those whose text changed go to the model; the rest come from the
    // vector cache (the record's first chunk is unchanged by an added closing sentence).
    const editedChunks = rebuilt.index.chunks.filter((c) => c.recordId === edited.id);
    const changedTexts = editedChunks.filter((c) => !oldTexts.has(c.text)).length;
    expect(changedTexts).toBeGreaterThan(0);
    expect(changedTexts).toBeLessThan(editedChunks.length);
    // Likewise its short views: only windows whose text is new are embedded.
    const nowEmbedded = embeddedTexts(rebuilt.index, edited.id);
    const newTexts = nowEmbedded.filter((text) => !oldEmbedded.has(text)).length;
    expect(newTexts).toBeGreaterThanOrEqual(changedTexts);
    expect(build.chunksEmbedded).toBe(newTexts);
    expect(build.chunksFromCache).toBe(nowEmbedded.length - newTexts);
    // The passages went to the worker thread, not to the main thread's model (which embeds queries).
    expect(rebuilt.prepared.model!.embeddings.passagesEmbedded).toBe(0);
    expect(rebuilt.index.recordById.get(edited.id)!.abstract).toContain('tonic signalling');

    // Reused vectors are the old ones: a reloaded index finds the edited text by its new words.
    const reloaded = await loadSearchIndex(project.config.indexDir, { embeddings: rebuilt.prepared.model!.embeddings, ef: 50 });
    expect(reloaded!.dense!.index.getCurrentCount()).toBe(reloaded!.manifest.counts.vectors);
    const hits = await rebuilt.retriever.search({ query: 'tonic signalling added closing sentence', k: 3, mode: 'dense' });
    expect(hits.hits.map((h) => h.record.id)).toContain(edited.id);
  });

  it('re-counts terms but re-embeds nothing when only the tokenizer changes', async () => {
    const services = await openServices(project.config, silent);
    const model = services.prepared.model!;
    const before = model.embeddings.passagesEmbedded;
    const bigrams = createTokenizer({ chinese: 'bigrams' });
    const { index, stats } = await buildSearchIndex({
      records: services.index.records,
      tokenizer: bigrams,
      chunking: services.index.manifest.chunking,
      model,
      previous: services.index,
    });
    expect(stats.chunksEmbedded).toBe(0);
    expect(model.embeddings.passagesEmbedded).toBe(before);
    expect(index.manifest.tokenizer).toBe(bigrams.name);
    expect(index.dense!.index.getCurrentCount()).toBe(index.manifest.counts.vectors);
    expect(index.manifest.counts.vectors).toBe(services.index.manifest.counts.vectors);
    // The seed's Chinese title is now indexed as bigrams ("胞耗" exists only as a bigram, never as a word).
    expect(index.lexical.documentFrequency('胞耗', 'title')).toBeGreaterThan(0);
    expect(services.index.lexical.documentFrequency('胞耗', 'title')).toBe(0);
  });

  it('serves lexically from a hybrid index when the model disappears, without rebuilding', async () => {
    const lexical = await openServices(project.config, silent, { lexicalOnly: true });
    expect(lexical.prepared.build).toBeUndefined();
    expect(lexical.retriever.effectiveMode).toBe('lexical');
    expect(lexical.modelId).toBeNull();
    expect(existsSync(path.join(project.config.indexDir, 'dense', 'hnswlib.index'))).toBe(true);
  });
});

// Every text embedded for a record: its chunks' passages and their short views.
function embeddedTexts(index: SearchIndex, recordId: string): string[] {
  const record = index.recordById.get(recordId)!;
  const chunks = index.chunks.filter((c) => c.recordId === recordId);
  return [...chunks.map((c) => passageText(record, c)), ...shortViews(record, chunks, index.manifest.chunking.shortVectors!).map((v) => v.text)];
}
