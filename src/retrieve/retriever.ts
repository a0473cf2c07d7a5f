import type { SearchIndex } from '../ingest/index-store.js';
import { answerLanguage } from '../text/language.js';
import type { Tokenizer } from '../text/tokenize.js';
import { translateQuestion, translatedTermWeights, type QuestionTranslation } from '../text/translate-terms.js';
import { EmbeddedBackend } from './embedded-backend.js';
import type { RecordFilters } from './filters.js';
import { normalizedScoreFusion, reciprocalRankFusion, type RankedList } from './fusion.js';
import { INDEX_DEFAULTS } from '../ingest/index-defaults.js';
import { bestPerRecord, noteChunks, recordHits, type FoundChunks } from './record-hits.js';
import { bm25Idf, type SearchBackend } from './search-backend.js';
import type { QueryEmbedder, SearchRequest, SearchResult } from './search-types.js';

export type { QueryEmbedder, RecordHit, RetrievalMode, SearchRequest, SearchResult } from './search-types.js';
import { calibrateLexical, countTerms, languagePools, mergeLists, mergeTerms, rescale, type LanguagePool, type PoolQuery } from './language-pools.js';

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
  /** Share of the lexical list in normalised fusion, for documents in the question's language. @default 0.5 */
  lexicalWeight?: number;
  /**
   * Share of the lexical list for documents in the other language, whose lexical match rests on dictionary
   * translation (and shared Latin terms) rather than on the question's own words. On WMT dev (45 pairs, hybrid,
   * `bench/tune-cross-language.ts`) first-sentence R@1 en→zh / zh→en: 0 → .822 / .844, .1 → .911 / .933,
   * .2 → .933 / .978, .3 → .956 / .978, .4 → .911 / .978, .5 → .911 / .978, .6–.8 → .889 / .978 (full abstracts
   * 1.000 from .1 up): zh→en is flat from .2, en→zh peaks at .3.
   * @default 0.3
   */
  crossLexicalWeight?: number;
  /**
   * Added to the cosine of documents in another language than the question before pools are merged:
   * multilingual-e5-small scores any same-language pair above a cross-language one, whatever the topic. On the
   * bilingual dev set (103 questions, `bench/bilingual-dev.ts --cross-offset …`, hybrid + semantic evidence) the
   * right abstract is cited first for 87.4% at .02, 89.3% at .04, 92.2% at .06, .08 and .10 (same-language decoys
   * — the shipped corpus's Chinese NK/DC abstracts — stop winning from .06); .08 is the middle of that plateau.
   * Only mixed-language searches feel it: one pool (a WMT query restricted to its target language) is min-max
   * normalised before fusion, which cancels a constant.
   * @default 0.08
   */
  crossLanguageOffset?: number;
  /** Translate question terms with the bilingual dictionary for documents in the other language. @default true */
  translate?: boolean;
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


/**
 * Hybrid retrieval over one search backend: BM25 over chunks (titles and keywords as boosted fields) and HNSW over
 * chunk embeddings, each aggregated to records by their best chunk, then fused. Records are the unit of diversity:
 * a record appears once however many of its chunks match. Only the backend's primitives are used, so the embedded
 * index and an OpenSearch cluster rank alike.
 */
export class Retriever {
  private readonly options: Required<RetrieverOptions>;
  /** Where the chunks and records live. */
  readonly backend: SearchBackend;

