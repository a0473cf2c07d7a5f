import type { AbstractRecord } from '../corpus/record.js';
import type { Chunk } from '../ingest/chunk.js';
import type { SearchIndex } from '../ingest/index-store.js';
import type { SentenceVectorSource } from '../ingest/sentence-vectors.js';
import { EmbeddedSearch, type LexicalSettings } from './embedded-search.js';
import type { RecordFilters } from './filters.js';
import type { RankedList } from './fusion.js';
import { listInMemory } from './record-listing.js';
import type { BackendStatus, ChunkHit, RecordListing, RecordListQuery, SearchBackend, TermStatistics, WeightedTerms } from './search-backend.js';

/** BM25 settings the embedded lexical primitive applies, and the HNSW breadth. */
export interface EmbeddedLexicalSettings extends LexicalSettings {
  /** HNSW search breadth; raised to the limit of a search when smaller. */
  ef: number;
}

/**
 * The search backend over the in-process index (BM25 in memory, HNSW from files): the same primitives as the
 * OpenSearch backend, answered from `SearchIndex` without a network hop. The ranking itself is
 * {@link EmbeddedSearch}'s, so the Retriever's primitives and this backend cannot drift apart.
 */
export class EmbeddedBackend implements SearchBackend {
  readonly name = 'embedded' as const;
  readonly remote = false;
  readonly languages: readonly string[];
  private readonly search: EmbeddedSearch;

  constructor(
    readonly index: SearchIndex,
    settings: EmbeddedLexicalSettings,
  ) {
    this.languages = [...new Set(index.records.map((r) => r.language))].sort();
    this.search = new EmbeddedSearch(index, settings);
    index.dense?.index.setEf(settings.ef);
  }

  get hasVectors(): boolean {
    return Boolean(this.index.dense);
  }

  get sentenceVectors(): SentenceVectorSource | undefined {
    return this.index.sentences;
  }

  async lexical(terms: WeightedTerms, limit: number, filters?: RecordFilters): Promise<ChunkHit[]> {
    return this.withRecords(this.search.lexical(terms, limit, filters));
  }

  async dense(vector: number[], limit: number, filters?: RecordFilters): Promise<ChunkHit[]> {
    return this.index.dense ? this.withRecords(await this.search.dense(vector, limit, filters)) : [];
  }

  async termStatistics(): Promise<TermStatistics> {
    // Answered from the in-memory index: the terms need not be known in advance (nor even read).
    return { chunks: this.index.lexical.size, documentFrequency: (term, fields) => this.search.documentFrequency(term, fields) };
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
    return new Map(ids.filter((id) => this.index.chunkPosition.has(id)).map((id) => [id, this.search.chunkTerms(id)]));
  }

  async listRecords(query: RecordListQuery): Promise<RecordListing> {
    return listInMemory(this.index.records, query);
  }

  async status(): Promise<BackendStatus> {
    return { backend: this.name, records: this.index.records.length, chunks: this.index.chunks.length };
  }

  // The ranking's own objects get their record: no copy per hit on the request path.
  private withRecords(hits: RankedList): ChunkHit[] {
    const { chunks, chunkPosition } = this.index;
    for (const hit of hits) (hit as ChunkHit).recordId = chunks[chunkPosition.get(hit.id)!]!.recordId;
    return hits as ChunkHit[];
  }
}
