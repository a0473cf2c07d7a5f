import type { AppConfig } from '../config.js';
import { readCorpus, type ReadCorpusResult } from '../corpus/read-corpus.js';
import { formatReadIssue } from '../corpus/record.js';
import type { Logger } from '../logger.js';
import type { Tokenizer } from '../text/tokenize.js';
import { buildSearchIndex, type BuildProgress, type BuildStats } from './build-index.js';
import { IndexCorruptError, loadSearchIndex, saveSearchIndex, type SearchIndex } from './index-store.js';
import { staleReason } from './manifest.js';
import { loadEmbeddingModel, modelLoadOptions, type LoadedModel } from './model-loader.js';

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
 * Makes the index match the corpus: reads the corpus, loads the embedding model (or explains loudly why it
 * cannot), and rebuilds the index only when it is missing or stale, reusing the work of unchanged records.
 */
export async function prepareIndex(options: PrepareIndexOptions): Promise<PreparedIndex> {
  const { config, tokenizer, logger } = options;
  const corpus = await readCorpus(options.paths ?? [config.corpusDir], { root: config.corpusDir, onProgress: options.onCorpusProgress });
  for (const issue of corpus.issues) logger.warn(`skipped ${formatReadIssue(issue)}`);
  logger.info(`corpus: ${corpus.records.length} records from ${corpus.summary.files} file(s), ${corpus.summary.skipped} skipped, ${corpus.summary.duplicates.length} duplicate(s)`);

  let model: LoadedModel | undefined;
  let modelProblem: string | undefined;
  if (options.lexicalOnly) {
    modelProblem = 'embedding model disabled for this run (lexical only)';
  } else {
    const loaded = await loadEmbeddingModel(modelLoadOptions(config));
    if (loaded.ok) {
      model = loaded.model;
      logger.info(`embedding model ${model.modelId} loaded (${model.dimension}-d) from ${model.source}`);
    } else {
      modelProblem = loaded.reason;
      logger.warn(`!!! LEXICAL-ONLY MODE: ${loaded.reason}`);
    }
  }

  const chunking = { maxTokens: config.chunkMaxTokens, overlapTokens: config.chunkOverlapTokens };
  const { previous, damage } = await loadPrevious(config, model);
  const settings = { model: model ? { id: model.modelId, dimension: model.dimension } : null, tokenizer: tokenizer.name, chunking };
  const reason = options.force ? 'rebuild requested' : damage ? 'index unreadable' : staleReason(previous?.manifest, corpus.records, settings);
  if (previous && !reason) {
    logger.info(`index is current: ${previous.records.length} records, ${previous.chunks.length} chunks`);
    return { index: previous, model, modelProblem, corpus };
  }

  if (damage) logger.warn(`${damage}; rebuilding it from the corpus`);
  logger.info(`building index (${reason})`);
  const { index, stats } = await buildSearchIndex({
    records: corpus.records,
    tokenizer,
    chunking,
    model,
    previous,
    ef: config.hnswEf,
    onProgress: options.onBuildProgress,
  });
  await saveSearchIndex(config.indexDir, index);
  logger.info(
    `index built in ${stats.tookMs} ms: ${stats.records} records, ${stats.chunks} chunks, ` +
      `${stats.recordsChanged} record(s) new or changed, ${stats.chunksEmbedded} chunk(s) embedded`,
  );
  return { index, model, modelProblem, corpus, build: { ...stats, reason: reason! } };
}

// A damaged index is rebuilt from the corpus (saying which file and why), never a crash at every start.
async function loadPrevious(config: AppConfig, model: LoadedModel | undefined): Promise<{ previous?: SearchIndex; damage?: string }> {
  try {
    return { previous: await loadSearchIndex(config.indexDir, { embeddings: model?.embeddings, ef: config.hnswEf }) };
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    return { damage: error.message };
  }
}
