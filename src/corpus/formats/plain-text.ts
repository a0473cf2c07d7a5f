import type { RecordSink } from '../reader-types.js';

/**
 * Last-resort reader for `.txt`/`.md` files that match no structured format: the first non-empty line is the
 * title (a Markdown `#` heading marker removed), everything after it is the abstract. The ingest summary
 * lists such files under `fallbackFiles`, because the split is a guess.
 */
export function readPlainText(text: string, sink: RecordSink): void {
  const lines = text.split(/\r\n|\r|\n/);
  const titleAt = lines.findIndex((l) => l.trim() !== '');
  if (titleAt === -1) {
    sink.skip(undefined, 'empty file');
    return;
  }
  const title = (lines[titleAt] as string).trim().replace(/^#{1,6}\s+/, '');
  const abstract = lines.slice(titleAt + 1).join('\n').trim();
  sink.record({ title, abstract }, titleAt + 1);
}
