/**
 * What `GET /records` returns: a page of the collection, optionally narrowed to titles containing some text, and
 * the facets the page's filter controls offer (languages, journals, year range).
 */
import type { AbstractRecord } from '../corpus/record.js';
import type { RecordFacets, RecordListing } from '../retrieve/search-backend.js';

export type { RecordFacets };

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

/** The `GET /records` body for a page of the collection a backend listed. */
export function recordPage(listing: RecordListing, query: { offset: number; limit: number }): RecordPage {
  return { total: listing.total, offset: query.offset, limit: query.limit, records: listing.records.map(summarizeRecord), facets: listing.facets };
}
