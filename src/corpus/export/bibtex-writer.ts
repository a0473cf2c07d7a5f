import { escapeTex } from '../formats/tex-text.js';
import type { AbstractRecord } from '../record.js';

/**
 * Writes records as BibTeX `@article` entries, which Zotero, EndNote, JabRef and LaTeX all read. Text stays
 * Unicode (BibLaTeX, Biber and the reference managers read UTF-8); only the characters TeX treats specially are
 * escaped, so braces always balance. Fields: title, origtitle (BibLaTeX's original-language title), author
 * (joined with ` and `), journal, year, volume, number, pages (`--`), doi, pmid, keywords, language, abstract.
 * Keys are `<first author's surname><year>` in ASCII, made unique with a, b, c….
 *
 * @example
 * writeBibtex([record]) // '@article{chen2021,\n  title = {…},\n  …\n}\n'
 */
export function writeBibtex(records: readonly AbstractRecord[]): string {
  const keys = new Map<string, number>();
  return records
    .map((record) => {
      const base = citationKey(record);
      const seen = keys.get(base) ?? 0;
      keys.set(base, seen + 1);
      return bibtexEntry(record, seen === 0 ? base : `${base}${suffix(seen)}`);
    })
    .join('\n');
}

function bibtexEntry(record: AbstractRecord, key: string): string {
  // Values are TeX already: the author list's protecting braces must not be escaped.
  const tex = (value: string | undefined) => (value ? escapeTex(value) : undefined);
  const fields: Array<[string, string | undefined]> = [
    ['title', tex(record.title)],
    ['origtitle', tex(record.originalTitle)],
    ['author', record.authors.length > 0 ? record.authors.map((a) => protectAnd(escapeTex(a))).join(' and ') : undefined],
    ['journal', tex(record.journal)],
    ['year', tex(record.year?.toString())],
    ['volume', tex(record.volume)],
    ['number', tex(record.issue)],
    ['pages', tex(record.pages?.replace(/\s*-\s*/, '--'))],
    ['doi', tex(record.doi)],
    ['pmid', tex(record.pmid)],
    ['keywords', tex(joinKeywords(record.keywords))],
    ['language', tex(record.language)],
    ['abstract', tex(record.abstract)],
  ];
  const body = fields
    .filter((field): field is [string, string] => Boolean(field[1]))
    .map(([name, value]) => `  ${name} = {${value}}`)
    .join(',\n');
  return `@article{${key},\n${body}\n}\n`;
}

// `a, b` is the usual list; MeSH-style keywords hold commas themselves ("T-Lymphocytes, Cytotoxic"), so then `;`.
function joinKeywords(keywords: string[]): string | undefined {
  if (keywords.length === 0) return undefined;
  return keywords.join(keywords.some((k) => k.includes(',')) ? '; ' : ', ');
}

// An author that is an organisation ("Bill and Melinda Gates Foundation") would be split at its " and ".
function protectAnd(author: string): string {
  return /\sand\s/i.test(author) ? `{${author}}` : author;
}

function citationKey(record: AbstractRecord): string {
  const surname = (record.authors[0] ?? '').split(',')[0] ?? '';
  const ascii = surname.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return `${ascii || 'record'}${record.year ?? ''}`;
}

function suffix(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(97 + ((i - 1) % 26)) + s;
  return s;
}
