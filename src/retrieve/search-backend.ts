import type { AbstractRecord } from '../corpus/record.js';
import type { Chunk } from '../ingest/chunk.js';
import type { RecordFilters } from './filters.js';

/** A chunk found by a search primitive, with its record. */
export interface ChunkHit {
  /** Chunk id, `<recordId>#<n>`. */
  id: string;
  recordId: string;
  score: number;
}

/** Query terms with weights (BM25 multiplies each term's contribution by its weight; a repeated term counts twice). */
export type WeightedTerms = ReadonlyMap<string, number>;

/** How common terms are: what idf needs. */
export interface TermStatistics {
  /** Chunks in the index. */
  chunks: number;
  /** Chunks holding the term in its most frequent lexical field (0 for an unknown term). */
  documentFrequency(term: string): number;
}

/** What `/health` reports about the backend. */
export interface BackendStatus {
  backend: 'embedded' | 'opensearch';
  records: number;
  chunks: number;
  /** Cluster health (`green`, `yellow`, `red`), or `unreachable`; OpenSearch only. */
  cluster?: string;
}

/**
 * Where the index lives, as retrieval sees it: data-in/data-out primitives, so that nothing above retrieval
 * knows whether an in-process index (BM25 + hnswlib files) or an OpenSearch cluster answers. Filters travel as
 * data, so a backend can apply them inside its engine (OpenSearch puts them in the bool query and inside the k-NN
 * query, which keeps a filtered dense search at exactly `limit` hits).
 */
export interface SearchBackend {
  readonly name: BackendStatus['backend'];
  /** Whether chunks carry vectors, so that dense search can run. */
  readonly hasVectors: boolean;
  /** Languages of the stored records, sorted (retrieval searches mixed-language indexes per language). */
  readonly languages: readonly string[];
  /** Chunks ranked by BM25 over the lexical fields (title and keywords boosted), best first. */
  lexical(terms: WeightedTerms, limit: number, filters?: RecordFilters): Promise<ChunkHit[]>;
  /** Chunks ranked by cosine similarity to a query vector (score = cosine), best first. */
  dense(vector: number[], limit: number, filters?: RecordFilters): Promise<ChunkHit[]>;
  /** Document frequencies of the given terms (one round trip for a remote backend). */
  termStatistics(terms: Iterable<string>): Promise<TermStatistics>;
  /** Records by id, in the order asked; unknown ids are left out. */
  records(ids: string[]): Promise<AbstractRecord[]>;
  /** Chunks by id, in the order asked; unknown ids are left out. */
  chunks(ids: string[]): Promise<Chunk[]>;
  /** Every lexical term each chunk holds, in any field (per-language calibration of lexical scores needs them). */
  chunkTerms(ids: string[]): Promise<Map<string, ReadonlySet<string>>>;
  status(): Promise<BackendStatus>;
}
