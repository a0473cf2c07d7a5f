import path from 'node:path';
import type { AbstractRecord, ReadIssue } from './record.js';
import { finishRecord } from './record-draft.js';
import type { RecordSink } from './reader-types.js';
import { listCorpusFiles } from './walk-files.js';
import { readCorpusFile } from './read-file.js';
import { dedupeRecords, type DuplicateNote } from './dedupe-records.js';

/** Options for {@link readCorpus}. */
export interface ReadCorpusOptions {
  /** report progress */
  onProgress?: (p: { file: string; filesDone: number; filesTotal: number; records: number }) => void;
  /** Drop duplicate articles (same DOI / PMID / title+year / title+abstract). Default true; evaluation over fixed datasets may turn it off. */
  dedupe?: boolean;
}

/** What a corpus read amounted to, for the ingest summary. */
export interface CorpusSummary {
  /** Files examined, including ones skipped as unsupported or unreadable. */
  files: number;
  /** Records returned (after de-duplication). */
  records: number;
  /** Records and whole files that could not be read (each has an issue). */
  skipped: number;
  /** Duplicate articles dropped; `kept`/`dropped` are record ids. */
  duplicates: DuplicateNote[];
  /** Records parsed per format (`pubmed-xml`, `medline`, `ris`, `refer`, `csv`, `tsv`, `json`, `jsonl`, `wprim-text`, `plain-text`), before de-duplication. */
  byFormat: Record<string, number>;
  /** Files read with the plain-text fallback (first line = title, rest = abstract), a guess worth checking. */
  fallbackFiles: string[];
}

/** Records, the problems met, and the summary. */
export interface ReadCorpusResult {
  records: AbstractRecord[];
  issues: ReadIssue[];
  summary: CorpusSummary;
}

/**
 * Reads every abstract under `paths`.
 * paths: files and/or folders (folders walked recursively, hidden files and dot-folders ignored, and
 * README*, LICENSE*, SOURCES* files skipped as corpus documentation); `root` makes sourceFile relative
 * (without it, sourceFile is relative to the working directory), always with `/` separators.
 *
 * Output order is deterministic: files sorted by sourceFile, then records in file order. A file that cannot
 * be parsed, a malformed record, or an unsupported extension becomes an issue (`formatReadIssue` prints
 * `file:line: reason`) and everything else is still read. Ids are unique: when two different records
 * share an id, later ones get `-2`, `-3`, … and an issue says so. See `formRecordId` for how ids are made.
 */
export async function readCorpus(paths: string[], options: ReadCorpusOptions & { root?: string } = {}): Promise<ReadCorpusResult> {
  const base = path.resolve(options.root ?? '.');
  const listed = await listCorpusFiles(paths);
  const files = listed.files
    .map((absolute) => ({ absolute, name: path.relative(base, absolute).split(path.sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const issues: ReadIssue[] = listed.missing.map((file) => ({ file, reason: 'no such file or folder' }));
  const read: Array<{ record: AbstractRecord; line?: number }> = [];
  const byFormat: Record<string, number> = {};
  const fallbackFiles: string[] = [];
  let skipped = listed.missing.length;

  for (const [index, file] of files.entries()) {
    let format = 'unknown';
    const sink: RecordSink = {
      record(draft, line) {
        const finished = finishRecord(draft, file.name, format);
        if ('error' in finished) {
          issues.push({ file: file.name, line, reason: finished.error });
          skipped++;
          return;
        }
        read.push({ record: finished.record, line });
        byFormat[format] = (byFormat[format] ?? 0) + 1;
      },
      skip(line, reason) {
        issues.push({ file: file.name, line, reason });
        skipped++;
      },
      note(line, reason) {
        issues.push({ file: file.name, line, reason });
      },
    };
    const before = read.length;
    try {
      const outcome = await readCorpusFile(file.absolute, file.name, sink, (detected) => { format = detected; });
      if ('unsupported' in outcome) {
        issues.push({ file: file.name, reason: outcome.unsupported });
        skipped++;
      } else {
        if (outcome.format === 'plain-text') fallbackFiles.push(file.name);
        if (outcome.encoding !== 'utf-8') for (let i = before; i < read.length; i++) noteEncoding(read[i]?.record, outcome.encoding);
      }
    } catch (error) {
      // Records already read from this file stay: one bad spot never loses what came before it.
      issues.push({ file: file.name, reason: `could not be read: ${(error as Error).message}` });
      skipped++;
    }
    options.onProgress?.({ file: file.name, filesDone: index + 1, filesTotal: files.length, records: read.length });
  }

  const { keep, duplicates } = options.dedupe === false ? { keep: read.map((_, i) => i), duplicates: [] } : dedupeRecords(read.map((r) => r.record));
  const kept = keep.map((i) => read[i] as { record: AbstractRecord; line?: number });
  const records = makeIdsUnique(kept, issues);
  return {
    records,
    issues,
    summary: { files: files.length, records: records.length, skipped, duplicates, byFormat, fallbackFiles },
  };
}

function noteEncoding(record: AbstractRecord | undefined, encoding: string): void {
  if (record) record.meta = { ...record.meta, sourceEncoding: encoding };
}

/** Renames later holders of an already used id to `<id>-2`, `<id>-3`, … and reports each rename. */
function makeIdsUnique(kept: Array<{ record: AbstractRecord; line?: number }>, issues: ReadIssue[]): AbstractRecord[] {
  const used = new Set<string>();
  return kept.map(({ record, line }) => {
    if (!used.has(record.id)) {
      used.add(record.id);
      return record;
    }
    let n = 2;
    while (used.has(`${record.id}-${n}`)) n++;
    const id = `${record.id}-${n}`;
    issues.push({ file: record.sourceFile, line, reason: `id "${record.id}" already used by another record; renamed to "${id}"` });
    used.add(id);
    return { ...record, id };
  });
}
