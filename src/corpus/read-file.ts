import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeText } from './decode-text.js';
import { detectFormat, type CorpusFormat } from './detect-format.js';
import type { RecordSink, TextFormatReader } from './reader-types.js';
import { readJsonDocument, readJsonLines } from './formats/json-records.js';
import { readWprimText } from './formats/wprim-text.js';
import { readPlainText } from './formats/plain-text.js';
import { readMedline } from './formats/medline-text.js';
import { readRis } from './formats/ris.js';
import { readRefer } from './formats/refer.js';
import { readBibtex } from './formats/bibtex.js';
import { readCsv, readTsv } from './formats/csv-table.js';
import { streamPubmedXml } from './formats/pubmed-xml.js';

const TEXT_READERS: Record<Exclude<CorpusFormat, 'pubmed-xml'>, TextFormatReader> = {
  jsonl: readJsonLines,
  json: readJsonDocument,
  'wprim-text': readWprimText,
  'plain-text': readPlainText,
  medline: readMedline,
  ris: readRis,
  refer: readRefer,
  bibtex: readBibtex,
  csv: readCsv,
  tsv: readTsv,
};

/** Files this large are sniffed from their head first, so a huge XML export is never loaded whole. */
const HEAD_BYTES = 64 * 1024;

/** What reading one file produced, apart from the records and issues sent to the sink. */
export type FileReadOutcome = { format: CorpusFormat; encoding: string } | { unsupported: string };

/**
 * Reads one corpus file into the sink: sniffs encoding and format, then runs the matching reader.
 * `onFormat` hears the chosen format before any record is sent. PubMed XML is streamed; every other format is small enough per file to decode whole.
 */
export async function readCorpusFile(
  absolutePath: string, fileName: string, sink: RecordSink, onFormat: (format: CorpusFormat) => void = () => {},
): Promise<FileReadOutcome> {
  if (path.extname(absolutePath).toLowerCase() === '.xml') {
    const decision = detectFormat(fileName, await readHead(absolutePath));
    if ('unsupported' in decision) return decision;
    onFormat('pubmed-xml');
    return { format: 'pubmed-xml', encoding: await streamPubmedXml(absolutePath, sink) };
  }
  const bytes = await readFile(absolutePath);
  const { text, encoding } = decodeText(bytes);
  const decision = detectFormat(fileName, text.slice(0, HEAD_BYTES));
  if ('unsupported' in decision) return decision;
  onFormat(decision.format);
  if (decision.format === 'pubmed-xml') return { format: 'pubmed-xml', encoding: await streamPubmedXml(absolutePath, sink) };
  TEXT_READERS[decision.format](text, sink, { fileName });
  return { format: decision.format, encoding };
}

async function readHead(absolutePath: string): Promise<string> {
  const handle = await open(absolutePath, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return decodeText(buffer.subarray(0, bytesRead)).text;
  } finally {
    await handle.close();
  }
}
