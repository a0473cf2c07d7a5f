import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { AbstractRecord } from '../corpus/record.js';
import type { Tokenizer } from '../text/tokenize.js';
import { chunkRecord, type Chunk } from './chunk.js';
import { embedPassages, type PassageEmbedder } from './embed-passages.js';
import { createYielder } from './event-loop.js';
import type { E5Embeddings } from './embeddings.js';
import { assembleIndex, documentsOf, type SearchIndex } from './index-store.js';
import { LexicalIndex } from './lexical-index.js';
import { SentenceVectorMap, sentenceTexts } from './sentence-vectors.js';
import { passageText, shortViews, type ChunkView, type ShortVectorSettings } from './passage-views.js';
import { hashRecord, INDEX_FORMAT_VERSION, type IndexManifest, type IndexSettings } from './manifest.js';
import { INDEX_DEFAULTS } from './index-defaults.js';
import type { VectorCache } from './vector-cache.js';

/** Lexical fields of every chunk: its record's titles and keywords travel with it so they can be boosted. */
export const LEXICAL_FIELDS = ['title', 'keywords', 'body'] as const;

const HNSW_SLICE = 500;

/** Progress of a build, for bars and logs. */
export interface BuildProgress {
  phase: 'chunk' | 'embed' | 'index';
  done: number;
  total: number;
}

/** Inputs of {@link buildSearchIndex}. */
export interface BuildOptions {
  records: AbstractRecord[];
  tokenizer: Tokenizer;
  chunking: IndexSettings['chunking'];
  /** The loaded embedding model; without one the index is lexical only. */
  model?: { embeddings: E5Embeddings; modelId: string; dimension: number };
  /** The index being replaced: chunks, term counts and vectors of unchanged records are reused from it. */
  previous?: SearchIndex;
  /**
   * Sentence vectors to make with the model for the semantic evidence step (see sentence-vectors.ts), each
   * abstract's sentences embedded together as the answer step would. @default undefined (none: made per question)
   */
  sentences?: { maxChars: number };
  /** HNSW search breadth applied to the new index. @default 100 */
  ef?: number;
  /** Embeds the passages instead of `model.embeddings` (e.g. off the main thread). @default model.embeddings */
  passageEmbedder?: PassageEmbedder;
  /** Vectors of this model by passage text: reused, and every new one checkpointed as it is made. */
  vectorCache?: VectorCache;
  /** Stops the build between checkpoints (what was embedded so far stays in `vectorCache`). */
  signal?: AbortSignal;
  onProgress?: (progress: BuildProgress) => void;
}

/** What a build did. */
export interface BuildStats {
  records: number;
  chunks: number;
  /** Records chunked (and embedded) anew because they are new or changed. */
  recordsChanged: number;
  /** Passages (chunks and short views) sent to the model. */
  chunksEmbedded: number;
  /** Passages whose vector came from the vector cache. */
  chunksFromCache: number;
  /** Sentences sent to the model (see {@link BuildOptions.sentences}); those of unchanged abstracts are reused. */
  sentencesEmbedded: number;
  tookMs: number;
}

/** Text embedded for a chunk (see passage-views.ts); re-exported for the OpenSearch ingest and older imports. */
export { passageText } from './passage-views.js';

/**
 * Builds the lexical and (with a model) dense index for a set of records, reusing everything the previous index
 * already has for records whose content hash is unchanged, so editing one abstract re-embeds one abstract.
 */
