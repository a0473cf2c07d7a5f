import { LEXICAL_FIELDS } from '../ingest/build-index.js';
import type { SearchIndex } from '../ingest/index-store.js';
import { recordPredicate, type RecordFilters } from './filters.js';
import type { RankedList } from './fusion.js';
import type { LexicalField, WeightedTerms } from './search-backend.js';

/** BM25 settings the lexical primitive applies. */
export interface LexicalSettings {
  k1: number;
  b: number;
  scoring: 'bm25' | 'bm25f';
  fieldWeights: Record<string, number>;
}

/**
 * The two retrieval primitives over the embedded index (BM25 in memory, HNSW on disk), data in and data out:
 * weighted terms or a vector, a limit and filters in; ranked chunk ids out. Everything language-aware (pools,
 * translation, calibration, fusion) sits above them in the Retriever.
 */
export class EmbeddedSearch {
  constructor(
    private readonly index: SearchIndex,
    private readonly settings: LexicalSettings,
  ) {}

  /** Chunks ranked by BM25 for weighted terms. */
  lexical(terms: WeightedTerms, limit: number, filters?: RecordFilters): RankedList {
    const { chunks, recordById, lexical } = this.index;
    const accept = recordPredicate(filters);
    return lexical.search(terms, {
      k1: this.settings.k1,
      b: this.settings.b,
      scoring: this.settings.scoring,
      weights: this.settings.fieldWeights,
      limit,
      filter: accept ? (position) => accept(recordById.get(chunks[position]!.recordId)!) : undefined,
    });
  }

  /**
   * Chunks ranked by cosine similarity to a query vector. A chunk with short views (see passage-views.ts) has
   * several vectors and scores its best one; the search then asks for as many more vectors as views per chunk, so
   * that about `limit` distinct chunks remain.
   */
  async dense(vector: number[], limit: number, filters?: RecordFilters): Promise<RankedList> {
    const store = this.index.dense!;
    const accept = recordPredicate(filters);
    const chunks = this.index.chunks.length;
    const points = store.index.getCurrentCount();
    const size = Math.min(Math.ceil((limit * points) / Math.max(1, chunks)), points);
    if (store.index.getEf() < size) store.index.setEf(size);
    const results = await store.similaritySearchVectorWithScore(
      vector,
      size,
      accept ? (doc) => accept(this.index.recordById.get(String(doc.metadata.recordId))!) : undefined,
    );
    // hnswlib returns cosine distance; 1 - distance is the cosine similarity. Best first, so a chunk's first is its best.
    const seen = new Set<string>();
    const ranked: RankedList = [];
    for (const [doc, distance] of results) {
      const id = String(doc.metadata.chunkId);
      if (ranked.length === limit) break;
      if (seen.has(id)) continue;
      seen.add(id);
      ranked.push({ id, score: 1 - distance });
    }
    return ranked;
  }

  /** Chunks holding the term in the most frequent of `fields`. */
  documentFrequency(term: string, fields: readonly LexicalField[] = LEXICAL_FIELDS): number {
    return Math.max(...fields.map((field) => this.index.lexical.documentFrequency(term, field)));
  }

  /** Every term a chunk holds, in any lexical field. */
  chunkTerms(chunkId: string): Set<string> {
    const position = this.index.chunkPosition.get(chunkId);
    if (position === undefined) return new Set();
    return new Set(Object.values(this.index.lexical.termCounts(position)).flatMap((pairs) => pairs.map(([term]) => term)));
  }
}
