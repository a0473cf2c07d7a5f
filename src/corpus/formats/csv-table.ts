import { parse } from 'csv-parse/sync';
import type { RecordDraft } from '../record-draft.js';
import { splitOnSemicolons } from '../record-draft.js';
import { parseYear } from '../record-id.js';
import type { RecordSink } from '../reader-types.js';
import { splitAuthorCell } from './author-names.js';
import { mapColumns, type TableField } from './table-columns.js';

/**
 * Reader for CSV/TSV tables with a header row (Zotero, PubMed, Web of Science, Scopus, CNKI, any
 * spreadsheet). Columns are matched by name (see `table-columns.ts`); quoted fields may hold newlines and
 * delimiters. A broken row is skipped with its line number; an unclosed quote, which would swallow the rest
 * of the file, costs only the row it starts on: parsing resumes on the next line.
 */

interface ParsedRow { record: string[]; info: { lines: number }; raw: string }

/** Reads a comma-, semicolon- or tab-separated table (delimiter sniffed from the header line). */
export function readCsv(text: string, sink: RecordSink): void {
  readTable(text, sink, sniffDelimiter(text), false);
}

/**
 * Reads a tab-separated table. Quotes inside unquoted fields are tolerated because Web of Science and
 * other tab-delimited exports do not quote fields at all.
 */
export function readTsv(text: string, sink: RecordSink): void {
  readTable(text, sink, '\t', true);
}

function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[1] && counts[0][1] > 1 ? counts[0][0] : ',';
}

function readTable(text: string, sink: RecordSink, delimiter: string, relaxQuotes: boolean): void {
  let header: Array<TableField | undefined> | undefined;
  let headerCells: string[] = [];
  let remaining = text.replace(/^\uFEFF/, '');
  let lineOffset = 0;
  while (remaining) {
    const { rows, unclosedAt } = parseChunk(remaining, { delimiter, relaxQuotes }, lineOffset, sink);
    for (const row of rows) {
      if (!header) {
        headerCells = row.cells;
        header = mapColumns(row.cells);
        if (!header.includes('abstract')) {
          sink.skip(row.line, `no abstract column in header (${row.cells.join(', ').slice(0, 120)})`);
          return;
        }
        continue;
      }
      if (row.cells.every((c) => !c.trim())) continue;
      sink.record(draftFromRow(row.cells, header, headerCells), row.line);
    }
    if (unclosedAt === undefined) break;
    sink.skip(unclosedAt, 'unclosed quote; row skipped, reading resumes on the next line');
    remaining = dropLines(remaining, unclosedAt - lineOffset);
    lineOffset = unclosedAt;
  }
}

function parseChunk(
  text: string, dialect: { delimiter: string; relaxQuotes: boolean }, lineOffset: number, sink: RecordSink,
): { rows: Array<{ cells: string[]; line: number }>; unclosedAt?: number } {
  const reported = new Set<number>();
  let lastEnd = 0;
  let unclosed = false;
  const parsed = parse(text, {
    delimiter: dialect.delimiter, relax_quotes: dialect.relaxQuotes, bom: true, relax_column_count: true, skip_empty_lines: true,
    info: true, raw: true, skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return undefined;
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') unclosed = true;
      const line = Number((error as { lines?: number }).lines ?? 0);
      if (error.code !== 'CSV_QUOTE_NOT_CLOSED' && !reported.has(line)) {
        reported.add(line);
        sink.skip(line + lineOffset, `malformed row: ${error.message.split(':')[0]}`);
      }
      return undefined;
    },
  }) as unknown as ParsedRow[];
  const rows = parsed.map((row) => {
    const innerBreaks = (row.raw.replace(/\r?\n$/, '').match(/\n/g) ?? []).length;
    lastEnd = row.info.lines;
    return { cells: row.record, line: row.info.lines - innerBreaks + lineOffset };
  });
  if (!unclosed) return { rows };
  // The unclosed row starts on the first non-empty line after the last good row.
  const after = text.split('\n').slice(lastEnd);
  const blank = after.findIndex((l) => l.trim() !== '');
  return { rows, unclosedAt: lastEnd + Math.max(blank, 0) + 1 + lineOffset };
}

function dropLines(text: string, count: number): string {
  let index = 0;
  for (let i = 0; i < count && index !== -1; i++) index = text.indexOf('\n', index) + 1 || -1;
  return index === -1 ? '' : text.slice(index);
}

function draftFromRow(cells: string[], header: Array<TableField | undefined>, headerCells: string[]): RecordDraft {
  const value: Partial<Record<TableField, string>> = {};
  const meta: Record<string, unknown> = {};
  cells.forEach((cell, i) => {
    const field = header[i];
    const v = cell.trim();
    if (!v) return;
    if (field) value[field] = field === 'abstract' ? cell : v;
    else meta[headerCells[i] ?? `column${i + 1}`] = v;
  });
  const pages = value.pages ?? (value.startPage && value.endPage ? `${value.startPage}-${value.endPage}` : value.startPage);
  return {
    sourceId: value.id,
    title: value.title,
    originalTitle: value.originalTitle,
    abstract: value.abstract,
    authors: value.authors ? splitAuthorCell(value.authors) : [],
    affiliations: value.affiliations ? splitOnSemicolons(value.affiliations) : [],
    keywords: value.keywords ? splitOnSemicolons(value.keywords) : [],
    journal: value.journal,
    year: parseYear(value.year),
    volume: value.volume,
    issue: value.issue,
    pages,
    doi: value.doi,
    pmid: value.pmid,
    articleLanguage: value.language,
    meta,
  };
}
