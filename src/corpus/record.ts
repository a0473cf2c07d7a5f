/**
 * The one shape every corpus reader produces. Everything downstream (chunking, indexing, citations, the UI)
 * reads only this type, so a new export format is a new reader and nothing else.
 */
export interface AbstractRecord {
  /** Stable id: the source's own id (PMID, dataset id) when it has one, else derived from DOI or content. */
  id: string;
  /** Title in English (or the record's only title). Empty string when the source has none. */
  title: string;
  /** Title in the original language when it differs, e.g. the Chinese title of a Chinese journal article. */
  originalTitle?: string;
  /** The abstract text exactly as cited: citation spans are offsets into this string. */
  abstract: string;
  /** Author names in source order. */
  authors: string[];
  /** Affiliations in source order (numbering, if any, stripped). */
  affiliations: string[];
  /** Author keywords (and MeSH headings where a format has them). */
  keywords: string[];
  journal?: string;
  year?: number;
  volume?: string;
  issue?: string;
  pages?: string;
  doi?: string;
  pmid?: string;
  /** ISO 639-1 code of the abstract's language (`en`, `zh`, …). */
  language: string;
  /** Corpus-relative path of the file the record was read from. */
  sourceFile: string;
  /** Free-form provenance kept from the source (dataset, completeness, …). */
  meta?: Record<string, unknown>;
}

/** A problem found while reading a corpus file; the rest of the file is still read where possible. */
export interface ReadIssue {
  /** Corpus-relative file path. */
  file: string;
  /** 1-based line number when known, else the 1-based record index within the file. */
  line?: number;
  /** What was wrong, in words a user can act on. */
  reason: string;
}

/** Renders a read issue the way the CLI and logs print it: `file:line: reason`. */
export function formatReadIssue(issue: ReadIssue): string {
  return issue.line === undefined ? `${issue.file}: ${issue.reason}` : `${issue.file}:${issue.line}: ${issue.reason}`;
}