  /**
   * @param source a search backend, or an in-process index (wrapped in an {@link EmbeddedBackend} with these
   * options' BM25 settings)
   */
  constructor(
    source: SearchBackend | SearchIndex,
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
      crossLexicalWeight: options.crossLexicalWeight ?? 0.3,
      crossLanguageOffset: options.crossLanguageOffset ?? 0.08,
      translate: options.translate ?? true,
      rrfK: options.rrfK ?? 60,
      candidates: options.candidates ?? 200,
      ef: options.ef ?? INDEX_DEFAULTS.hnswEf,
    };
    this.backend = isSearchBackend(source) ? source : new EmbeddedBackend(source, { ...this.options, ef: Math.max(this.options.ef, this.options.candidates) });
  }

  /** The settings in force, defaults filled in (evaluation reports record them). */
  get settings(): Readonly<Required<RetrieverOptions>> {
    return this.options;
  }

  /** The mode a `hybrid` request actually runs in. */
  get effectiveMode(): 'hybrid' | 'lexical' {
    return this.backend.hasVectors && this.embedder ? 'hybrid' : 'lexical';
  }

  /**
   * Finds the `k` best records for a query. A mixed-language index is searched once per document language: the
   * question's own terms (plus, for the other language, their dictionary translations) by BM25, scaled by what a
   * full match would score; the question vector by HNSW, with cross-language cosines raised by
   * `crossLanguageOffset`. Fusion weighs lexical evidence less where it rests on translation.
   */
  async search(request: SearchRequest): Promise<SearchResult> {
    const started = performance.now();
    const requested = request.mode ?? 'hybrid';
    const denseAvailable = Boolean(this.backend.hasVectors && this.embedder);
    if (requested === 'dense' && !denseAvailable) throw new Error('dense retrieval needs the embedding model and a dense index');
    const mode = requested === 'hybrid' && !denseAvailable ? 'lexical' : requested;
    const language = answerLanguage(request.query);
    const pools = languagePools(this.backend.languages, language, request.filters);
    const translation = mode !== 'dense' && this.options.translate && pools.some((p) => !p.sameLanguage) ? await this.translate(request.query) : undefined;

    const pool = Math.max(this.options.candidates, 2 * request.k);
    const queries = poolQueries(this.tokenizer.tokenize(request.query), translation);
    // Lexical and dense searches run side by side (a remote backend answers both at once; the question is embedded meanwhile).
    const found: FoundChunks = { recordOf: new Map(), otherLanguage: new Set() };
    const [lexicalLists, denseLists] = await Promise.all([
      mode === 'dense' ? [] : this.lexicalPools(pools, queries, pool, found),
      mode === 'lexical' ? [] : this.embedder!.embedQuery(request.query).then((vector) => Promise.all(pools.map((p) => this.densePool(vector, pool, p, found)))),
    ]);
    const lexicalChunks = lexicalLists.length > 0 ? mergeLists(lexicalLists) : [];
    const denseChunks = mergeLists(denseLists.length > 0 ? denseLists : [[]]);
    const lexicalRecords = bestPerRecord(lexicalChunks, found.recordOf);
    const denseRecords = bestPerRecord(denseChunks, found.recordOf);

    let fused: RankedList;
    if (mode === 'lexical') fused = lexicalRecords;
    else if (mode === 'dense') fused = denseRecords;
    else if (this.options.fusion === 'rrf') fused = reciprocalRankFusion([lexicalRecords, denseRecords], this.options.rrfK);
    else {
      const { lexicalWeight, crossLexicalWeight } = this.options;
      const lexicalShare = (id: string) => (found.otherLanguage.has(id) ? crossLexicalWeight : lexicalWeight);
      fused = normalizedScoreFusion([lexicalRecords, denseRecords], (list, id) => (list === 0 ? lexicalShare(id) : 1 - lexicalShare(id)));
    }

    const hits = await recordHits(this.backend, fused.slice(0, request.k), [lexicalChunks, denseChunks], found.recordOf);
    return { mode, hits, tookMs: performance.now() - started, ...(translation && translation.terms.length > 0 && { translation }) };
  }

  /**
   * BM25 over each language pool; with several pools, rescored on the scale all pools share, from the idf of the
   * pools' terms (one statistics request for all of them) and the terms each hit holds.
   */
  private async lexicalPools(pools: LanguagePool[], queries: { own: PoolQuery; other: PoolQuery }, limit: number, found: FoundChunks): Promise<RankedList[]> {
    const queryOf = (pool: LanguagePool) => (pool.sameLanguage ? queries.own : queries.other);
    const lists = await Promise.all(pools.map((p) => this.backend.lexical(queryOf(p).terms, limit, p.filters)));
    lists.forEach((hits, i) => noteChunks(hits, pools[i]!, found));
    if (pools.length === 1) return lists;
    const statistics = await this.backend.termStatistics(poolTerms(queries));
    const held = await Promise.all(lists.map((hits) => this.backend.chunkTerms(hits.map((hit) => hit.id))));
    const none: ReadonlySet<string> = new Set();
    return lists.map((hits, i) =>
      calibrateLexical(hits, queryOf(pools[i]!), (term) => bm25Idf(statistics, term), (id) => held[i]!.get(id) ?? none, !pools[i]!.sameLanguage),
    );
  }

  private async densePool(vector: number[], limit: number, pool: LanguagePool, found: FoundChunks): Promise<RankedList> {
    const hits = await this.backend.dense(vector, limit, pool.filters);
    noteChunks(hits, pool, found);
    return rescale(hits, 1, pool.sameLanguage ? 0 : this.options.crossLanguageOffset);
  }

  /**
   * Renderings the corpus never uses are left out; the dictionary loads once, on the first cross-language search.
   * A remote backend knows only the statistics of terms asked for, so translation runs again with the terms it
   * asked about until it asks about nothing new (an in-memory index answers for any term at once).
   */
  private async translate(query: string): Promise<QuestionTranslation> {
    let fetched = new Set<string>();
    let statistics = await this.backend.termStatistics(fetched);
    for (let round = 0; ; round++) {
      const asked = new Set<string>();
      const known = (term: string) => (asked.add(term), statistics.documentFrequency(term) > 0);
      const translation = await translateQuestion(query, this.tokenizer, { known });
      if (!this.backend.remote || round === MAX_TRANSLATION_ROUNDS || [...asked].every((term) => fetched.has(term))) return translation;
      fetched = new Set([...fetched, ...asked]);
      statistics = await this.backend.termStatistics(fetched);
    }
  }
}

