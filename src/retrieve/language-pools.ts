import type { RecordFilters } from './filters.js';
import type { RankedList } from './fusion.js';
import type { WeightedTerms } from './search-backend.js';

/** Query terms with weights, as the search backends take them (one definition, in search-backend.ts). */
export type { WeightedTerms };

/** One language's share of a search: its documents, searched on their own and calibrated before merging. */
export interface LanguagePool {
  /** ISO 639-1 language of the pool's documents; undefined when the index is searched as one pool. */
  language?: string;
  /** The request's filters, narrowed to the pool's language when the index is split. */
  filters?: RecordFilters;
  /** False only for documents in the other of the two languages the product answers in (en, zh). */
  sameLanguage: boolean;
}

/**
 * The pools a search runs over. An index (or a language filter) with one language is one pool searched exactly as
 * before; a mixed index is searched once per language, so that a same-language decoy cannot crowd the other
 * language's candidates out of the lists, and each pool's scores are calibrated before the lists are merged.
 */
export function languagePools(indexLanguages: readonly string[], questionLanguage: string, filters?: RecordFilters): LanguagePool[] {
  const same = (language: string | undefined) => !((language === 'en' || language === 'zh') && language !== questionLanguage);
  if (filters?.language) return [{ language: filters.language, filters, sameLanguage: same(filters.language) }];
  if (indexLanguages.length <= 1) return [{ language: indexLanguages[0], filters, sameLanguage: same(indexLanguages[0]) }];
  return indexLanguages.map((language) => ({ language, filters: { ...filters, language }, sameLanguage: same(language) }));
}

/** Sums weighted terms; a term in both adds up. */
export function mergeTerms(...lists: WeightedTerms[]): WeightedTerms {
  const merged = new Map<string, number>();
  for (const list of lists) for (const [term, weight] of list) merged.set(term, (merged.get(term) ?? 0) + weight);
  return merged;
}

/** Counts repeated terms, as BM25 weighs a term asked twice twice. */
export function countTerms(terms: string[]): WeightedTerms {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** Scores multiplied by a factor and shifted (per-pool calibration before lists are merged). */
export function rescale(list: RankedList, factor: number, shift = 0): RankedList {
  return factor === 1 && shift === 0 ? list : list.map(({ id, score }) => ({ id, score: score * factor + shift }));
}

/** Merges pool lists (of disjoint items) into one, best first. */
export function mergeLists(lists: RankedList[]): RankedList {
  if (lists.length === 1) return lists[0]!;
  return lists.flat().sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/**
 * A pool's BM25 query and the concepts its terms stand for: each concept is a set of alternative term bags (a
 * question word and its dictionary renderings), of which a document can match one.
 */
export interface PoolQuery {
  terms: WeightedTerms;
  concepts: string[][][];
}

/**
 * What a document matching every concept once (its best alternative, each term at average length) scores under BM25:
 * Σ over concepts of the largest Σ weight × idf among its alternatives. Dividing a pool's scores by it puts pools
 * searched with different terms (the question's own words, their translations) on one scale.
 */
export function fullMatchScore(query: PoolQuery, idf: (term: string) => number, present?: (term: string) => boolean): number {
  let total = 0;
  for (const alternatives of query.concepts) {
    const scores = alternatives.map((bag) => bag.reduce((sum, term) => sum + (present && !present(term) ? 0 : (query.terms.get(term) ?? 0) * idf(term)), 0));
    total += Math.max(0, ...scores);
  }
  return present ? total : total || 1;
}

/** Weight of a chunk's BM25 (as a share of a full match, at most 1) next to its concept coverage across pools. */
const BM25_SHARE = 0.25;

/**
 * Puts lexical hits of different language pools on one scale: the idf-weighted share of the question's concepts a
 * chunk contains (each concept through the question's word or any of its renderings), plus a quarter of its BM25 as a
 * share of a full match. Raw BM25 cannot be compared across pools: a short Chinese abstract repeating 免疫 saturates
 * term frequency and outscores an English abstract that matches every translated concept once.
 */
export function calibrateLexical(
  hits: RankedList,
  query: PoolQuery,
  idf: (term: string) => number,
  chunkTerms: (id: string) => ReadonlySet<string>,
  translated: boolean,
): RankedList {
  const full = fullMatchScore(query, idf);
  const trust = translated ? TRANSLATED_MATCH : 1;
  return hits.map(({ id, score }) => {
    const terms = chunkTerms(id);
    const coverage = fullMatchScore(query, idf, (term) => terms.has(term)) / full;
    return { id, score: trust * (coverage + BM25_SHARE * Math.min(1, score / full)) };
  });
}

/**
 * What a match through dictionary renderings is worth against the question's own words: less, as a rendering may be
 * the wrong sense. At equal coverage the abstract in the question's language wins; a same-language decoy that covers
 * a fifth of the question does not.
 */
const TRANSLATED_MATCH = 0.8;
