import type { AbstractRecord } from '../corpus/record.js';
import type { LEXICAL_FIELDS } from '../ingest/build-index.js';
import type { Chunk } from '../ingest/chunk.js';
import type { SentenceVectorSource } from '../ingest/sentence-vectors.js';
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

/** The lexical fields of a chunk. */
export type LexicalField = (typeof LEXICAL_FIELDS)[number];

/** How common terms are: what idf needs. */
export interface TermStatistics {
  /** Chunks in the index. */
  chunks: number;
  /**
   * Chunks holding the term in its most frequent field among `fields` (0 for an unknown term).
   * @default fields: all lexical fields
   */
  documentFrequency(term: string, fields?: readonly LexicalField[]): number;
}

/**
 * BM25's inverse document frequency of a term over chunks (df from its most frequent lexical field); highest for
 * a term no chunk holds.
 */
export function bm25Idf(statistics: TermStatistics, term: string): number {
  const df = statistics.documentFrequency(term);
  return Math.log(1 + (statistics.chunks - df + 0.5) / (df + 0.5));
}

/** A page of the collection, and what it holds (for the library's filter controls). */
export interface RecordListing {
  /** Records matching the title filter (all records without one). */
  total: number;
  /** The page asked for, in index order. */
  records: AbstractRecord[];
  facets: RecordFacets;
}

/** What the collection holds, for the filter controls. */
export interface RecordFacets {
  /** Abstract languages with their record counts, most first. */
  languages: Array<{ code: string; count: number }>;
  /** The most common journals (at most 100), most first. */
  journals: Array<{ name: string; count: number }>;
  years: { min: number; max: number } | null;
}

/** A request for a page of the collection. */
export interface RecordListQuery {
  /** Keeps records whose title or original title contains it, compared folded (case, width, punctuation). */
  q?: string;
  offset: number;
  limit: number;
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
  /**
   * Whether each primitive is a round trip to another process. A remote backend's term statistics then answer only
   * for the terms asked; an in-process one answers for any term and never reads the terms given.
   */
  readonly remote: boolean;
  /** Whether chunks carry vectors, so that dense search can run. */
  readonly hasVectors: boolean;
  /**
   * Sentence vectors made at index time for the semantic evidence step, when the index holds them (see
   * src/ingest/sentence-vectors.ts); undefined: the answer step embeds the sentences it needs per question.
   */
  readonly sentenceVectors?: SentenceVectorSource;
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
  /** A page of records in index order, optionally those whose title contains some text, with the facets. */
  listRecords(query: RecordListQuery): Promise<RecordListing>;
  status(): Promise<BackendStatus>;
}
