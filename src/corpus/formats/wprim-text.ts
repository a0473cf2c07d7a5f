import type { RecordDraft } from '../record-draft.js';
import { splitOnSemicolons } from '../record-draft.js';
import { parseYear } from '../record-id.js';
import type { RecordSink } from '../reader-types.js';

/**
 * Reader for the WPRIM-style record text (the WHO Western Pacific Region Index Medicus export): a title
 * line, an optional DOI line, then `- Field:` blocks (VernacularTitle, Author, Keywords, From, Country,
 * Language, Abstract) buried in indentation noise. Several records may follow each other in one file.
 */

const KNOWN_FIELDS = ['VernacularTitle', 'Author', 'Keywords', 'From', 'Country', 'Language', 'Abstract', 'Publication Type', 'Collection Region', 'Type', 'DOI'];
const DOI_LINE = /^(?:doi:?\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{3,9}\/\S+)$/i;

interface Line { text: string; lineNo: number }
interface Field { name: string; values: Line[]; lineNo: number }
interface RawRecord { header: Line[]; fields: Field[] }

/** Recognises the format: at least two `- Field:` markers including the abstract. */
export function looksLikeWprimText(head: string): boolean {
  const markers = head.match(/^[ \t\u00a0]*-[ \t\u00a0]*(?:VernacularTitle|Author|Keywords|From|Language)\b/gm);
  return (markers?.length ?? 0) >= 2 && /^[ \t\u00a0]*(?:-[ \t\u00a0]*)?Abstract[ \t\u00a0]*:/m.test(head);
}

/** Reads every record of a WPRIM-style text file. */
export function readWprimText(text: string, sink: RecordSink): void {
  for (const raw of splitRecords(nonEmptyLines(text))) {
    const startLine = raw.header[0]?.lineNo ?? raw.fields[0]?.lineNo;
    try {
      sink.record(toDraft(raw), startLine);
    } catch (error) {
      sink.skip(startLine, `unreadable record: ${(error as Error).message}`);
    }
  }
}

function nonEmptyLines(text: string): Line[] {
  const out: Line[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t) out.push({ text: t, lineNo: i + 1 });
  }
  return out;
}

/** Matches a marker line (`- Author:`, `- CountryChina`) to a known field; the export drops colons at will. */
function matchMarker(text: string): { name: string; value: string } | undefined {
  if (!text.startsWith('-')) return undefined;
  const body = text.slice(1).trim();
  for (const name of KNOWN_FIELDS) {
    if (body.toLowerCase().startsWith(name.toLowerCase())) {
      const rest = body.slice(name.length);
      // The export glues some values to their name ("- CountryChina"); for other names a letter right after
      // the name means a different field ("- Authors", "Author Information").
      const valueMayBeGlued = name === 'Country' || name === 'Language';
      if (/^\p{L}/u.test(rest) && !valueMayBeGlued) continue;
      return { name, value: rest.replace(/^\s*:?\s*/, '') };
    }
  }
  const generic = /^([A-Za-z][A-Za-z ]{0,40}?)\s*:\s*(.*)$/.exec(body);
  return generic ? { name: generic[1] ?? '', value: generic[2] ?? '' } : undefined;
}

function splitRecords(lines: Line[]): RawRecord[] {
  const records: RawRecord[] = [];
  let current: RawRecord = { header: [], fields: [] };
  let field: Field | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    let text = line.text;
    // The export sometimes breaks "- Abstract:" into a lone "-" and an "Abstract:" line.
    if (text === '-' && i + 1 < lines.length) text = `- ${(lines[++i] as Line).text}`;
    else if (field && /^Abstract\s*:/i.test(text) && field.name !== 'Abstract') text = `- ${text}`;
    const marker = matchMarker(text);
    if (!marker) {
      if (field) field.values.push(line);
      else current.header.push(line);
      continue;
    }
    const seenAlready = current.fields.some((f) => f.name === marker.name);
    const leadsRecord = (marker.name === 'VernacularTitle' || marker.name === 'Author') && current.fields.some((f) => f.name === 'Abstract');
    if (field && (seenAlready || leadsRecord)) {
      // A field seen twice means a new record began: its title (and DOI) are the last lines of the previous field.
      const header = takeHeader(field.values);
      records.push(current);
      current = { header, fields: [] };
    }
    field = { name: marker.name, values: marker.value ? [{ text: marker.value, lineNo: line.lineNo }] : [], lineNo: line.lineNo };
    current.fields.push(field);
  }
  if (current.header.length || current.fields.length) records.push(current);
  return records;
}

