import type { Client } from '@opensearch-project/opensearch';
import type { AbstractRecord } from '../corpus/record.js';
import type { Chunk } from '../ingest/chunk.js';
import type { IndexNames } from '../ingest/opensearch/connection.js';
import { CHUNKS_ONLY, COMBINED_FIELD, OpenSearchLayoutError, readIndexMeta, TERM_FIELDS, VIEW_FIELD } from '../ingest/opensearch/layout.js';
import type { RecordFilters } from './filters.js';
import type { SentenceVectorSource } from '../ingest/sentence-vectors.js';
import { listClusterRecords } from './opensearch-listing.js';
import { ClusterSentenceVectors } from './opensearch-sentence-vectors.js';
import type { BackendStatus, ChunkHit, RecordListing, RecordListQuery, SearchBackend, TermStatistics, WeightedTerms } from './search-backend.js';

/** Per-field weights of the lexical primitive (fields left out count 1). */
export type FieldWeights = Record<string, number>;

/** Options of {@link OpenSearchBackend.open}. */
export interface OpenSearchBackendOptions {
  /** BM25 weight of each lexical field (per-field scoring only; BM25F's are fixed at ingest). @default { title: 1.5, keywords: 1, body: 1 } */
  fieldWeights?: FieldWeights;
  /** `bm25f` over the combined field (see `COMBINED_FIELD`), or each field scored on its own. @default 'bm25f' */
  scoring?: 'bm25' | 'bm25f';
}

/**
 * The retrieval primitives over OpenSearch, data in and data out: weighted terms (our tokenizer's, matched
 * against the whitespace-analysed term fields) or a vector, a limit and filters in; ranked chunks out. Filters run
 * inside the engine: in the bool query for BM25 and inside the k-NN query (lucene's efficient filtering), so a
 * filtered dense search still returns `limit` chunks when that many match.
 * Searches refuse partial results: with a shard lost (a node stopping) the request fails (and can be retried)
 * rather than answering silently from part of the index.
 */
export class OpenSearchBackend implements SearchBackend {
  readonly name = 'opensearch' as const;
  readonly remote = true;

