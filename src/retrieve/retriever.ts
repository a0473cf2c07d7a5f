import type { AbstractRecord } from '../corpus/record.js';
import type { Chunk } from '../ingest/chunk.js';
import type { SearchIndex } from '../ingest/index-store.js';
import type { Tokenizer } from '../text/tokenize.js';
import { recordPredicate, type RecordFilters } from './filters.js';
import { normalizedScoreFusion, reciprocalRankFusion, type RankedList } from './fusion.js';
import { INDEX_DEFAULTS } from '../ingest/index-defaults.js';

/** How lexical and dense rankings are combined. */
export type FusionMethod = 'rrf' | 'normalized';

/** Retrieval settings (tuned on dev splits; see README). */
export interface RetrieverOptions {
  /** BM25 weight of each lexical field. @default { title: 1.5, keywords: 1, body: 1 } */
  fieldWeights?: Record<string, number>;
  /** @default 1.2 */
  k1?: number;
  /** @default 0.75 */
  b?: number;
  /**
   * How fields are combined (see `Bm25Options.scoring`). BM25F because on SciFact dev (809 claims) it scored
   * nDCG@10 .697 against .649 for per-field BM25 with the same weights (per-field BM25 peaks at .692 only with
   * the title weighted 0.3, i.e. barely boosted), and BioASQ dev .793 against .765; equal where records have no title.
   * @default 'bm25f'
   */
  scoring?: 'bm25' | 'bm25f';
  /**
   * Normalised-score fusion: on SciFact dev (809 claims, multilingual-e5-small) hybrid nDCG@10 is .736 with it
   * (lexical weight .5; .3 → .722, .7 → .733) against .714 with RRF (k 60; k 20 → .720); dense alone .666,
   * lexical alone .697. RRF discards BM25's score gaps, which on claims carry most of the signal.
   * @default 'normalized'
   */
  fusion?: FusionMethod;
  /** Share of the lexical list in normalised fusion. @default 0.5 */
  lexicalWeight?: number;
  /** Damping constant of reciprocal-rank fusion. @default 60 */
  rrfK?: number;
  /**
   * Chunks taken from each ranking before fusion; at least twice the records requested, because a record can
   * fill several chunk places (a request for 100 records with 100 chunks would return fewer than 100).
   * 200 rather than 100: hybrid nDCG@10 on SciFact dev goes .731 (50) → .733 (100) → .736 (200) → .737 (300),
   * and with 200 an evaluation asking for 100 records fuses exactly the lists a k ≤ 20 request fuses.
   * @default 200
   */
  candidates?: number;
  /** HNSW breadth; raised to `candidates` when smaller. @default 100 */
  ef?: number;
}

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
}

/** Something that turns a query into a vector. */
export interface QueryEmbedder {
  embedQuery(text: string): Promise<number[]>;
}

/**
 * Hybrid retrieval over one index: BM25 over chunks (titles and keywords as boosted fields) and HNSW over chunk
 * embeddings, each aggregated to records by their best chunk, then fused. Records are the unit of diversity:
 * a record appears once however many of its chunks match.
 */
export class Retriever {
  private readonly options: Required<RetrieverOptions>;

  constructor(
    private readonly index: SearchIndex,
    private readonly tokenizer: Tokenizer,
    private readonly embedder?: QueryEmbedder,
    options: RetrieverOptions = {},
  ) {
    this.options = {
      fieldWeights: options.fieldWeights ?? { title: 1.5, keywords: 1, body: 1 },
      k1: options.k1 ?? 1.2,
      b: options.b ?? 0.75,
      scoring: options.scoring ?? 'bm25f',
      fusion: options.fusion ?? 'normalized',
      lexicalWeight: options.lexicalWeight ?? 0.5,
      rrfK: options.rrfK ?? 60,
      candidates: options.candidates ?? 200,
      ef: options.ef ?? INDEX_DEFAULTS.hnswEf,
    };
    index.dense?.index.setEf(Math.max(this.options.ef, this.options.candidates));
  }

  /** The settings in force, defaults filled in (evaluation reports record them). */
  get settings(): Readonly<Required<RetrieverOptions>> {
    return this.options;
  }

