import type { RecordDraft } from '../record-draft.js';
import { cleanPmid, parseYear } from '../record-id.js';
import type { RecordSink } from '../reader-types.js';
import { firstOf, scanTaggedLines, valuesOf, type TaggedGrammar, type TaggedRecord } from './tagged-lines.js';

/**
 * Reader for MEDLINE text (PubMed's "Save → Format: PubMed", `.nbib` from "Cite"), per NLM's MEDLINE/PubMed
 * element list: a four-character tag, `- `, the value; continuation lines start with six spaces; records
 * are separated by blank lines and start with `PMID-`.
 */

const TAG_LINE = /^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$/;
const CONTINUATION = /^ {2,}\S/;
const ID_WITH_TYPE = /^(.*?)\s*\[(\w+)\]\s*$/;

/** Reads every record of a MEDLINE-format text into the sink. */
export function readMedline(text: string, sink: RecordSink): void {
  for (const record of scanTaggedLines(text, MEDLINE, sink)) {
    const pmidValue = firstOf(record, 'PMID');
    if (pmidValue !== undefined && !cleanPmid(pmidValue)) {
      sink.skip(record.line, `invalid PMID "${pmidValue}"`);
      continue;
    }
    sink.record(draftFromMedline(record), record.line);
  }
}

const MEDLINE: TaggedGrammar = {
  name: 'MEDLINE',
  parseTag(line) {
    const tagged = TAG_LINE.exec(line);
    return tagged ? { tag: tagged[1]!, value: tagged[2] ?? '' } : undefined;
  },
  // Exports without blank lines between records still start each one at its PMID.
  startsRecord: (tag, current) => tag === 'PMID' && current.fields.some((f) => f.tag === 'PMID'),
  isContinuation: (line) => CONTINUATION.test(line),
  joiner: () => ' ',
};

/** `10.1000/x [doi]` values from LID/AID. */
function typedIds(record: TaggedRecord, type: string): string[] {
  return valuesOf(record, 'LID', 'AID')
    .map((v) => ID_WITH_TYPE.exec(v))
    .filter((m): m is RegExpExecArray => m !== null && m[2]?.toLowerCase() === type)
    .map((m) => m[1] as string);
}

/** Maps one MEDLINE record onto a draft. */
export function draftFromMedline(record: TaggedRecord): RecordDraft {
  const meta: Record<string, unknown> = {};
  const mesh = valuesOf(record, 'MH').map((h) => h.split('/')[0]?.replace(/^\*/, '').trim() ?? '').filter(Boolean);
  if (mesh.length) meta.meshHeadings = mesh;
  const otherAbstracts = valuesOf(record, 'OAB');
  if (otherAbstracts.length) meta.otherAbstracts = otherAbstracts.map((text) => ({ text }));
  const publicationTypes = valuesOf(record, 'PT');
  if (publicationTypes.length) meta.publicationTypes = publicationTypes;
  const abbreviation = firstOf(record, 'TA');
  if (abbreviation) meta.journalAbbreviation = abbreviation;
  const pmc = firstOf(record, 'PMC');
  if (pmc) meta.pmcid = pmc;
  const fullNames = valuesOf(record, 'FAU');
  return {
    pmid: firstOf(record, 'PMID'),
    title: firstOf(record, 'TI', 'BTI') ?? '',
    originalTitle: firstOf(record, 'TT'),
    abstract: firstOf(record, 'AB') ?? otherAbstracts[0],
    // FAU carries full names; AU only initials, so it is the fallback for old records.
    authors: [...(fullNames.length ? fullNames : valuesOf(record, 'AU')), ...valuesOf(record, 'CN')],
    affiliations: valuesOf(record, 'AD'),
    keywords: [...valuesOf(record, 'OT'), ...mesh],
    journal: firstOf(record, 'JT') ?? abbreviation,
    year: parseYear(firstOf(record, 'DP')),
    volume: firstOf(record, 'VI'),
    issue: firstOf(record, 'IP'),
    pages: firstOf(record, 'PG'),
    doi: typedIds(record, 'doi')[0],
    articleLanguage: firstOf(record, 'LA'),
    meta,
  };
}
