import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { AbstractRecord } from '../corpus/record.js';
import type { Chunk } from './chunk.js';
import { LexicalIndex, type LexicalIndexFiles, type LexicalIndexJson } from './lexical-index.js';
import { INDEX_FORMAT_VERSION, type IndexManifest } from './manifest.js';
import { saveSentenceVectors, SENTENCE_FILES, SentenceVectorFile, type SentenceVectorSource } from './sentence-vectors.js';

/** Everything retrieval needs, loaded in memory. */
export interface SearchIndex {
  manifest: IndexManifest;
  records: AbstractRecord[];
  recordById: Map<string, AbstractRecord>;
  chunks: Chunk[];
  /** Chunk id → position in `chunks` (and in the lexical index, which follows the same order). */
  chunkPosition: Map<string, number>;
  lexical: LexicalIndex;
  /** The HNSW vector store, absent when the index was built without a model. */
  dense?: HNSWLib;
  /** Sentence vectors for the semantic evidence step, when the index was built with them (and they are loaded). */
  sentences?: SentenceVectorSource;
}

/** An index folder that exists but cannot be read back (truncated, corrupted, half-copied). */
export class IndexCorruptError extends Error {
  override name = 'IndexCorruptError';
}

const FILES = { manifest: 'manifest.json', records: 'records.json', chunks: 'chunks.json', lexical: 'lexical.json', postings: 'lexical.postings', dense: 'dense' };

/** Assembles the in-memory lookups of an index from its parts. */
export function assembleIndex(parts: Omit<SearchIndex, 'recordById' | 'chunkPosition'>): SearchIndex {
  return {
    ...parts,
    recordById: new Map(parts.records.map((r) => [r.id, r])),
    chunkPosition: new Map(parts.chunks.map((c, i) => [c.id, i])),
  };
}

/**
 * Loads an index folder. Returns undefined when there is none (or it is from an older format). `embeddings` is
 * what will embed queries against the dense part; without it the dense part is not loaded. `ef` is applied after
 * loading because hnswlib does not save it and falls back to 10, which costs a third of recall.
 */
