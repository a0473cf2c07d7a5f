import type { BuildProgress } from '../ingest/build-index.js';
import type { ChunkingSettings } from '../ingest/manifest.js';
import { INDEX_DEFAULTS } from '../ingest/index-defaults.js';
import type { LoadedModel } from '../ingest/model-loader.js';
import type { VectorCache } from '../ingest/vector-cache.js';
import { Retriever, type RetrievalMode, type RetrieverOptions } from '../retrieve/retriever.js';
import { createTokenizer, type Tokenizer } from '../text/tokenize.js';
import type { EvalDataset } from './dataset.js';
import { openEvalBackend, type EvalCluster } from './eval-backend.js';
import { meanMetrics, scoreQuery, type QueryMetrics } from './metrics.js';
import type { QueryRun } from './trec.js';

/** Inputs of {@link runEval}. */
export interface EvalOptions {
  dataset: EvalDataset;
  /** @default 'lexical' */
  mode?: RetrievalMode;
  /** Depth of nDCG and MRR. @default 10 */
  cutoff?: number;
  /** Records retrieved per query (Recall@100 needs 100). @default max(100, cutoff) */
  depth?: number;
  /** @default createTokenizer() — the product's tokenizer */
  tokenizer?: Tokenizer;
  /** Retriever settings; anything left out keeps the product default. */
  retriever?: RetrieverOptions;
  /** @default the product defaults (380 / 60 estimated tokens, short windows of 128) */
  chunking?: ChunkingSettings;
  /** Required for `dense` and `hybrid`. */
  model?: LoadedModel;
  /** Keep the embedded index here between runs (see {@link buildEvalIndex}). @default undefined — in memory only */
  indexCacheDir?: string;
  /** Passage vectors by text, reused by either backend. @default undefined — every passage embedded */
  vectorCache?: VectorCache;
  /** Ingest into this OpenSearch cluster and search it. @default undefined — the embedded index */
  cluster?: EvalCluster;
  /** Evaluate only the first N queries (embedding big pools on two cores is slow). */
  limitQueries?: number;
  onBuildProgress?: (progress: BuildProgress) => void;
  onQueryProgress?: (done: number, total: number) => void;
}

/** Metrics of a group of queries. */
export interface GroupResult {
  queries: number;
  metrics: QueryMetrics;
}

/** Everything an evaluation produced. */
export interface EvalResult {
  mode: RetrievalMode;
  cutoff: number;
  overall: GroupResult;
  /** Per reporting group (CSL title / keywords, WMT direction × query type); only `all` for single-kind sets. */
  groups: Record<string, GroupResult>;
  runs: QueryRun[];
  perQuery: Array<{ queryId: string; group: string; metrics: QueryMetrics }>;
  settings: {
    /** Where the index was searched. */
    backend: 'embedded' | 'opensearch';
    tokenizer: string;
    chunking: ChunkingSettings;
    /** Every retriever setting in force, defaults included. */
    retriever: Required<RetrieverOptions>;
    model: string | null;
    depth: number;
  };
  stats: { documents: number; chunks: number; chunksEmbedded: number; indexMs: number; searchMs: number; queriesPerSecond: number };
}

const PRODUCT_CHUNKING: ChunkingSettings = {
  maxTokens: INDEX_DEFAULTS.chunkMaxTokens,
  overlapTokens: INDEX_DEFAULTS.chunkOverlapTokens,
  ...(INDEX_DEFAULTS.shortVectors !== 'none' && { shortVectors: { kind: INDEX_DEFAULTS.shortVectors, maxTokens: INDEX_DEFAULTS.shortVectorTokens } }),
};

/**
 * Evaluates retrieval on a dataset through the product's own path: `buildSearchIndex` into a temporary in-memory
 * index (with a model, optionally cached on disk), then {@link Retriever.search} per query. A query with
 * `targetLang` searches only documents in that language, through the same `filters.language` the API offers.
 */
export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const { dataset } = options;
  const mode = options.mode ?? 'lexical';
  const cutoff = options.cutoff ?? 10;
  const depth = options.depth ?? Math.max(100, cutoff);
  if (mode !== 'lexical' && !options.model) throw new Error(`--mode ${mode} needs the embedding model (none was loaded)`);
  const tokenizer = options.tokenizer ?? createTokenizer();
  const chunking = options.chunking ?? PRODUCT_CHUNKING;
  const model = mode === 'lexical' ? undefined : options.model;

  const backend = await openEvalBackend({
    records: dataset.documents,
    tokenizer,
    chunking,
    model,
    vectorCache: options.vectorCache,
    indexCacheDir: options.indexCacheDir,
    ef: options.retriever?.ef,
    cluster: options.cluster,
    onBuildProgress: options.onBuildProgress,
  });
  const { stats } = backend;
  const retriever = new Retriever(backend.source, tokenizer, model?.embeddings, options.retriever);

  const queries = options.limitQueries ? dataset.queries.slice(0, options.limitQueries) : dataset.queries;
  const runs: QueryRun[] = [];
  const perQuery: EvalResult['perQuery'] = [];
  let searchMs = 0;
  for (const [i, query] of queries.entries()) {
    const started = performance.now();
    const result = await retriever.search({
      query: query.query,
      k: depth,
      mode,
      filters: query.targetLang ? { language: query.targetLang } : undefined,
    });
    searchMs += performance.now() - started;
    const hits = result.hits.map((hit) => ({ id: hit.record.id, score: hit.score }));
    runs.push({ queryId: query.id, hits });
    const ranked = hits.map((h) => h.id);
    perQuery.push({ queryId: query.id, group: query.group, metrics: scoreQuery(ranked, new Set(query.goldDocIds), cutoff) });
    options.onQueryProgress?.(i + 1, queries.length);
  }

  await backend.close();

  const groups: Record<string, GroupResult> = {};
  for (const group of [...new Set(perQuery.map((q) => q.group))].sort()) {
    const members = perQuery.filter((q) => q.group === group).map((q) => q.metrics);
    groups[group] = { queries: members.length, metrics: meanMetrics(members) };
  }
  return {
    mode,
    cutoff,
    overall: { queries: perQuery.length, metrics: meanMetrics(perQuery.map((q) => q.metrics)) },
    groups,
    runs,
    perQuery,
    settings: { backend: retriever.backend.name, tokenizer: tokenizer.name, chunking, retriever: { ...retriever.settings }, model: model?.modelId ?? null, depth },
    stats: {
      documents: stats.records,
      chunks: stats.chunks,
      chunksEmbedded: stats.chunksEmbedded,
      indexMs: stats.tookMs,
      searchMs: Math.round(searchMs),
      queriesPerSecond: queries.length / Math.max(searchMs / 1000, 1e-9),
    },
  };
}
