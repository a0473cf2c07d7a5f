/**
 * What `GET /records` returns: a page of the collection, optionally narrowed to titles containing some text, and
 * the facets the page's filter controls offer (languages, journals, year range).
 */
import type { AbstractRecord } from '../corpus/record.js';
import { foldText } from '../text/fold.js';

/** How API replies name a record: what a source line of an answer and a line of the library list show. */
export interface RecordHeading {
  id: string;
  title: string;
  /** Title in the original language (e.g. Chinese) when the record has one. */
  original_title?: string;
  authors: string[];
  journal?: string;
  year?: number;
}

/** One line of the library list: enough to recognise a record and open its card. */
export interface RecordSummary extends RecordHeading {
  language: string;
  source_file: string;
  /** The abstract's opening words, for records with no title at all (dataset rows often have none). */
  snippet?: string;
}

/** What the collection holds, for the filter controls. */
export interface RecordFacets {
  /** Abstract languages with their record counts, most first. */
  languages: Array<{ code: string; count: number }>;
  /** The most common journals (at most 100), most first. */
  journals: Array<{ name: string; count: number }>;
  years: { min: number; max: number } | null;
}

/** `GET /records` body. */
export interface RecordPage {
  /** Records matching `q` (all records without it). */
  total: number;
  offset: number;
  limit: number;
  records: RecordSummary[];
  facets: RecordFacets;
}

/** A record as the library lists it (at most three authors: the list is for recognising, the card shows all). */
export function summarizeRecord(record: AbstractRecord): RecordSummary {
  return {
    id: record.id,
    title: record.title,
    ...(record.originalTitle && { original_title: record.originalTitle }),
    authors: record.authors.slice(0, 3),
    ...(record.journal && { journal: record.journal }),
    ...(record.year !== undefined && { year: record.year }),
    language: record.language,
    source_file: record.sourceFile,
    ...(!record.title && !record.originalTitle && { snippet: snippetOf(record.abstract) }),
  };
}

function snippetOf(abstract: string): string {
  const chars = [...abstract.replace(/\s+/g, ' ').trim()];
  return chars.length > 80 ? `${chars.slice(0, 80).join('')}…` : chars.join('');
}

/**
 * Pages through records in index order; `q` keeps those whose title or original title contains it, compared
 * folded (case, width and punctuation ignored), so "car-t" finds "CAR T" and "ＣＡＲ" alike.
 * @example listRecords(index.records, { q: 'exhaustion', offset: 0, limit: 20 })
 */
export function listRecords(records: readonly AbstractRecord[], query: { q?: string; offset: number; limit: number }): RecordPage {
  const needle = query.q ? foldText(query.q) : '';
  const matching = needle ? records.filter((r) => foldText(`${r.title} ${r.originalTitle ?? ''}`).includes(needle)) : records;
  return {
    total: matching.length,
    offset: query.offset,
    limit: query.limit,
    records: matching.slice(query.offset, query.offset + query.limit).map(summarizeRecord),
    facets: facetsOf(records),
  };
}

// Facets change only when the index is swapped, so they are counted once per record array.
const facetCache = new WeakMap<readonly AbstractRecord[], RecordFacets>();

function facetsOf(records: readonly AbstractRecord[]): RecordFacets {
  const cached = facetCache.get(records);
  if (cached) return cached;
  const languages = new Map<string, number>();
  const journals = new Map<string, number>();
  let min = Infinity;
  let max = -Infinity;
  for (const record of records) {
    languages.set(record.language, (languages.get(record.language) ?? 0) + 1);
    if (record.journal) journals.set(record.journal, (journals.get(record.journal) ?? 0) + 1);
    if (record.year !== undefined) {
      min = Math.min(min, record.year);
      max = Math.max(max, record.year);
    }
  }
  const byCount = <T>(entries: Map<string, number>, make: (key: string, count: number) => T) =>
    [...entries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key, count]) => make(key, count));
  const facets: RecordFacets = {
    languages: byCount(languages, (code, count) => ({ code, count })),
    journals: byCount(journals, (name, count) => ({ name, count })).slice(0, 100),
    years: Number.isFinite(min) ? { min, max } : null,
  };
  facetCache.set(records, facets);
  return facets;
}
