import type { AbstractRecord } from '../corpus/record.js';
import type { Chunk } from '../ingest/chunk.js';
import type { SearchIndex } from '../ingest/index-store.js';
import { recordPredicate, type RecordFilters } from './filters.js';
import type { BackendStatus, ChunkHit, SearchBackend, TermStatistics, WeightedTerms } from './search-backend.js';

/** BM25 settings the embedded lexical primitive applies. */
export interface EmbeddedLexicalSettings {
  k1: number;
  b: number;
  scoring: 'bm25' | 'bm25f';
  fieldWeights: Record<string, number>;
  /** HNSW search breadth; raised to the limit of a search when smaller. */
  ef: number;
}

const FIELDS = ['title', 'keywords', 'body'];

/**
 * The search backend over the in-process index (BM25 in memory, HNSW from files): the same primitives as the
 * OpenSearch backend, answered from `SearchIndex` without a network hop.
 */
export class EmbeddedBackend implements SearchBackend {
  readonly name = 'embedded' as const;
  readonly languages: readonly string[];

  constructor(
    readonly index: SearchIndex,
    private readonly settings: EmbeddedLexicalSettings,
  ) {
    this.languages = [...new Set(index.records.map((r) => r.language))].sort();
    index.dense?.index.setEf(settings.ef);
  }

  get hasVectors(): boolean {
    return Boolean(this.index.dense);
  }

  async lexical(terms: WeightedTerms, limit: number, filters?: RecordFilters): Promise<ChunkHit[]> {
    const { chunks, recordById, lexical } = this.index;
    const accept = recordPredicate(filters);
    const bag: string[] = [];
    for (const [term, weight] of terms) for (let i = 0; i < weight; i++) bag.push(term);
    const hits = lexical.search(bag, {
      k1: this.settings.k1,
      b: this.settings.b,
      scoring: this.settings.scoring,
      weights: this.settings.fieldWeights,
      limit,
      filter: accept ? (position) => accept(recordById.get(chunks[position]!.recordId)!) : undefined,
    });
    return hits.map((hit) => ({ ...hit, recordId: this.recordOf(hit.id) }));
  }

  async dense(vector: number[], limit: number, filters?: RecordFilters): Promise<ChunkHit[]> {
    const store = this.index.dense;
    if (!store) return [];
    const accept = recordPredicate(filters);
    const size = Math.min(limit, this.index.chunks.length);
    if (store.index.getEf() < size) store.index.setEf(size);
    const results = await store.similaritySearchVectorWithScore(
      vector,
      size,
      accept ? (doc) => accept(this.index.recordById.get(String(doc.metadata.recordId))!) : undefined,
    );
    // hnswlib returns cosine distance; 1 - distance is the cosine similarity.
    return results.map(([doc, distance]) => ({ id: String(doc.metadata.chunkId), recordId: String(doc.metadata.recordId), score: 1 - distance }));
  }

  async termStatistics(): Promise<TermStatistics> {
    const { lexical } = this.index;
    return { chunks: lexical.size, documentFrequency: (term) => Math.max(...FIELDS.map((field) => lexical.documentFrequency(term, field))) };
  }

  async records(ids: string[]): Promise<AbstractRecord[]> {
    return ids.flatMap((id) => this.index.recordById.get(id) ?? []);
  }

  async chunks(ids: string[]): Promise<Chunk[]> {
    return ids.flatMap((id) => {
      const position = this.index.chunkPosition.get(id);
      return position === undefined ? [] : [this.index.chunks[position]!];
    });
  }

  async chunkTerms(ids: string[]): Promise<Map<string, ReadonlySet<string>>> {
    const terms = new Map<string, ReadonlySet<string>>();
    for (const id of ids) {
      const position = this.index.chunkPosition.get(id);
      if (position === undefined) continue;
      terms.set(id, new Set(Object.values(this.index.lexical.termCounts(position)).flatMap((pairs) => pairs.map(([term]) => term))));
    }
    return terms;
  }

  async status(): Promise<BackendStatus> {
    return { backend: this.name, records: this.index.records.length, chunks: this.index.chunks.length };
  }

  private recordOf(chunkId: string): string {
    return this.index.chunks[this.index.chunkPosition.get(chunkId)!]!.recordId;
  }
}
