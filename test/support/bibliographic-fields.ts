import { splitOnSemicolons } from '../../src/corpus/record-draft.js';
import type { AbstractRecord } from '../../src/corpus/record.js';

/**
 * The fields a reference manager keeps, for comparing a record with its exported-and-re-read copy; ids,
 * sourceFile and provenance meta are the reader's own. Affiliations (RIS only: BibTeX has no field for them) are
 * compared split at semicolons, because RIS readers cannot tell a semicolon inside one affiliation from CNKI's
 * several affiliations packed in one AD line.
 */
export function bibliographicFields(record: AbstractRecord, withAffiliations = true) {
  return {
    title: record.title,
    originalTitle: record.originalTitle,
    abstract: record.abstract,
    authors: record.authors,
    ...(withAffiliations && { affiliations: record.affiliations.flatMap(splitOnSemicolons) }),
    keywords: record.keywords,
    journal: record.journal,
    year: record.year,
    volume: record.volume,
    issue: record.issue,
    pages: record.pages,
    doi: record.doi,
    pmid: record.pmid,
    language: record.language,
  };
}
