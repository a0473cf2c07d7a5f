import type { RecordDraft } from '../record-draft.js';
import { splitOnSemicolons } from '../record-draft.js';
import { parseYear } from '../record-id.js';
import type { RecordSink } from '../reader-types.js';
import { splitAuthorCell } from './author-names.js';

/**
 * Readers for JSON Lines and JSON arrays of abstract objects, e.g. `{id, title, abstract, authors, journal,
 * year, pmid, doi, lang, meta}`. Common variants are accepted (`language`, `text`, `keywords`, authors as a
 * string or array, `original_title`, year as a string). `null` means absent. Fields the record has no slot
 * for are kept in `meta` so nothing the source said is lost.
 */

const FIELD_ALIASES: Record<string, keyof RecordDraft | 'ignore'> = {
  id: 'sourceId', _id: 'sourceId', docid: 'sourceId', doc_id: 'sourceId',
  title: 'title', articletitle: 'title', article_title: 'title',
  original_title: 'originalTitle', originaltitle: 'originalTitle', vernacular_title: 'originalTitle', vernaculartitle: 'originalTitle',
  abstract: 'abstract', text: 'abstract', abstract_text: 'abstract', abstracttext: 'abstract', contents: 'abstract', body: 'abstract',
  authors: 'authors', author: 'authors', author_list: 'authors',
  affiliations: 'affiliations', affiliation: 'affiliations',
  keywords: 'keywords', keyword: 'keywords', mesh: 'keywords', mesh_terms: 'keywords',
  journal: 'journal', journal_title: 'journal', venue: 'journal', source_title: 'journal',
  year: 'year', pub_year: 'year', publication_year: 'year', date: 'year', pubdate: 'year',
  volume: 'volume', issue: 'issue', number: 'issue', pages: 'pages', page: 'pages',
  doi: 'doi', pmid: 'pmid', pubmed_id: 'pmid',
  lang: 'language', language: 'language',
  meta: 'meta',
};

const CANONICAL_KEYS = new Set(['id', 'title', 'abstract', 'authors', 'affiliations', 'keywords', 'journal', 'year', 'volume', 'issue', 'pages', 'doi', 'pmid', 'lang', 'language', 'meta']);

/** Reads JSON Lines: one object per line; a bad line is an issue at its line number, other lines still count. */
export function readJsonLines(text: string, sink: RecordSink): void {
  let start = 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (!line) continue;
    const parsed = parseOrSkip(line, lineNo, sink);
    if (parsed) emitObject(parsed.value, lineNo, sink);
  }
}

/** Reads a JSON array of objects, or an object wrapping one (`records`, `documents`, `items`, `data`), or one object. */
export function readJsonDocument(text: string, sink: RecordSink): void {
  const parsed = parseOrSkip(text, undefined, sink);
  if (!parsed) return;
  const { value } = parsed;
  const items = arrayIn(value);
  if (!items) {
    emitObject(value, 1, sink);
    return;
  }
  items.forEach((item, index) => emitObject(item, index + 1, sink));
}

function arrayIn(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    for (const key of ['records', 'documents', 'items', 'data', 'articles', 'results']) {
      const inner = (value as Record<string, unknown>)[key];
      if (Array.isArray(inner)) return inner;
    }
  }
  return undefined;
}

function emitObject(value: unknown, position: number, sink: RecordSink): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    sink.skip(position, 'not a JSON object');
    return;
  }
  sink.record(draftFromObject(value as Record<string, unknown>), position);
}

/** Maps one JSON object onto a draft. */
function draftFromObject(object: Record<string, unknown>): RecordDraft {
  const draft: RecordDraft = {};
  const extra: Record<string, unknown> = {};
  // Canonical keys first, so `abstract` beats a `text` or `body` field wherever each sits in the object.
  const entries = Object.entries(object).sort(([a], [b]) => Number(!CANONICAL_KEYS.has(a)) - Number(!CANONICAL_KEYS.has(b)));
  for (const [key, value] of entries) {
    if (value === null || value === undefined) continue;
    const slot = FIELD_ALIASES[key.toLowerCase()];
    if (!slot || slot === 'ignore' || (slot !== 'meta' && draft[slot] !== undefined)) {
      extra[key] = value;
      continue;
    }
    assign(draft, slot, value, extra, key);
  }
  if (Object.keys(extra).length) draft.meta = { ...extra, ...draft.meta };
  return draft;
}

function assign(draft: RecordDraft, slot: keyof RecordDraft, value: unknown, extra: Record<string, unknown>, key: string): void {
  switch (slot) {
    case 'meta':
      if (typeof value === 'object' && !Array.isArray(value)) draft.meta = { ...(value as Record<string, unknown>) };
      else extra[key] = value;
      return;
    case 'authors':
      draft.authors = typeof value === 'string' ? splitAuthorCell(value) : listOf(value, authorName);
      return;
    case 'affiliations':
    case 'keywords':
      draft[slot] = typeof value === 'string' ? splitOnSemicolons(value) : listOf(value, (v) => (typeof v === 'string' ? v : undefined));
      return;
    case 'abstract':
      draft.abstract = abstractText(value);
      return;
    case 'year': {
      const year = parseYear(typeof value === 'number' || typeof value === 'string' ? value : undefined);
      if (year !== undefined) draft.year = year;
      else extra[key] = value;
      return;
    }
    default:
      if (typeof value === 'string' || typeof value === 'number') (draft as Record<string, unknown>)[slot] = String(value);
      else extra[key] = value;
  }
}

function listOf(value: unknown, pick: (item: unknown) => string | undefined): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    const v = pick(item);
    if (v) out.push(v);
  }
  return out;
}

/** Author objects come as `{name}`, `{last, first}` or PubMed-like `{LastName, ForeName}`. */
function authorName(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).trim() : '');
  const name = str('name') || str('full_name') || str('fullName') || str('collective_name') || str('CollectiveName');
  if (name) return name;
  const last = str('last') || str('lastName') || str('last_name') || str('family') || str('LastName');
  const first = str('first') || str('firstName') || str('first_name') || str('given') || str('ForeName');
  return last && first ? `${last}, ${first}` : last || first || undefined;
}

/** An abstract may be a string, an array of paragraphs, or `{LABEL: text}` sections kept as labelled paragraphs. */
function abstractText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join('\n');
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'string' && v.trim())
      .map(([label, v]) => `${label}: ${(v as string).trim()}`)
      .join('\n');
  }
  return undefined;
}

/** `JSON.parse` that reports a failure to the sink as `invalid JSON: …` instead of throwing. */
function parseOrSkip(text: string, line: number | undefined, sink: RecordSink): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    sink.skip(line, `invalid JSON: ${(error as Error).message}`);
    return undefined;
  }
}