  private constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    private readonly fieldWeights: FieldWeights,
    private readonly scoring: 'bm25' | 'bm25f',
    /** The embedding model the stored vectors were made with (null: a lexical-only index). */
    readonly indexModel: { id: string; dimension: number } | null,
    readonly languages: readonly string[],
    /** Whether BM25 needs a DFS round first: only with several shards do their idfs differ. */
    private readonly dfs: boolean,
    /** Vectors stored per chunk (1 without short views): a dense search asks for that many more to keep `limit` chunks. */
    private readonly vectorsPerChunk: number,
    readonly sentenceVectors?: SentenceVectorSource,
  ) {}

  get hasVectors(): boolean {
    return this.indexModel !== null;
  }

  /**
   * Opens the indexes ingest wrote (checking their layout and k-NN engine) and reads which languages they hold.
   * @throws OpenSearchLayoutError when there is no index under the prefix, or it has another layout or engine
   */
  static async open(client: Client, names: IndexNames, options: OpenSearchBackendOptions = {}): Promise<OpenSearchBackend> {
    const meta = await readIndexMeta(client, names);
    if (!meta) throw new OpenSearchLayoutError(`OpenSearch has no index "${names.chunks}" yet: run npm run ingest with SEARCH_BACKEND=opensearch`);
    const [languages, shards, vectorsPerChunk] = await Promise.all([distinctLanguages(client, names), shardCount(client, names), vectorsPerChunkOf(client, names)]);
    const weights = options.fieldWeights ?? { title: 1.5, keywords: 1, body: 1 };
    const sentences = meta.model && meta.sentences ? new ClusterSentenceVectors(client, names, { modelId: meta.model.id, dimension: meta.model.dimension, maxChars: meta.sentences.maxChars }) : undefined;
    return new OpenSearchBackend(client, names, weights, options.scoring ?? 'bm25f', meta.model ?? null, languages, shards > 1, vectorsPerChunk, sentences);
  }

  /**
   * Chunks ranked by BM25F over the combined field (or per-field BM25, weighted and summed). DFS
   * query-then-fetch makes idf global when the index has several shards, as it is in the embedded index (with one
   * shard it is already, and the extra round would cost a third of the query).
   */
  async lexical(terms: WeightedTerms, limit: number, filters?: RecordFilters): Promise<ChunkHit[]> {
    const should: unknown[] = [];
    for (const [term, weight] of terms) {
      if (this.scoring === 'bm25f') {
        if (weight > 0) should.push({ term: { [COMBINED_FIELD.name]: { value: term, boost: weight } } });
        continue;
      }
      for (const [field, name] of Object.entries(TERM_FIELDS)) {
        const boost = weight * (this.fieldWeights[field] ?? 1);
        if (boost > 0) should.push({ term: { [name]: { value: term, boost } } });
      }
    }
    if (should.length === 0 || limit <= 0) return [];
    const response = await this.client.search({
      index: this.names.chunks,
      allow_partial_search_results: false,
      ...(this.dfs && { search_type: 'dfs_query_then_fetch' }),
      body: {
        size: limit,
        _source: ['record_id'],
        query: { bool: { should, minimum_should_match: 1, filter: filterClauses(filters) } },
        sort: [{ _score: 'desc' }, { record_id: 'asc' }, { index: 'asc' }],
        track_scores: true,
      },
    } as never);
    return toHits(response.body, (score) => score);
  }

  /**
   * Chunks ranked by cosine similarity to a query vector, filters applied inside the k-NN search. A hit on a short
   * view counts for its chunk, which keeps its best vector's score (as in the embedded backend).
   */
  async dense(vector: number[], limit: number, filters?: RecordFilters): Promise<ChunkHit[]> {
    if (limit <= 0) return [];
    const clauses = filterClauses(filters);
    const k = Math.min(MAX_KNN_K, Math.ceil(limit * this.vectorsPerChunk));
    const knn = { vector, k, ...(clauses.length > 0 && { filter: { bool: { filter: clauses } } }) };
    const response = await this.client.search({
      index: this.names.chunks,
      allow_partial_search_results: false,
      body: { size: k, _source: ['record_id', VIEW_FIELD], query: { knn: { vector: knn } } },
    } as never);
    // The lucene engine scores cosinesimil as (1 + cos) / 2; the embedded backend and fusion work on the cosine.
    const hits = toHits(response.body, (score) => 2 * score - 1);
    const seen = new Set<string>();
    return hits.filter((hit) => !seen.has(hit.id) && Boolean(seen.add(hit.id))).slice(0, limit);
  }

  /** Document frequencies (the most frequent lexical field's) and the chunk count, in one request. */
  async termStatistics(terms: Iterable<string>): Promise<TermStatistics> {
    const { chunks, df } = await this.fieldStatistics(terms);
    return {
      chunks,
      documentFrequency: (term, fields) => {
        const perField = df.get(term) ?? {};
        return Math.max(0, ...(fields ?? Object.keys(perField)).map((field) => perField[field] ?? 0));
      },
    };
  }

  /** Chunks holding each term, per lexical field (`title`, `keywords`, `body`), and the chunk count: one request. */
  async fieldStatistics(terms: Iterable<string>): Promise<{ chunks: number; df: Map<string, Record<string, number>> }> {
    const unique = [...new Set(terms)];
    const filters: Record<string, unknown> = {};
    unique.forEach((term, i) => {
      for (const [field, name] of Object.entries(TERM_FIELDS)) filters[`${i}:${field}`] = { term: { [name]: term } };
    });
    const response = await this.client.search({
      index: this.names.chunks,
      allow_partial_search_results: false,
      // Short views have no terms, so only the chunk count needs them left out.
      body: { size: 0, track_total_hits: true, query: CHUNKS_ONLY, ...(unique.length > 0 && { aggs: { df: { filters: { filters } } } }) },
    } as never);
    const body = response.body as { hits: { total: { value: number } }; aggregations?: { df: { buckets: Record<string, { doc_count: number }> } } };
    const df = new Map<string, Record<string, number>>();
    for (const [key, bucket] of Object.entries(body.aggregations?.df.buckets ?? {})) {
      const [i, field] = key.split(':') as [string, string];
      const term = unique[Number(i)]!;
      const entry = df.get(term) ?? {};
      entry[field] = bucket.doc_count;
      df.set(term, entry);
    }
    return { chunks: body.hits.total.value, df };
  }

  /** Records by id (missing ids are left out), in the order asked. */
  async records(ids: string[]): Promise<AbstractRecord[]> {
    if (ids.length === 0) return [];
    const response = await this.client.mget({ index: this.names.records, body: { ids } } as never);
    const docs = (response.body as { docs: Array<{ found: boolean; _source?: { record: AbstractRecord } }> }).docs;
    return docs.filter((doc) => doc.found).map((doc) => doc._source!.record);
  }

  /** Chunks by id (missing ids are left out), in the order asked. */
  async chunks(ids: string[]): Promise<Chunk[]> {
    if (ids.length === 0) return [];
    const response = await this.client.mget({
      index: this.names.chunks,
      _source_includes: ['record_id', 'index', 'start', 'end', 'text'],
      body: { ids },
    } as never);
    const docs = (response.body as { docs: Array<{ _id: string; found: boolean; _source?: ChunkSource }> }).docs;
    return docs
      .filter((doc) => doc.found)
      .map(({ _id, _source: s }) => ({ id: _id, recordId: s!.record_id, index: s!.index, start: s!.start, end: s!.end, text: s!.text }));
  }

  /** Every lexical term each chunk holds, in any field. */
  async chunkTerms(ids: string[]): Promise<Map<string, ReadonlySet<string>>> {
    const terms = new Map<string, ReadonlySet<string>>();
    if (ids.length === 0) return terms;
    const fields = Object.values(TERM_FIELDS);
    const response = await this.client.mget({ index: this.names.chunks, _source_includes: fields, body: { ids } } as never);
    for (const doc of (response.body as { docs: Array<{ _id: string; found: boolean; _source?: Record<string, string> }> }).docs) {
      if (doc.found) terms.set(doc._id, new Set(fields.flatMap((field) => (doc._source![field] ?? '').split(' ').filter(Boolean))));
    }
    return terms;
  }

  /** A page of records in corpus order with the collection's facets. */
  async listRecords(query: RecordListQuery): Promise<RecordListing> {
    return listClusterRecords(this.client, this.names, query);
  }

  /** Counts and cluster health; an unreachable cluster is reported, not thrown. */
  async status(): Promise<BackendStatus> {
    try {
      const [counts, cluster] = await Promise.all([this.counts(), this.clusterStatus()]);
      return { backend: this.name, ...counts, cluster };
    } catch {
      return { backend: this.name, records: 0, chunks: 0, cluster: 'unreachable' };
    }
  }

  /** Records and chunks stored. */
  async counts(): Promise<{ records: number; chunks: number }> {
    const [records, chunks] = await Promise.all([
      this.client.count({ index: this.names.records }),
      this.client.count({ index: this.names.chunks, body: { query: CHUNKS_ONLY } } as never),
    ]);
    return { records: (records.body as { count: number }).count, chunks: (chunks.body as { count: number }).count };
  }

  /** Cluster health: `green`, `yellow` or `red`. */
  async clusterStatus(): Promise<string> {
    const response = await this.client.cluster.health({});
    return (response.body as { status: string }).status;
  }
}