export async function buildSearchIndex(options: BuildOptions): Promise<{ index: SearchIndex; stats: BuildStats }> {
  const started = performance.now();
  const { records, tokenizer, chunking, model, previous } = options;
  const settings: IndexSettings = {
    model: model ? { id: model.modelId, dimension: model.dimension } : null,
    tokenizer: tokenizer.name,
    chunking,
    ...(model && options.sentences && { sentences: options.sentences }),
  };
  // Chunks and their vectors depend on the chunking and the model, not on the lexical tokenizer: a tokenizer
  // change re-counts terms but must not cost a full re-embedding.
  const canReuseChunks = previous !== undefined && JSON.stringify(previous.manifest.chunking) === JSON.stringify(chunking);
  const canReuseTermCounts = canReuseChunks && previous!.manifest.tokenizer === settings.tokenizer;
  const previousVectors = canReuseChunks && model && previous?.dense && sameModel(previous.manifest, settings) ? previous.dense : undefined;
  const previousChunksByRecord = new Map<string, number[]>();
  if (canReuseChunks) {
    previous!.chunks.forEach((chunk, position) => {
      const list = previousChunksByRecord.get(chunk.recordId) ?? [];
      list.push(position);
      previousChunksByRecord.set(chunk.recordId, list);
    });
  }
  const vectorLabelByChunk = previousVectors ? labelsByChunkId(previousVectors) : new Map<string, number>();

  const hashes: Record<string, string> = {};
  const chunks: Chunk[] = [];
  const lexical = new LexicalIndex(LEXICAL_FIELDS);
  const vectors: Array<number[] | undefined> = [];
  const toEmbed: number[] = [];
  const unchanged = new Set<string>();
  let recordsChanged = 0;

  const pause = createYielder();
  for (const [i, record] of records.entries()) {
    await pause();
    const hash = hashRecord(record);
    hashes[record.id] = hash;
    const reusable = canReuseChunks && previous!.manifest.records[record.id] === hash ? previousChunksByRecord.get(record.id) : undefined;
    if (reusable) {
      unchanged.add(record.id);
      for (const position of reusable) {
        const chunk = previous!.chunks[position]!;
        chunks.push(chunk);
        if (canReuseTermCounts) lexical.addCounted(chunk.id, previous!.lexical.termCounts(position));
        else lexical.add(chunk.id, lexicalFields(record, chunk, tokenizer));
        const label = vectorLabelByChunk.get(chunk.id);
        const vector = label === undefined ? undefined : previousVectors!.index.getPoint(label);
        vectors.push(vector);
        if (model && !vector) toEmbed.push(chunks.length - 1);
      }
    } else {
      recordsChanged++;
      for (const chunk of chunkRecord(record, chunking)) {
        chunks.push(chunk);
        lexical.add(chunk.id, lexicalFields(record, chunk, tokenizer));
        vectors.push(undefined);
        if (model) toEmbed.push(chunks.length - 1);
      }
    }
    options.onProgress?.({ phase: 'chunk', done: i + 1, total: records.length });
  }

  const recordById = new Map(records.map((r) => [r.id, r]));
  // Short views of unchanged records come from the previous index like their chunks' vectors; the rest are embedded
  // with the chunks (or found in the vector cache).
  const views = model && chunking.shortVectors ? viewsOf(records, chunks, chunking.shortVectors) : [];
  const viewVectors = views.map((view) => {
    const label = unchanged.has(view.recordId) ? vectorLabelByChunk.get(view.id) : undefined;
    return label === undefined ? undefined : previousVectors!.index.getPoint(label);
  });
  const viewsToEmbed = views.flatMap((view, i) => (viewVectors[i] ? [] : [i]));
  // Sentence vectors of unchanged abstracts come from the previous index; the rest are embedded after the passages.
  const sentences = model && settings.sentences ? new SentenceVectorMap({ modelId: model.modelId, dimension: model.dimension, ...settings.sentences }) : undefined;
  const sentencesToEmbed: AbstractRecord[] = [];
  if (sentences) {
    const reusable = previous?.sentences && sameModel(previous.manifest, settings) && previous.sentences.settings.maxChars === sentences.settings.maxChars ? previous.sentences : undefined;
    for (const record of records) {
      const found = await reusable?.vectorsOf(record);
      if (found) sentences.set(record, found);
      else sentencesToEmbed.push(record);
    }
  }
  let embedded = 0;
  let sentencesEmbedded = 0;
  if (model && toEmbed.length + viewsToEmbed.length + sentencesToEmbed.length > 0) {
    const texts = toEmbed.map((position) => passageText(recordById.get(chunks[position]!.recordId)!, chunks[position]!));
    const result = await embedPassages({
      texts: [...texts, ...viewsToEmbed.map((i) => views[i]!.text)],
      groups: sentencesToEmbed.map((record) => sentenceTexts(record.abstract, settings.sentences!.maxChars)),
      embedder: options.passageEmbedder ?? model.embeddings,
      cache: options.vectorCache,
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.({ phase: 'embed', done, total }),
    });
    embedded = result.embedded - result.embeddedInGroups;
    sentencesEmbedded = result.embeddedInGroups;
    sentencesToEmbed.forEach((record, i) => sentences!.set(record, result.groupVectors[i]!));
    toEmbed.forEach((position, i) => (vectors[position] = result.vectors[i]));
    viewsToEmbed.forEach((view, i) => (viewVectors[view] = result.vectors[toEmbed.length + i]));
  }
  options.signal?.throwIfAborted();

  let dense: HNSWLib | undefined;
  if (model && chunks.length > 0) {
    // Chunks first (labels 0…n-1), then the views, each carrying the chunk it stands for.
    const points = [
      ...chunks.map((chunk, i) => ({ vector: vectors[i]!, metadata: { chunkId: chunk.id, recordId: chunk.recordId } })),
      ...views.map((view, i) => ({ vector: viewVectors[i]!, metadata: { chunkId: view.chunkId, recordId: view.recordId, viewId: view.id } })),
    ];
    options.onProgress?.({ phase: 'index', done: 0, total: points.length });
    // Imported here: LangChain costs about a second at start-up, and a keyword-only build never needs it.
    const [{ HNSWLib }, { Document }] = await Promise.all([import('@langchain/community/vectorstores/hnswlib'), import('@langchain/core/documents')]);
    dense = new HNSWLib(model.embeddings, { space: 'cosine', numDimensions: model.dimension });
    // In slices, yielding between them: adding thousands of points is synchronous native work.
    for (let start = 0; start < points.length; start += HNSW_SLICE) {
      const slice = points.slice(start, start + HNSW_SLICE);
      await dense.addVectors(
        slice.map((point) => point.vector),
        // No text: retrieval reads chunks from the index, and a second copy of every chunk would double the memory.
        slice.map((point) => new Document({ pageContent: '', metadata: point.metadata })),
      );
      options.onProgress?.({ phase: 'index', done: start + slice.length, total: points.length });
      await pause();
    }
    dense.index.setEf(options.ef ?? INDEX_DEFAULTS.hnswEf);
  }

  const manifest: IndexManifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    ...settings,
    counts: {
      records: records.length,
      chunks: chunks.length,
      vectors: dense ? chunks.length + views.length : 0,
      ...(sentences && { sentences: sentences.count }),
    },
    records: hashes,
  };
  const index = assembleIndex({ manifest, records, chunks, lexical, dense, sentences });
  return {
    index,
    stats: {
      records: records.length,
      chunks: chunks.length,
      recordsChanged,
      chunksEmbedded: embedded,
      chunksFromCache: toEmbed.length + viewsToEmbed.length - embedded,
      sentencesEmbedded,
      tookMs: Math.round(performance.now() - started),
    },
  };
}

