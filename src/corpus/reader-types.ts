import type { RecordDraft } from './record-draft.js';

/**
 * Where a format reader sends what it finds. `line` is the 1-based line where the record starts,
 * or the 1-based record index when the format has no useful line numbers.
 */
export interface RecordSink {
  /** A record candidate; the sink validates it (a missing abstract becomes an issue, not a record). */
  record(draft: RecordDraft, line?: number): void;
  /** A record (or the rest of a file) that had to be skipped, in words a user can act on. */
  skip(line: number | undefined, reason: string): void;
  /** A problem worth reporting that cost no record (e.g. stray markup between records). */
  note(line: number | undefined, reason: string): void;
}

/** A reader over an already decoded file. */
export type TextFormatReader = (text: string, sink: RecordSink, context: { fileName: string }) => void;
