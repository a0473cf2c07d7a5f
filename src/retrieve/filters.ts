import type { AbstractRecord } from '../corpus/record.js';

/** Restrictions on which records may be retrieved. All given conditions must hold. */
export interface RecordFilters {
  /** Earliest publication year, inclusive. Records with no year are excluded when a year bound is set. */
  yearFrom?: number;
  /** Latest publication year, inclusive. */
  yearTo?: number;
  /** Case-insensitive substring of the journal name. */
  journal?: string;
  /** ISO 639-1 language of the abstract (`en`, `zh`). */
  language?: string;
}

/** A predicate for the filters, or undefined when none are set (so searches skip filtering entirely). */
export function recordPredicate(filters: RecordFilters | undefined): ((record: AbstractRecord) => boolean) | undefined {
  if (!filters) return undefined;
  const { yearFrom, yearTo, language } = filters;
  const journal = filters.journal?.trim().toLowerCase();
  if (yearFrom === undefined && yearTo === undefined && !journal && !language) return undefined;
  return (record) => {
    if (yearFrom !== undefined && (record.year === undefined || record.year < yearFrom)) return false;
    if (yearTo !== undefined && (record.year === undefined || record.year > yearTo)) return false;
    if (journal && !(record.journal ?? '').toLowerCase().includes(journal)) return false;
    if (language && record.language !== language) return false;
    return true;
  };
}
