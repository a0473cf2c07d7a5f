import { existsSync } from 'node:fs';
import type { AbstractRecord } from '../corpus/record.js';
import { buildSearchIndex, type BuildProgress, type BuildStats } from '../ingest/build-index.js';
import type { ChunkingSettings } from '../ingest/manifest.js';
import { loadSearchIndex, saveSearchIndex, type SearchIndex } from '../ingest/index-store.js';
import type { LoadedModel } from '../ingest/model-loader.js';
import type { VectorCache } from '../ingest/vector-cache.js';
import type { Tokenizer } from '../text/tokenize.js';
import { INDEX_DEFAULTS } from '../ingest/index-defaults.js';

/** Inputs of {@link buildEvalIndex}. */
export interface EvalIndexOptions {
  records: AbstractRecord[];
  tokenizer: Tokenizer;
  chunking: ChunkingSettings;
  model?: LoadedModel;
  /**
   * Folder keeping the built index between runs, used only with a model: embedding a pool on two cores takes
   * minutes to an hour, and the dev and test splits share it. Unchanged records (same content hash, tokenizer,
   * chunking and model) are reused by the product's own incremental build; anything else is rebuilt.
   * @default undefined — a temporary in-memory index
   */
  cacheDir?: string;
  /** HNSW breadth set after loading or building. @default 100 */
  ef?: number;
  /** Passage vectors by text (the product's vector cache): reused, and new ones kept. @default undefined */
  vectorCache?: VectorCache;
  onProgress?: (progress: BuildProgress) => void;
}

/**
 * Builds the index an evaluation searches with {@link buildSearchIndex}, the code ingest runs, optionally
 * starting from (and saving to) a cache folder through the product's index store.
 */
export async function buildEvalIndex(options: EvalIndexOptions): Promise<{ index: SearchIndex; stats: BuildStats }> {
  const { records, tokenizer, chunking, model, onProgress } = options;
  const ef = options.ef ?? INDEX_DEFAULTS.hnswEf;
  const cacheDir = model ? options.cacheDir : undefined;
  const previous = cacheDir && existsSync(cacheDir) ? await loadSearchIndex(cacheDir, { embeddings: model!.embeddings, ef }) : undefined;
  const built = await buildSearchIndex({ records, tokenizer, chunking, model, previous, ef, vectorCache: options.vectorCache, onProgress });
  if (cacheDir && built.stats.recordsChanged + built.stats.chunksEmbedded > 0) await saveSearchIndex(cacheDir, built.index);
  return built;
}
