/**
 * The service over an OpenSearch cluster (`SEARCH_BACKEND=opensearch`): nothing is built locally; the embedding
 * model is loaded only to embed questions (and, for `npm run ingest`, passages not yet in the vector cache), and
 * retrieval and answering are wired on the cluster's backend exactly as on the embedded index.
 */
import { AnswerEngine } from '../answer/answer-engine.js';
import { chunkingSettings, ConfigError, sentenceSettings, type AppConfig } from '../config.js';
import type { ReadCorpusResult } from '../corpus/read-corpus.js';
import { embedPassages } from '../ingest/embed-passages.js';
import type { LoadedModel } from '../ingest/model-loader.js';
import { createOpenSearchClient, indexNames } from '../ingest/opensearch/connection.js';
import { syncOpenSearchIndex, type SyncStats } from '../ingest/opensearch/sync-index.js';
import { findModel, passageEmbedder, readCorpusLogged, type PrepareIndexOptions } from '../ingest/prepare-index.js';
import { VectorCache } from '../ingest/vector-cache.js';
import type { Logger } from '../logger.js';
import { OpenSearchBackend } from '../retrieve/opensearch-backend.js';
import { Retriever } from '../retrieve/retriever.js';
import type { AppServices } from '../server/app.js';
import { createTokenizer } from '../text/tokenize.js';
import { llmOptions, loadLlmSupport, usableSentenceVectors } from './services.js';

/** Retrieval and answering over the cluster. */
export interface ClusterServices extends AppServices {
  retriever: Retriever;
  backend: OpenSearchBackend;
}

/**
 * Opens the indexes `npm run ingest` wrote into the cluster and wires the service on them. The question embedder
 * must be the model the stored vectors were made with: another one is refused, since its vectors would be compared
 * with vectors of a different space. Without the model the service answers lexically and `/health` says why.
 * @throws ConfigError when the cluster is unreachable, holds no index under the prefix, or one of another model
 * or k-NN engine
 */
export async function openClusterServices(config: AppConfig, logger: Logger, options: { lexicalOnly?: boolean } = {}): Promise<ClusterServices> {
  const client = createOpenSearchClient(config.opensearch);
  const names = indexNames(config.opensearch.indexPrefix);
  const backend = await clusterStep(config, () => OpenSearchBackend.open(client, names));
  const stored = backend.indexModel;
  let model: LoadedModel | undefined;
  let modelProblem: string | undefined;
  if (!stored) modelProblem = `the OpenSearch index "${names.chunks}" holds no vectors (it was ingested without the model)`;
  else if (options.lexicalOnly) modelProblem = 'embedding model disabled for this run (lexical only)';
  else ({ model, modelProblem } = await findModel(config, logger, { threads: config.queryEmbedThreads }));
  if (stored && model && (model.modelId !== stored.id || model.dimension !== stored.dimension)) {
    throw new ConfigError(
      `OpenSearch index "${names.chunks}" holds vectors of ${stored.id} (${stored.dimension}-d) but EMBEDDING_MODEL is ${model.modelId} ` +
        `(${model.dimension}-d): set EMBEDDING_MODEL=${stored.id}, or re-ingest with npm run ingest -- --force`,
    );
  }
  await loadLlmSupport(config);
  const tokenizer = createTokenizer();
  const embedder = stored ? model?.embeddings : undefined;
  const retriever = new Retriever(backend, tokenizer, embedder);
  const engine = new AnswerEngine(retriever, tokenizer, {
    defaultK: config.defaultK,
    embedder,
    sentenceVectors: embedder && usableSentenceVectors(backend, model),
    ...llmOptions(config, tokenizer, backend, logger),
  });
  const { records, chunks } = await backend.counts();
  logger.info(`OpenSearch index "${names.chunks}" on ${config.opensearch.url} opened: ${records} records, ${chunks} chunks, ${retriever.effectiveMode}`);
  return { engine, collection: backend, retriever, backend, modelId: embedder ? model!.modelId : null, modelProblem, logger, close: () => client.close() };
}

/** What `npm run ingest` did on the cluster. */
export interface ClusterIngest {
  corpus: ReadCorpusResult;
  sync: SyncStats;
  /** Passages the model embedded, and those whose vectors came from the vector cache. */
  embedded: number;
  fromCache: number;
  /** Sentences the model embedded for the semantic evidence step (those in the vector cache not counted). */
  sentencesEmbedded: number;
  modelId: string | null;
  modelProblem?: string;
}

/**
 * Brings the cluster's indexes up to date with the corpus (incremental, as the embedded index: content hashes decide
 * what is written), embedding only passages the vector cache does not hold.
 */
export async function ingestIntoCluster(
  config: AppConfig,
  logger: Logger,
  options: Pick<PrepareIndexOptions, 'force' | 'lexicalOnly' | 'onCorpusProgress'> & { onProgress?: (done: number, total: number) => void } = {},
): Promise<ClusterIngest> {
  const corpus = await readCorpusLogged({ config, logger, onCorpusProgress: options.onCorpusProgress });
  const { model, modelProblem } = options.lexicalOnly ? { model: undefined, modelProblem: 'embedding model disabled for this run (lexical only)' } : await findModel(config, logger);
  const cache = model ? await VectorCache.open(config.vectorCacheDir, { modelId: model.modelId, dimension: model.dimension }) : undefined;
  const client = createOpenSearchClient(config.opensearch);
  const embedder = model ? passageEmbedder(config, model) : undefined;
  let embedded = 0;
  let fromCache = 0;
  let sentencesEmbedded = 0;
  const vectors = async (texts: string[]) => {
    const made = await embedPassages({ texts, embedder: embedder!, cache });
    embedded += made.embedded;
    fromCache += made.fromCache;
    return made.vectors;
  };
  const sentences = sentenceSettings(config);
  const sentenceVectors = async (groups: string[][]) => {
    const made = await embedPassages({ texts: [], groups, embedder: embedder!, cache });
    sentencesEmbedded += made.embeddedInGroups;
    return made.groupVectors;
  };
  try {
    const sync = await clusterStep(config, () =>
      syncOpenSearchIndex({
        client,
        names: indexNames(config.opensearch.indexPrefix),
        records: corpus.records,
        tokenizer: createTokenizer(),
        chunking: chunkingSettings(config),
        model: model && { modelId: model.modelId, dimension: model.dimension, vectors, ...(sentences && { sentences: { ...sentences, vectors: sentenceVectors } }) },
        shards: config.opensearch.shards,
        replicas: config.opensearch.replicas,
        force: options.force,
        onProgress: options.onProgress,
      }),
    );
    return { corpus, sync, embedded, fromCache, sentencesEmbedded, modelId: model?.modelId ?? null, modelProblem };
  } finally {
    await embedder?.close();
    await cache?.close();
    await client.close();
  }
}

// A cluster that does not answer is a setting to fix (URL, credentials, TLS), said in one line.
async function clusterStep<T>(config: AppConfig, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError') {
      throw new ConfigError(`OpenSearch at ${config.opensearch.url} did not answer (${(error as Error).message}): start it (scripts/opensearch up) or fix OPENSEARCH_URL`);
    }
    if (name === 'OpenSearchLayoutError') throw new ConfigError((error as Error).message);
    throw error;
  }
}