interface ChunkSource {
  record_id: string;
  index: number;
  start: number;
  end: number;
  text: string;
}

/** Filters as OpenSearch clauses, the same rules as `recordPredicate`. */
export function filterClauses(filters: RecordFilters | undefined): unknown[] {
  if (!filters) return [];
  const clauses: unknown[] = [];
  if (filters.yearFrom !== undefined || filters.yearTo !== undefined) {
    clauses.push({ range: { year: { ...(filters.yearFrom !== undefined && { gte: filters.yearFrom }), ...(filters.yearTo !== undefined && { lte: filters.yearTo }) } } });
  }
  const journal = filters.journal?.trim().toLowerCase();
  if (journal) clauses.push({ wildcard: { journal: { value: `*${journal.replace(/[*?\\]/g, '\\$&')}*` } } });
  if (filters.language) clauses.push({ term: { language: filters.language } });
  return clauses;
}

async function shardCount(client: Client, names: IndexNames): Promise<number> {
  const response = await client.indices.getSettings({ index: names.chunks, name: 'index.number_of_shards' } as never);
  const settings = Object.values(response.body as Record<string, { settings: { index: { number_of_shards: string } } }>)[0];
  return Number(settings?.settings.index.number_of_shards ?? 1);
}

async function distinctLanguages(client: Client, names: IndexNames): Promise<string[]> {
  const response = await client.search({
    index: names.chunks,
    body: { size: 0, aggs: { languages: { terms: { field: 'language', size: 100 } } } },
  } as never);
  const buckets = (response.body as unknown as { aggregations: { languages: { buckets: Array<{ key: string }> } } }).aggregations.languages.buckets;
  return buckets.map((b) => b.key).sort();
}

/** Largest k a lucene k-NN query takes. */
const MAX_KNN_K = 10_000;

// Vectors per chunk: all documents (chunks and their short views) over chunks; 1 for an empty index.
async function vectorsPerChunkOf(client: Client, names: IndexNames): Promise<number> {
  const [all, chunks] = await Promise.all([
    client.count({ index: names.chunks }),
    client.count({ index: names.chunks, body: { query: CHUNKS_ONLY } } as never),
  ]);
  const [a, c] = [(all.body as { count: number }).count, (chunks.body as { count: number }).count];
  return c > 0 ? Math.max(1, a / c) : 1;
}

// A short view's hit is its chunk's (the view document names it).
function toHits(body: unknown, score: (raw: number) => number): ChunkHit[] {
  const hits = (body as { hits: { hits: Array<{ _id: string; _score: number; _source: { record_id: string; [VIEW_FIELD]?: string } }> } }).hits.hits;
  return hits.map((hit) => ({ id: hit._source[VIEW_FIELD] ?? hit._id, recordId: hit._source.record_id, score: score(hit._score) }));
}
