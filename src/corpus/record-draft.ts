import type { AbstractRecord } from './record.js';
import { cleanDoi, cleanPmid, formRecordId } from './record-id.js';
import { detectLanguage, isMostlyCjk } from '../text/language.js';
import { normalizeLanguageCode } from './language.js';

/**
 * What a format reader extracts before validation. Everything is optional so readers stay dumb;
 * {@link finishRecord} applies the rules shared by all formats (ids, language, trimming, de-duplicated lists).
 */
export interface RecordDraft extends Partial<Pick<AbstractRecord, DraftedField>> {
  /** The source's own id (dataset id, spreadsheet id column); wins over PMID/DOI when forming the id. */
  sourceId?: string;
  /** Language of the abstract text as the source states it (trusted: JSON `lang`). */
  language?: string;
  /** Language of the article as the source states it (PubMed `Language`, RIS `LA`): kept in meta only. */
  articleLanguage?: string;
}

/** Fields a reader copies from its source as the record will hold them (documented on {@link AbstractRecord}). */
type DraftedField =
  | 'title' | 'originalTitle' | 'abstract' | 'authors' | 'affiliations' | 'keywords'
  | 'journal' | 'year' | 'volume' | 'issue' | 'pages' | 'doi' | 'pmid' | 'meta';

/** Outcome of finishing a draft: a record, or the reason it cannot be one. */
export type FinishResult = { record: AbstractRecord } | { error: string };

function clean(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

function cleanList(values: string[] | undefined): string[] {
  if (!values) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    if (v && !seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

/**
 * Turns a draft into an {@link AbstractRecord}: requires a non-empty abstract, trims only the ends of the
 * abstract (its inner text is what citations point into), swaps a Chinese title into `originalTitle`
 * when an English one exists, and forms the id (see `formRecordId`).
 */
export function finishRecord(draft: RecordDraft, sourceFile: string, format: string): FinishResult {
  const abstract = draft.abstract?.trim();
  if (!abstract) return { error: draft.title?.trim() ? `no abstract (title "${truncate(draft.title.trim())}")` : 'no abstract' };
  let title = clean(draft.title) ?? '';
  let originalTitle = clean(draft.originalTitle);
  if (originalTitle && title && isMostlyCjk(title) && !isMostlyCjk(originalTitle)) [title, originalTitle] = [originalTitle, title];
  if (originalTitle === title) originalTitle = undefined;
  const doi = cleanDoi(draft.doi);
  const pmid = cleanPmid(draft.pmid);
  const articleLanguage = normalizeLanguageCode(draft.articleLanguage);
  const language = normalizeLanguageCode(draft.language) ?? detectLanguage(abstract, articleLanguage);
  const meta: Record<string, unknown> = { ...draft.meta, sourceFormat: format };
  if (articleLanguage) meta.articleLanguage = articleLanguage;
  const optional = (value: string | undefined) => clean(value);
  // Built in the type's field order so serialised records read naturally (meta last).
  const record: AbstractRecord = {
    id: formRecordId({ sourceId: clean(draft.sourceId), pmid, doi, title, abstract }),
    title,
    ...(originalTitle ? { originalTitle } : {}),
    abstract,
    authors: cleanList(draft.authors),
    affiliations: cleanList(draft.affiliations),
    keywords: cleanList(draft.keywords),
    ...defined('journal', optional(draft.journal)),
    ...(draft.year !== undefined && Number.isFinite(draft.year) ? { year: draft.year } : {}),
    ...defined('volume', optional(draft.volume)),
    ...defined('issue', optional(draft.issue)),
    ...defined('pages', optional(draft.pages)),
    ...defined('doi', doi),
    ...defined('pmid', pmid),
    language,
    sourceFile,
    meta,
  };
  return { record };
}

function defined<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Splits an author/keyword cell on `;` (ASCII or full-width) — the separator every export agrees on. */
export function splitOnSemicolons(value: string): string[] {
  return value.split(/[;；]/).map((s) => s.trim()).filter(Boolean);
}