/** Tokenized lexical fields of a chunk. */
export function lexicalFields(record: AbstractRecord, chunk: Chunk, tokenizer: Tokenizer): Record<string, string[]> {
  return {
    title: tokenizer.tokenize([record.title, record.originalTitle].filter(Boolean).join('\n')),
    keywords: tokenizer.tokenize(record.keywords.join('\n')),
    body: tokenizer.tokenize(chunk.text),
  };
}

function sameModel(manifest: IndexManifest, settings: IndexSettings): boolean {
  return JSON.stringify(manifest.model) === JSON.stringify(settings.model);
}

// Labels by chunk id, and short views' by view id.
function labelsByChunkId(store: HNSWLib): Map<string, number> {
  const labels = new Map<string, number>();
  for (const [label, doc] of documentsOf(store)) labels.set(String(doc.metadata.viewId ?? doc.metadata.chunkId), Number(label));
  return labels;
}

// The short views of every record, from its chunks (which sit together, in record order).
function viewsOf(records: AbstractRecord[], chunks: Chunk[], settings: ShortVectorSettings): ChunkView[] {
  const byRecord = new Map<string, Chunk[]>();
  for (const chunk of chunks) {
    const list = byRecord.get(chunk.recordId);
    if (list) list.push(chunk);
    else byRecord.set(chunk.recordId, [chunk]);
  }
  return records.flatMap((record) => shortViews(record, byRecord.get(record.id) ?? [], settings));
}
