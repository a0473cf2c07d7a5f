import type { Client } from '@opensearch-project/opensearch';
import type { AbstractRecord } from '../../corpus/record.js';
import { foldText } from '../../text/fold.js';
import type { Tokenizer } from '../../text/tokenize.js';
import { lexicalFields } from '../build-index.js';
import { passageText, shortViews, type ChunkView } from '../passage-views.js';
import { encodeSentenceVectors, sentenceTexts } from '../sentence-vectors.js';
import { chunkRecord, type Chunk } from '../chunk.js';
import { hashRecord, type IndexSettings } from '../manifest.js';
import { bulkWrite, type BulkOperation, type BulkRetryOptions } from './bulk-write.js';
import type { IndexNames } from './connection.js';
import { COMBINED_FIELD, VIEW_FIELD, createIndexes, deleteIndexes, OPENSEARCH_LAYOUT_VERSION, readIndexMeta, TERM_FIELDS, type IndexShape, type OpenSearchIndexMeta } from './layout.js';
import { deleteChunksOf, storedHashes } from './stored-records.js';

/** Vectors for passages, in order; backed by the embedding model (and its vector cache) in the product. */
export type PassageVectors = (texts: string[]) => Promise<number[][]>;

/** Options of {@link syncOpenSearchIndex}. */
export interface SyncOptions extends IndexShape, BulkRetryOptions {
  client: Client;
  names: IndexNames;
  records: AbstractRecord[];
  tokenizer: Tokenizer;
  chunking: IndexSettings['chunking'];
  /**
   * The embedding model; without it the index is lexical only. With `sentences`, each record is stored with its
   * sentence vectors for the semantic evidence step (see src/ingest/sentence-vectors.ts), made by `sentences.vectors`
   * one group (abstract) at a time.
   */
  model?: { modelId: string; dimension: number; vectors: PassageVectors; sentences?: { maxChars: number; vectors: (groups: string[][]) => Promise<number[][][]> } };
  /** Records written per round (chunked, embedded, sent). @default 256 */
  batchRecords?: number;
  /** Recreate both indexes first. @default false */
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** What a sync did. */
export interface SyncStats {
  records: number;
  /** Records written because they are new or changed (or were left half-written by a crash). */
  recordsChanged: number;
  recordsRemoved: number;
  chunksWritten: number;
  /** Why both indexes were (re)created, when they were. */
  rebuilt?: string;
  tookMs: number;
}

/**
 * Makes the OpenSearch indexes match the corpus, with the embedded backend's incremental rules: a record whose
 * content hash is stored is left alone; new and changed records are re-chunked and written; removed ones deleted.
 * Chunk ids are deterministic (`<record>#<n>`), and a record's hash is written only after all its chunks and
 * removed before they are touched, so a killed run leaves nothing that a rerun would skip or duplicate.
 */
export async function syncOpenSearchIndex(options: SyncOptions): Promise<SyncStats> {
  const started = performance.now();
  const { client, names, records, tokenizer, chunking, model } = options;
  const meta: OpenSearchIndexMeta = {
    layoutVersion: OPENSEARCH_LAYOUT_VERSION,
    model: model ? { id: model.modelId, dimension: model.dimension } : null,
    tokenizer: tokenizer.name,
    chunking,
    ...(model?.sentences && { sentences: { maxChars: model.sentences.maxChars } }),
  };
  const existing = await readIndexMeta(client, names);
  const rebuilt = options.force ? 'rebuild requested' : existing ? metaChange(existing, meta) : 'no index yet';
  if (rebuilt) {
    await deleteIndexes(client, names);
    await createIndexes(client, names, meta, options);
  }

  const stored = rebuilt ? new Map<string, string>() : await storedHashes(client, names);
  const current = new Map(records.map((record) => [record.id, hashRecord(record)]));
  const positions = new Map(records.map((record, i) => [record.id, i]));
  const toWrite = records.filter((record) => stored.get(record.id) !== current.get(record.id));
  const removed = [...stored.keys()].filter((id) => !current.has(id));
  const stale = [...toWrite.map((r) => r.id), ...removed];

  // Hashes go first: from here on a crash makes these records count as new, and a rerun rewrites them.
  const staleStored = stale.filter((id) => stored.has(id));
  await bulkWrite(client, staleStored.map((id) => ({ action: 'delete', index: names.records, id })), options);
  if (!rebuilt) await deleteChunksOf(client, names, stale, options);

  const batch = options.batchRecords ?? 256;
  let chunksWritten = 0;
  for (let start = 0; start < toWrite.length; start += batch) {
    const slice = toWrite.slice(start, start + batch);
    const perRecord = slice.map((record) => ({ record, chunks: chunkRecord(record, chunking) }));
    const chunks = perRecord.flatMap(({ record, chunks }) => chunks.map((chunk) => ({ record, chunk })));
    const shortVectors = model && chunking.shortVectors;
    const views = shortVectors ? perRecord.flatMap(({ record, chunks }) => shortViews(record, chunks, shortVectors).map((view) => ({ record, view }))) : [];
    const vectors = model ? await model.vectors([...chunks.map(({ record, chunk }) => passageText(record, chunk)), ...views.map(({ view }) => view.text)]) : undefined;
    const sentences = model?.sentences;
    const sentenceVectors = sentences ? await sentences.vectors(slice.map((record) => sentenceTexts(record.abstract, sentences.maxChars))) : undefined;
    await bulkWrite(
      client,
      [
        ...chunks.map(({ record, chunk }, i): BulkOperation => ({ action: 'index', index: names.chunks, id: chunk.id, document: chunkDocument(record, chunk, tokenizer, vectors?.[i]) })),
        ...views.map(({ record, view }, i): BulkOperation => ({ action: 'index', index: names.chunks, id: view.id, document: viewDocument(record, view, vectors![chunks.length + i]!) })),
      ],
      options,
    );
    const counts = new Map<string, number>();
    for (const { chunk } of chunks) counts.set(chunk.recordId, (counts.get(chunk.recordId) ?? 0) + 1);
    await bulkWrite(
      client,
      slice.map((record, i) => ({
        action: 'index',
        index: names.records,
        id: record.id,
        document: {
          hash: current.get(record.id),
          chunks: counts.get(record.id) ?? 0,
          record,
          ...listingFields(record, positions.get(record.id)!),
          ...(sentenceVectors && sentenceVectors[i]!.length > 0 && { sentence_vectors: encodeSentenceVectors(sentenceVectors[i]!) }),
        },
      })),
      options,
    );
    chunksWritten += chunks.length;
    options.onProgress?.(Math.min(start + batch, toWrite.length), toWrite.length);
  }
  await client.indices.refresh({ index: [names.chunks, names.records] });
  return {
    records: records.length,
    recordsChanged: toWrite.length,
    recordsRemoved: removed.length,
    chunksWritten,
    ...(rebuilt && { rebuilt }),
    tookMs: Math.round(performance.now() - started),
  };
}

/** What the records index lists, filters and counts records by (see the records mapping). */
function listingFields(record: AbstractRecord, position: number): Record<string, unknown> {
  return {
    position,
    folded_title: foldText(`${record.title} ${record.originalTitle ?? ''}`),
    language: record.language,
    ...(record.journal && { journal: record.journal }),
    ...(record.year !== undefined && { year: record.year }),
  };
}

/** The document stored for a chunk. */
export function chunkDocument(record: AbstractRecord, chunk: Chunk, tokenizer: Tokenizer, vector?: number[]): Record<string, unknown> {
  const terms = lexicalFields(record, chunk, tokenizer);
  return {
    record_id: chunk.recordId,
    index: chunk.index,
    start: chunk.start,
    end: chunk.end,
    text: chunk.text,
    [TERM_FIELDS.title]: terms.title!.join(' '),
    [TERM_FIELDS.keywords]: terms.keywords!.join(' '),
    [TERM_FIELDS.body]: terms.body!.join(' '),
    [COMBINED_FIELD.name]: (['title', 'keywords', 'body'] as const)
      .flatMap((field) => Array.from({ length: COMBINED_FIELD.repeats[field] }, () => terms[field]!.join(' ')))
      .filter(Boolean)
      .join(' '),
    ...(record.year !== undefined && { year: record.year }),
    ...(record.journal && { journal: record.journal.toLowerCase() }),
    language: record.language,
    ...(vector && { vector }),
  };
}

/** The document stored for a short view: its vector, the chunk it stands for, and the fields filters read. */
export function viewDocument(record: AbstractRecord, view: ChunkView, vector: number[]): Record<string, unknown> {
  return {
    record_id: view.recordId,
    [VIEW_FIELD]: view.chunkId,
    ...(record.year !== undefined && { year: record.year }),
    ...(record.journal && { journal: record.journal.toLowerCase() }),
    language: record.language,
    vector,
  };
}

function metaChange(existing: OpenSearchIndexMeta, wanted: OpenSearchIndexMeta): string | undefined {
  if (existing.layoutVersion !== wanted.layoutVersion) return 'index layout changed';
  if (existing.tokenizer !== wanted.tokenizer) return 'tokenizer changed';
  // Compared field by field: OpenSearch returns `_meta` objects with their keys in another order.
  const { maxTokens, overlapTokens } = existing.chunking;
  if (maxTokens !== wanted.chunking.maxTokens || overlapTokens !== wanted.chunking.overlapTokens) return 'chunking settings changed';
  const [had, wants] = [existing.chunking.shortVectors, wanted.chunking.shortVectors];
  if (had?.kind !== wants?.kind || had?.maxTokens !== wants?.maxTokens) return 'short vector settings changed';
  // Like the embedded index: without a model the lexical part still serves, so a missing model is no reason.
  if (wanted.model && (existing.model?.id !== wanted.model.id || existing.model.dimension !== wanted.model.dimension)) {
    return `embedding model ${wanted.model.id} not yet applied`;
  }
  if (wanted.model && existing.sentences?.maxChars !== wanted.sentences?.maxChars) {
    return wanted.sentences ? 'sentence vectors not yet made' : 'sentence vectors no longer wanted';
  }
  return undefined;
}