  /** The mode a `hybrid` request actually runs in. */
  get effectiveMode(): 'hybrid' | 'lexical' {
    return this.index.dense && this.embedder ? 'hybrid' : 'lexical';
  }

  /** Finds the `k` best records for a query. */
  async search(request: SearchRequest): Promise<SearchResult> {
    const started = performance.now();
    const requested = request.mode ?? 'hybrid';
    const denseAvailable = Boolean(this.index.dense && this.embedder);
    if (requested === 'dense' && !denseAvailable) throw new Error('dense retrieval needs the embedding model and a dense index');
    const mode = requested === 'hybrid' && !denseAvailable ? 'lexical' : requested;
    const accept = recordPredicate(request.filters);

    const pool = Math.max(this.options.candidates, 2 * request.k);
    const lexicalChunks = mode === 'dense' ? [] : this.lexicalChunks(request.query, pool, accept);
    const denseChunks = mode === 'lexical' ? [] : await this.denseChunks(request.query, pool, accept);
    const lexicalRecords = bestPerRecord(lexicalChunks, this.index);
    const denseRecords = bestPerRecord(denseChunks, this.index);

    let fused: RankedList;
    if (mode === 'lexical') fused = lexicalRecords;
    else if (mode === 'dense') fused = denseRecords;
    else if (this.options.fusion === 'rrf') fused = reciprocalRankFusion([lexicalRecords, denseRecords], this.options.rrfK);
    else fused = normalizedScoreFusion([lexicalRecords, denseRecords], [this.options.lexicalWeight, 1 - this.options.lexicalWeight]);

    const hits = fused.slice(0, request.k).map(({ id, score }) => this.recordHit(id, score, lexicalChunks, denseChunks));
    return { mode, hits, tookMs: performance.now() - started };
  }

  private lexicalChunks(query: string, pool: number, accept?: (record: AbstractRecord) => boolean): RankedList {
    const { chunks, recordById, lexical } = this.index;
    return lexical.search(this.tokenizer.tokenize(query), {
      k1: this.options.k1,
      b: this.options.b,
      scoring: this.options.scoring,
      weights: this.options.fieldWeights,
      limit: pool,
      filter: accept ? (position) => accept(recordById.get(chunks[position]!.recordId)!) : undefined,
    });
  }

  private async denseChunks(query: string, pool: number, accept?: (record: AbstractRecord) => boolean): Promise<RankedList> {
    const store = this.index.dense!;
    const vector = await this.embedder!.embedQuery(query);
    const limit = Math.min(pool, this.index.chunks.length);
    if (store.index.getEf() < limit) store.index.setEf(limit);
    const results = await store.similaritySearchVectorWithScore(
      vector,
      limit,
      accept ? (doc) => accept(this.index.recordById.get(String(doc.metadata.recordId))!) : undefined,
    );
    // hnswlib returns cosine distance; 1 - distance is the cosine similarity.
    return results.map(([doc, distance]) => ({ id: String(doc.metadata.chunkId), score: 1 - distance }));
  }

  private recordHit(recordId: string, score: number, lexicalChunks: RankedList, denseChunks: RankedList): RecordHit {
    const { chunks, chunkPosition, recordById } = this.index;
    const seen = new Map<string, number>();
    for (const hit of [...lexicalChunks, ...denseChunks]) {
      const chunk = chunks[chunkPosition.get(hit.id)!]!;
      if (chunk.recordId === recordId && !seen.has(hit.id)) seen.set(hit.id, hit.score);
    }
    return {
      record: recordById.get(recordId)!,
      score,
      chunks: [...seen].map(([id, s]) => ({ chunk: chunks[chunkPosition.get(id)!]!, score: s })),
    };
  }
}

/** Collapses a chunk ranking to a record ranking, each record scored by its best chunk. */
function bestPerRecord(chunkHits: RankedList, index: SearchIndex): RankedList {
  const best = new Map<string, number>();
  for (const hit of chunkHits) {
    const recordId = index.chunks[index.chunkPosition.get(hit.id)!]!.recordId;
    if (!best.has(recordId)) best.set(recordId, hit.score);
  }
  return [...best].map(([id, score]) => ({ id, score }));
}