export async function loadSearchIndex(dir: string, options: { embeddings?: EmbeddingsInterface; ef: number }): Promise<SearchIndex | undefined> {
  await recoverInterruptedSwap(dir);
  const manifestFile = path.join(dir, FILES.manifest);
  if (!existsSync(manifestFile)) return undefined;
  const manifest = await readJson<IndexManifest>(manifestFile);
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return undefined;
  const [records, savedChunks, lexical] = await Promise.all([
    readJson<AbstractRecord[]>(path.join(dir, FILES.records)),
    readJson<SavedChunk[]>(path.join(dir, FILES.chunks)),
    readLexicalIndex(dir),
  ]);
  const chunks = await readPart(path.join(dir, FILES.chunks), async () => withTexts(savedChunks, records));
  const dense = options.embeddings && manifest.model ? await loadDenseIndex(dir, options.embeddings, options.ef) : undefined;
  const sentences = dense ? await loadSentenceVectors(dir, manifest) : undefined;
  try {
    const index = assembleIndex({ manifest, records, chunks, lexical, dense, sentences });
    if (index.records.length !== manifest.counts.records || index.chunks.length !== manifest.counts.chunks) {
      throw new Error(`manifest counts ${manifest.counts.records} records/${manifest.counts.chunks} chunks, files hold ${index.records.length}/${index.chunks.length}`);
    }
    return index;
  } catch (error) {
    throw new IndexCorruptError(`index ${dir} is inconsistent: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Loads the HNSW part of an index folder (undefined when it has none), for an index whose other parts are already
 * being served: `npm start` answers by keyword first and adds the vectors once the model is loaded. Chunk texts
 * are not kept in the vector store's docstore (retrieval reads chunks from the index): that halves what it holds.
 * @example
 * const dense = await loadDenseIndex(config.indexDir, model.embeddings, config.hnswEf);
 */
export async function loadDenseIndex(dir: string, embeddings: EmbeddingsInterface, ef: number): Promise<HNSWLib | undefined> {
  const denseDir = path.join(dir, FILES.dense);
  if (!existsSync(path.join(denseDir, 'hnswlib.index'))) return undefined;
  // Imported here: LangChain costs about a second at start-up, before the first answer a keyword index can give.
  const { HNSWLib } = await import('@langchain/community/vectorstores/hnswlib');
  const dense = await readPart(path.join(denseDir, 'hnswlib.index'), () => HNSWLib.load(denseDir, embeddings));
  dense.index.setEf(ef);
  for (const doc of documentsOf(dense).values()) doc.pageContent = '';
  return dense;
}

/**
 * Opens the sentence vectors of an index folder (undefined when it was built without them), read from disk a few
 * abstracts at a time; loaded with the dense part, since both belong to the model.
 */
export async function loadSentenceVectors(dir: string, manifest: IndexManifest): Promise<SentenceVectorSource | undefined> {
  if (!manifest.model || !manifest.sentences) return undefined;
  const expected = { modelId: manifest.model.id, dimension: manifest.model.dimension, maxChars: manifest.sentences.maxChars };
  return readPart(path.join(dir, SENTENCE_FILES.vectors), () => SentenceVectorFile.open(dir, expected));
}

/** The documents of an HNSW store by label (LangChain keeps them in a private map). */
export function documentsOf(store: HNSWLib): Map<string, { pageContent: string; metadata: Record<string, unknown> }> {
  return (store.docstore as unknown as { _docs: Map<string, { pageContent: string; metadata: Record<string, unknown> }> })._docs;
}

/**
 * Writes an index so that a reader never sees half of it: everything goes to a sibling temp folder, which then
 * replaces the old folder by rename (hnswlib's own save writes in place). Returns the index to serve from now on:
 * the same, with its sentence vectors read from the saved files instead of held in memory.
 */
export async function saveSearchIndex(dir: string, index: SearchIndex): Promise<SearchIndex> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  const temp = path.join(parent, `.${base}.tmp-${process.pid}-${Date.now()}`);
  const old = path.join(parent, `.${base}.old-${process.pid}-${Date.now()}`);
  await mkdir(temp, { recursive: true });
  try {
    await Promise.all([
      writeDurable(path.join(temp, FILES.records), JSON.stringify(index.records)),
      writeDurable(path.join(temp, FILES.chunks), JSON.stringify(index.chunks.map(({ text: _text, ...span }) => span))),
      writeLexicalIndex(temp, index.lexical),
    ]);
    if (index.dense) {
      const denseDir = path.join(temp, FILES.dense);
      await index.dense.save(denseDir);
      for (const name of await readdir(denseDir)) await syncPath(path.join(denseDir, name));
      await syncPath(denseDir);
    }
    if (index.sentences) await saveSentenceVectors(temp, index.records, index.sentences);
    // The manifest goes last: a folder with a manifest is complete. Everything is on disk before the rename
    // publishes it, so a power cut never leaves a renamed folder with empty or short files.
    await writeDurable(path.join(temp, FILES.manifest), JSON.stringify(index.manifest, null, 2));
    await syncPath(temp);
    if (existsSync(dir)) await rename(dir, old);
    await rename(temp, dir);
    await syncPath(parent);
    await rm(old, { recursive: true, force: true });
    return index.sentences ? { ...index, sentences: await loadSentenceVectors(dir, index.manifest) } : index;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) await rename(old, dir);
    throw error;
  }
}

// A crash between the two renames leaves only the `.old` folder: put it back.
async function recoverInterruptedSwap(dir: string): Promise<void> {
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (!existsSync(parent)) return;
  const prefix = `.${path.basename(dir)}.old-`;
  const leftovers = (await readdir(parent)).filter((name) => name.startsWith(prefix)).sort();
  const newest = leftovers[leftovers.length - 1];
  if (newest) await rename(path.join(parent, newest), dir);
}

/** A chunk as saved: its text is its span of the record's abstract, so it is not written twice. */
type SavedChunk = Omit<Chunk, 'text'> & { text?: string };

// Chunk texts from their records' abstracts (a chunk saved before spans were trusted still carries its text). A
// span outside its abstract means the files do not belong together.
function withTexts(saved: SavedChunk[], records: AbstractRecord[]): Chunk[] {
  const abstracts = new Map(records.map((record) => [record.id, record.abstract]));
  return saved.map((chunk) => {
    if (chunk.text !== undefined) return chunk as Chunk;
    const abstract = abstracts.get(chunk.recordId);
    if (abstract === undefined || !(chunk.start >= 0 && chunk.end <= abstract.length && chunk.start < chunk.end)) {
      throw new Error(`chunk ${chunk.id} spans ${chunk.start}–${chunk.end} of ${abstract === undefined ? 'a record not in records.json' : `an abstract of ${abstract.length} characters`}`);
    }
    return { ...chunk, text: abstract.slice(chunk.start, chunk.end) };
  });
}

// The postings in binary next to the terms; an index saved before that format holds all in lexical.json.
async function readLexicalIndex(dir: string): Promise<LexicalIndex> {
  const json = await readJson<LexicalIndexFiles['json'] | LexicalIndexJson>(path.join(dir, FILES.lexical));
  if ('units' in json) return readPart(path.join(dir, FILES.lexical), async () => LexicalIndex.fromJSON(json));
  const file = path.join(dir, FILES.postings);
  return readPart(file, async () => LexicalIndex.fromFiles({ json, postings: await readFile(file) }));
}

async function writeLexicalIndex(dir: string, lexical: LexicalIndex): Promise<void> {
  const { json, postings } = lexical.toFiles();
  await Promise.all([writeDurable(path.join(dir, FILES.lexical), JSON.stringify(json)), writeDurable(path.join(dir, FILES.postings), postings)]);
}

async function readJson<T>(file: string): Promise<T> {
  return readPart(file, async () => JSON.parse(await readFile(file, 'utf8')) as T);
}

// Any failure to read a part of an existing index means the folder is damaged, whatever the underlying error.
async function readPart<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new IndexCorruptError(`index file ${file} is unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function writeDurable(file: string, data: string | Buffer): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// fsync a file or folder (a folder's entry list is what makes a new name durable).
async function syncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
