/**
 * Shared scanner for the line-tagged bibliographic formats (MEDLINE, RIS, EndNote refer): each record is a
 * run of `TAG value` lines, long values wrap onto untagged continuation lines. Each format states only how its
 * lines look and where its records start and end ({@link TaggedGrammar}); the loop is here, once.
 */
import type { RecordSink } from '../reader-types.js';

/** One tagged field with the 1-based line it started on. */
export interface TaggedField { tag: string; value: string; line: number }

/** A record's fields in file order and the line it started on. */
export interface TaggedRecord { fields: TaggedField[]; line: number }

/** How one tagged format looks. */
export interface TaggedGrammar {
  /** The format's name in notes, e.g. `RIS`. */
  name: string;
  /** The tag and value of a tagged line, or undefined for an untagged one. */
  parseTag(line: string): { tag: string; value: string } | undefined;
  /** Does a tag start a new record even while one is open (`TY`, `%0`, a second `PMID`)? */
  startsRecord(tag: string, current: TaggedRecord): boolean;
  /**
   * Tags that open and close every record (RIS: `TY` … `ER`, blank lines mean nothing). Without them a record is
   * a run of tagged lines that a blank line ends. @default undefined
   */
  recordTags?: { start: string; end: string };
  /** Can an untagged line continue the previous value? @default any non-blank line can */
  isContinuation?(line: string): boolean;
  /** What joins a continuation line to the value it continues (paragraphs of an abstract keep their breaks). */
  joiner(tag: string): string;
}

/** Splits text into tagged records, noting every line it cannot place (`file:line: reason`) instead of failing. */
export function scanTaggedLines(text: string, grammar: TaggedGrammar, sink: RecordSink): TaggedRecord[] {
  const records: TaggedRecord[] = [];
  let current: TaggedRecord | undefined;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/^\uFEFF/, '');
    const lineNo = i + 1;
    if (!raw.trim()) {
      if (!grammar.recordTags) current = undefined;
      continue;
    }
    const tagged = grammar.parseTag(raw);
    if (!tagged) {
      const last = current?.fields[current.fields.length - 1];
      if (last && (grammar.isContinuation?.(raw) ?? true)) last.value = `${last.value}${grammar.joiner(last.tag)}${raw.trim()}`.trim();
      else sink.note(lineNo, current ? `unrecognised ${grammar.name} line: "${raw.slice(0, 40)}"` : `text outside a ${grammar.name} record: "${raw.trim().slice(0, 40)}"`);
      continue;
    }
    const { tag, value } = tagged;
    const bounds = grammar.recordTags;
    if (tag === bounds?.end) {
      if (!current) sink.note(lineNo, `${tag} without a ${bounds.start} before it`);
      current = undefined;
      continue;
    }
    if (current && grammar.startsRecord(tag, current)) {
      if (bounds) sink.note(current.line, `record has no ${bounds.end} line; ended at the next ${tag}`);
      current = undefined;
    }
    if (!current) {
      if (bounds && tag !== bounds.start) {
        sink.note(lineNo, `${tag} line outside a ${grammar.name} record (missing ${bounds.start}?)`);
        continue;
      }
      current = { fields: [], line: lineNo };
      records.push(current);
    }
    current.fields.push({ tag, value: value.trim(), line: lineNo });
  }
  return records;
}

/** Field values for a tag, in file order. */
export function valuesOf(record: TaggedRecord, ...tags: string[]): string[] {
  const out: string[] = [];
  for (const field of record.fields) if (tags.includes(field.tag) && field.value) out.push(field.value);
  return out;
}

/** First value among the tags, trying them in the order given (so `TI` is preferred over `T1`). */
export function firstOf(record: TaggedRecord, ...tags: string[]): string | undefined {
  for (const tag of tags) {
    const found = record.fields.find((f) => f.tag === tag && f.value);
    if (found) return found.value;
  }
  return undefined;
}

/** Splits text into lines, accepting `\r\n`, `\n` and old-Mac `\r`. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
