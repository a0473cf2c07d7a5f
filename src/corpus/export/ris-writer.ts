import type { AbstractRecord } from '../record.js';

// A line that starts like a tag would be read back as a new field, so continuation lines get a leading space
// (the reader trims it) only where needed.
const LOOKS_LIKE_TAG = /^[A-Z][A-Z0-9]\s{1,2}-(?:\s|$)/;

/**
 * Writes records as RIS (`TY  - JOUR` … `ER  - `), the format Zotero, EndNote, Mendeley and NoteExpress all
 * import. Tags follow the RIS specification as those tools read it: TI title, TT original (translated) title,
 * AU one per author, AD affiliations, T2 journal, PY year, VL, IS, SP/EP pages, DO DOI, AN + `DB  - PubMed` for
 * the PMID, KW keywords, LA language, AB abstract. Lines end in CRLF, as the specification and Zotero write them.
 * Reading the output with this project's RIS reader gives back the same records (ids aside: RIS has no place for
 * a dataset's own id, so a record re-read is named by its PMID, DOI or content, like any RIS record).
 *
 * @example
 * writeRis([record]) // 'TY  - JOUR\r\nTI  - …\r\n…\r\nER  - \r\n'
 */
export function writeRis(records: readonly AbstractRecord[]): string {
  return records.map(risEntry).join('\r\n');
}

function risEntry(record: AbstractRecord): string {
  const lines: string[] = ['TY  - JOUR'];
  const add = (tag: string, value: string | number | undefined) => {
    if (value === undefined || value === '') return;
    const [first = '', ...rest] = String(value).split(/\r\n|\r|\n/);
    lines.push(`${tag}  - ${first}`);
    for (const line of rest) if (line.trim()) lines.push(LOOKS_LIKE_TAG.test(line) ? ` ${line}` : line);
  };
  add('TI', oneLine(record.title));
  add('TT', oneLine(record.originalTitle));
  for (const author of record.authors) add('AU', oneLine(author));
  for (const affiliation of record.affiliations) add('AD', oneLine(affiliation));
  add('T2', oneLine(record.journal));
  add('PY', record.year);
  add('VL', oneLine(record.volume));
  add('IS', oneLine(record.issue));
  const [start, end] = splitPages(record.pages);
  add('SP', start);
  add('EP', end);
  add('DO', record.doi);
  if (record.pmid) {
    add('AN', record.pmid);
    add('DB', 'PubMed');
  }
  for (const keyword of record.keywords) add('KW', oneLine(keyword));
  const articleLanguage = typeof record.meta?.articleLanguage === 'string' ? record.meta.articleLanguage : undefined;
  add('LA', articleLanguage ?? record.language);
  add('AB', record.abstract);
  lines.push('ER  - ', '');
  return lines.join('\r\n');
}

/** `123-130` → SP 123, EP 130; anything else (`e1002`, `123–30`) stays whole in SP. */
function splitPages(pages: string | undefined): [string | undefined, string | undefined] {
  const match = pages ? /^\s*([^-\s]+)\s*-\s*([^-\s]+)\s*$/.exec(pages) : null;
  return match ? [match[1], match[2]] : [pages, undefined];
}

// Authors, keywords and titles are one field each: a stray line break would split them.
function oneLine(value: string | undefined): string | undefined {
  return value?.replace(/\s*[\r\n]+\s*/g, ' ');
}
