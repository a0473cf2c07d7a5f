/** What a search takes and gives back. */
import type { AbstractRecord } from '../corpus/record.js';
import type { Chunk } from '../ingest/chunk.js';
import type { QuestionTranslation } from '../text/translate-terms.js';
import type { RecordFilters } from './filters.js';

/** Which rankings to use; `hybrid` falls back to `lexical` without a dense index. */
export type RetrievalMode = 'lexical' | 'dense' | 'hybrid';

/** A request to {@link Retriever.search}. */
export interface SearchRequest {
  query: string;
  /** Records to return. */
  k: number;
  filters?: RecordFilters;
  /** @default 'hybrid' */
  mode?: RetrievalMode;
}

/** A record found for a query, with its best chunks. */
export interface RecordHit {
  record: AbstractRecord;
  score: number;
  /**
   * Matching chunks of the record, each once: its lexical matches in BM25 rank order, then those only the vector
   * search found. Not sorted across the two: each score is on its own list's scale (BM25 or cosine).
   */
  chunks: Array<{ chunk: Chunk; score: number }>;
}

/** The outcome of a search. */
export interface SearchResult {
  mode: Exclude<RetrievalMode, 'hybrid'> | 'hybrid';
  hits: RecordHit[];
  tookMs: number;
  /** The dictionary translation searched in the other language's documents, when there were any. */
  translation?: QuestionTranslation;
}

/** Something that turns a query into a vector. */
export interface QueryEmbedder {
  embedQuery(text: string): Promise<number[]>;
}