function takeHeader(values: Line[]): Line[] {
  const header: Line[] = [];
  const last = values[values.length - 1];
  if (last && DOI_LINE.test(last.text)) header.unshift(values.pop() as Line);
  const title = values.pop();
  if (title) header.unshift(title);
  return header;
}

function toDraft(raw: RawRecord): RecordDraft {
  const draft: RecordDraft = { meta: {} };
  const meta = draft.meta as Record<string, unknown>;
  const titleLines: string[] = [];
  for (const line of raw.header) {
    const doi = DOI_LINE.exec(line.text);
    if (doi && !draft.doi) draft.doi = doi[1];
    else titleLines.push(line.text);
  }
  draft.title = titleLines.shift();
  if (titleLines.length) meta.extraHeaderLines = titleLines;
  for (const field of raw.fields) {
    const texts = field.values.map((v) => v.text);
    const joined = texts.join(' ').trim();
    switch (field.name) {
      case 'VernacularTitle': draft.originalTitle = joined; break;
      case 'Author': readAuthors(texts, draft); break;
      case 'Keywords': draft.keywords = splitOnSemicolons(joined); break;
      case 'From': readSource(joined, draft); break;
      case 'Country': if (joined) meta.country = joined; break;
      case 'Language': draft.articleLanguage = joined; if (joined) meta.declaredLanguage = joined; break;
      case 'Abstract': draft.abstract = texts.join('\n'); break;
      case 'DOI': draft.doi ??= joined; break;
      default: if (joined) meta[camelCase(field.name)] = joined;
    }
  }
  if (!Object.keys(meta).length) delete draft.meta;
  return draft;
}

/** Authors come as name / affiliation-number / `;` tokens, then an "Author Information" list of "1. place" lines. */
function readAuthors(texts: string[], draft: RecordDraft): void {
  const infoAt = texts.findIndex((t) => /^Author Information$/i.test(t));
  const nameTokens = infoAt === -1 ? texts : texts.slice(0, infoAt);
  const names = nameTokens.join(' ').split(/[;；]/)
    .map((n) => n.trim().replace(/(?:\s+[\d,*]+)+$/, '').trim())
    .filter(Boolean);
  draft.authors = names;
  if (infoAt === -1) return;
  const affiliations: string[] = [];
  for (const line of texts.slice(infoAt + 1)) {
    const numbered = /^\d+\s*[.、)]\s*(.*)$/.exec(line);
    if (numbered || affiliations.length === 0) affiliations.push((numbered?.[1] ?? line).trim());
    else affiliations[affiliations.length - 1] += ` ${line}`;
  }
  draft.affiliations = affiliations;
}

/** `Journal Name 2024;53(5):705-712` → journal, year, volume, issue, pages. */
function readSource(joined: string, draft: RecordDraft): void {
  const match = /^(.*?)\s*((?:1[89]|2[01])\d\d)\s*;\s*([^(:\s]*)\s*(?:\(([^)]*)\))?\s*(?::\s*(\S+))?\s*$/.exec(joined);
  if (!match) {
    draft.journal = joined;
    draft.year = parseYear(joined);
    return;
  }
  draft.journal = match[1];
  draft.year = Number(match[2]);
  draft.volume = match[3];
  draft.issue = match[4];
  draft.pages = match[5];
}

function camelCase(name: string): string {
  return name.trim().toLowerCase().replace(/\s+(\w)/g, (_, c: string) => c.toUpperCase());
}
