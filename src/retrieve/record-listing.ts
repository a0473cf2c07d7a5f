/** The collection as the library pages through it, over records held in memory (the embedded backend's). */
import type { AbstractRecord } from '../corpus/record.js';
import { foldText } from '../text/fold.js';
import type { RecordFacets, RecordListing, RecordListQuery } from './search-backend.js';

/**
 * Pages through records in index order; `q` keeps those whose title or original title contains it, compared
 * folded (case, width and punctuation ignored), so "car-t" finds "CAR T" and "ＣＡＲ" alike.
 * @example listInMemory(index.records, { q: 'exhaustion', offset: 0, limit: 20 })
 */
export function listInMemory(records: readonly AbstractRecord[], query: RecordListQuery): RecordListing {
  const needle = query.q ? foldText(query.q) : '';
  const matching = needle ? records.filter((r) => foldText(`${r.title} ${r.originalTitle ?? ''}`).includes(needle)) : records;
  return { total: matching.length, records: matching.slice(query.offset, query.offset + query.limit), facets: facetsOf(records) };
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
  const facets = rankFacets(languages, journals, Number.isFinite(min) ? { min, max } : null);
  facetCache.set(records, facets);
  return facets;
}

/** Facets from counts, most first (ties by name), at most 100 journals: one ordering for every backend. */
export function rankFacets(languages: Map<string, number>, journals: Map<string, number>, years: RecordFacets['years']): RecordFacets {
  const byCount = <T>(entries: Map<string, number>, make: (key: string, count: number) => T) =>
    [...entries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key, count]) => make(key, count));
  return {
    languages: byCount(languages, (code, count) => ({ code, count })),
    journals: byCount(journals, (name, count) => ({ name, count })).slice(0, 100),
    years,
  };
}
