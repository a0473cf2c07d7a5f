/**
 * Where an evaluation searches: the embedded index built in memory (the default), or an OpenSearch cluster the
 * dataset is ingested into with the product's own sync — so `npm run eval -- --backend opensearch` measures the
 * backend a scaled-out deployment runs, through the same Retriever.
 */
import type { AbstractRecord } from '../corpus/record.js';
import type { BuildProgress, BuildStats } from '../ingest/build-index.js';
import type { ChunkingSettings } from '../ingest/manifest.js';
import { embedPassages } from '../ingest/embed-passages.js';
import type { SearchIndex } from '../ingest/index-store.js';
import type { LoadedModel } from '../ingest/model-loader.js';
import { createOpenSearchClient, indexNames, type OpenSearchSettings } from '../ingest/opensearch/connection.js';
import type { IndexShape } from '../ingest/opensearch/layout.js';
import { syncOpenSearchIndex } from '../ingest/opensearch/sync-index.js';
import type { VectorCache } from '../ingest/vector-cache.js';
import { OpenSearchBackend } from '../retrieve/opensearch-backend.js';
import type { SearchBackend } from '../retrieve/search-backend.js';
import type { Tokenizer } from '../text/tokenize.js';
import { buildEvalIndex } from './eval-index.js';

/** The cluster an evaluation ingests into, under its own index prefix. */
export interface EvalCluster extends IndexShape {
  settings: OpenSearchSettings;
}

/** Inputs of {@link openEvalBackend}. */
export interface EvalBackendOptions {
  records: AbstractRecord[];
  tokenizer: Tokenizer;
  chunking: ChunkingSettings;
  model?: LoadedModel;
  /** Passage vectors by text: reused by either backend, and new ones kept for the next run. */
  vectorCache?: VectorCache;
  /** Embedded only: keep the built index here between runs (see buildEvalIndex). */
  indexCacheDir?: string;
  ef?: number;
  /** Ingest into this cluster and search it instead of an in-memory index. */
  cluster?: EvalCluster;
  onBuildProgress?: (progress: BuildProgress) => void;
}

/** What the Retriever searches, how it was built, and how to let go of it. */
export interface EvalBackend {
  source: SearchIndex | SearchBackend;
  stats: BuildStats;
  close(): Promise<void>;
}

/** Builds (or brings up to date) the index the evaluation searches. */
export async function openEvalBackend(options: EvalBackendOptions): Promise<EvalBackend> {
  const { records, tokenizer, chunking, model, vectorCache, cluster } = options;
  if (!cluster) {
    const built = await buildEvalIndex({ ...options, cacheDir: options.indexCacheDir });
    return { source: built.index, stats: built.stats, close: async () => {} };
  }
  const client = createOpenSearchClient(cluster.settings);
  const names = indexNames(cluster.settings.indexPrefix);
  let embedded = 0;
  let fromCache = 0;
  const vectors = async (texts: string[]) => {
    const made = await embedPassages({ texts, embedder: model!.embeddings, cache: vectorCache });
    embedded += made.embedded;
    fromCache += made.fromCache;
    return made.vectors;
  };
  const sync = await syncOpenSearchIndex({
    client,
    names,
    records,
    tokenizer,
    chunking,
    model: model && { modelId: model.modelId, dimension: model.dimension, vectors },
    shards: cluster.shards,
    replicas: cluster.replicas,
    onProgress: (done, total) => options.onBuildProgress?.({ phase: 'index', done, total }),
  });
  const backend = await OpenSearchBackend.open(client, names);
  const { chunks } = await backend.counts();
  return {
    source: backend,
    stats: { records: sync.records, chunks, recordsChanged: sync.recordsChanged, chunksEmbedded: embedded, chunksFromCache: fromCache, sentencesEmbedded: 0, tookMs: sync.tookMs },
    close: () => client.close(),
  };
}