/** Translation passes a remote backend may take before its statistics cover every term asked. */
const MAX_TRANSLATION_ROUNDS = 4;


/** Every term the pools' queries weigh (lazily: an in-memory backend never reads them). */
function* poolTerms(queries: { own: PoolQuery; other: PoolQuery }): Generator<string> {
  for (const query of [queries.own, queries.other]) {
    yield* query.terms.keys();
    for (const concept of query.concepts) for (const bag of concept) yield* bag;
  }
}

function isSearchBackend(source: SearchBackend | SearchIndex): source is SearchBackend {
  return typeof (source as SearchBackend).termStatistics === 'function';
}

/**
 * BM25 queries for the question's own language and for the other one. The other language's query adds the
 * dictionary renderings to the question's terms; its concepts leave out Chinese terms when searching English (they
 * can match only a Chinese title there, a bonus rather than part of a full match).
 */
function poolQueries(questionTerms: string[], translation: QuestionTranslation | undefined): { own: PoolQuery; other: PoolQuery } {
  const ownTerms = countTerms(questionTerms);
  const own = { terms: ownTerms, concepts: [...ownTerms.keys()].map((term) => [[term]]) };
  if (!translation) return { own, other: own };
  const translated = translatedTermWeights(translation);
  const sourceTerms = new Set(translation.terms.flatMap((t) => t.sourceTerms));
  const untranslated = [...ownTerms.keys()].filter((term) => !sourceTerms.has(term) && !(translation.to === 'en' && /\p{Script=Han}/u.test(term)));
  const concepts = [...untranslated.map((term) => [[term]]), ...translation.terms.map((t) => t.targets.map((target) => target.terms))];
  return { own, other: { terms: mergeTerms(ownTerms, translated), concepts } };
}

/** Whether documents in `documentLanguage` are in the other of the two languages the product answers in. */
export function isOtherLanguage(documentLanguage: string | undefined, questionLanguage: string): boolean {
  return (documentLanguage === 'en' || documentLanguage === 'zh') && documentLanguage !== questionLanguage;
}
