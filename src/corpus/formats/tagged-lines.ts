/**
 * Shared scanner for the line-tagged bibliographic formats (MEDLINE, RIS, EndNote refer): each record is a
 * run of `TAG value` lines, long values wrap onto untagged continuation lines.
 */

/** One tagged field with the 1-based line it started on. */
export interface TaggedField { tag: string; value: string; line: number }

/** A record's fields in file order and the line it started on. */
export interface TaggedRecord { fields: TaggedField[]; line: number }

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
