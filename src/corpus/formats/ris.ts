import type { RecordDraft } from '../record-draft.js';
import { splitOnSemicolons } from '../record-draft.js';
import { cleanDoi, cleanPmid, parseYear } from '../record-id.js';
import type { RecordSink } from '../reader-types.js';
import { firstOf, scanTaggedLines, valuesOf, type TaggedGrammar, type TaggedRecord } from './tagged-lines.js';

/**
 * Reader for RIS (Research Information Systems) as Zotero, EndNote, Mendeley, Web of Science and CNKI write
 * it: `TY  - JOUR` … `ER  - `, two-letter tags, untagged lines continuing the previous value. Tags follow
 * the RIS specification: TI/T1 title, AB/N2 abstract, AU/A1 authors, PY/Y1/DA date, JF/T2/JO/JA/J2 journal,
 * VL, IS, SP/EP, DO, KW, LA, AN, AD; TT (translated title) becomes the other-language title.
 */

// One or two spaces before the hyphen: the spec says two, CNKI and some older tools write one.
const RIS_TAG = /^([A-Z][A-Z0-9])\s{1,2}-(?:\s(.*))?$/;
// Abstract paragraphs wrap onto untagged lines; keep their line breaks, join everything else with a space.
const MULTILINE_TAGS = new Set(['AB', 'N2']);

/** Reads every RIS record into the sink. */
export function readRis(text: string, sink: RecordSink): void {
  for (const record of scanTaggedLines(text, RIS, sink)) sink.record(draftFromRis(record), record.line);
}

const RIS: TaggedGrammar = {
  name: 'RIS',
  parseTag(line) {
    const tagged = RIS_TAG.exec(line);
    return tagged ? { tag: tagged[1]!, value: tagged[2] ?? '' } : undefined;
  },
  startsRecord: (tag) => tag === 'TY',
  recordTags: { start: 'TY', end: 'ER' },
  joiner: (tag) => (MULTILINE_TAGS.has(tag) ? '\n' : ' '),
};

/** Maps one RIS record (tags as in the RIS spec) onto a draft; also used for EndNote refer records. */
export function draftFromRis(record: TaggedRecord): RecordDraft {
  const meta: Record<string, unknown> = {};
  const type = firstOf(record, 'TY');
  if (type) meta.risType = type;
  const accession = firstOf(record, 'AN');
  if (accession) meta.accessionNumber = accession;
  const database = [firstOf(record, 'DB'), firstOf(record, 'DP')].filter(Boolean).join(' ');
  if (database) meta.database = database;
  const url = firstOf(record, 'UR');
  if (url) meta.url = url;
  const fromPubmed = /pubmed|nlm|medline/i.test(database);
  const startPage = firstOf(record, 'SP');
  const endPage = firstOf(record, 'EP');
  return {
    title: firstOf(record, 'TI', 'T1', 'CT', 'BT') ?? '',
    originalTitle: firstOf(record, 'TT'),
    abstract: firstOf(record, 'AB', 'N2'),
    authors: splitEach(valuesOf(record, 'AU', 'A1')),
    affiliations: splitEach(valuesOf(record, 'AD')),
    keywords: splitEach(valuesOf(record, 'KW')),
    journal: firstOf(record, 'JF', 'T2', 'JO', 'JA', 'J2', 'J1'),
    year: parseYear(firstOf(record, 'PY', 'Y1', 'DA')),
    volume: firstOf(record, 'VL'),
    issue: firstOf(record, 'IS'),
    pages: startPage && endPage && !startPage.includes('-') ? `${startPage}-${endPage}` : startPage,
    doi: cleanDoi(firstOf(record, 'DO')) ?? cleanDoi(firstOf(record, 'M3')) ?? cleanDoi(url),
    pmid: fromPubmed ? cleanPmid(accession) : undefined,
    articleLanguage: firstOf(record, 'LA'),
    meta,
  };
}

/** CNKI packs several authors, keywords or addresses into one line separated by `;`. */
function splitEach(values: string[]): string[] {
  return values.flatMap((v) => splitOnSemicolons(v));
}
