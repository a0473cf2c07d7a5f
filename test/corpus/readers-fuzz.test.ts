/**
 * Property-based fuzzing of every corpus reader: arbitrary text, arbitrary bytes and corrupted real exports give
 * records or `file:line` issues, never an exception that escapes the reader (which would lose the rest of the file).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeText } from '../../src/corpus/decode-text.js';
import { readCsv, readTsv } from '../../src/corpus/formats/csv-table.js';
import { readJsonDocument, readJsonLines } from '../../src/corpus/formats/json-records.js';
import { readMedline } from '../../src/corpus/formats/medline-text.js';
import { readPlainText } from '../../src/corpus/formats/plain-text.js';
import { streamPubmedXml } from '../../src/corpus/formats/pubmed-xml.js';
import { readRefer } from '../../src/corpus/formats/refer.js';
import { readRis } from '../../src/corpus/formats/ris.js';
import { readWprimText } from '../../src/corpus/formats/wprim-text.js';
import type { RecordSink, TextFormatReader } from '../../src/corpus/reader-types.js';
import { finishRecord } from '../../src/corpus/record-draft.js';
import { formatReadIssue } from '../../src/corpus/record.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzParameters, hostileText, reportCases } from '../support/fuzz.js';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/corpus');
const decode = (bytes: Uint8Array) => decodeText(bytes).text;
const fixtures = (...names: string[]) => names.map((name) => decode(readFileSync(path.join(FIXTURES, name))));

/** A sink that checks what a reader reports the way readCorpus would use it. */
function checkingSink(fileName: string, lineCount: number) {
  const out = { records: 0, issues: [] as string[] };
  const checkLine = (line: number | undefined) => {
    if (line === undefined) return;
    expect(Number.isInteger(line) && line >= 1, `line ${line}`).toBe(true);
    expect(line).toBeLessThanOrEqual(Math.max(lineCount, 1) + 1_000_000); // a record index may exceed lines, never absurd
  };
  const sink: RecordSink = {
    record(draft, line) {
      checkLine(line);
      const finished = finishRecord(draft, fileName, 'fuzz');
      if ('error' in finished) out.issues.push(formatReadIssue({ file: fileName, line, reason: finished.error }));
      else {
        expect(typeof finished.record.id).toBe('string');
        expect(finished.record.abstract.trim().length).toBeGreaterThan(0);
        out.records++;
      }
    },
    skip(line, reason) {
      checkLine(line);
      expect(reason.length).toBeGreaterThan(0);
      out.issues.push(formatReadIssue({ file: fileName, line, reason }));
    },
    note(line, reason) {
      checkLine(line);
      out.issues.push(formatReadIssue({ file: fileName, line, reason }));
    },
  };
  return { sink, out };
}

const TEXT_READERS: Array<[string, TextFormatReader, string[]]> = [
  ['jsonl', readJsonLines, fixtures('json/records.jsonl', 'encodings/excel-utf16.jsonl')],
  ['json', readJsonDocument, fixtures('json/records.json')],
  ['csv', readCsv, fixtures('csv/zotero-export.csv', 'csv/malformed.csv', 'encodings/utf8-bom.csv')],
  ['tsv', readTsv, fixtures('csv/wos-export.tsv')],
  ['medline', readMedline, fixtures('medline/pubmed-format.nbib', 'medline/malformed.txt')],
  ['ris', readRis, fixtures('ris/zotero-export.ris', 'ris/cnki-export.ris', 'ris/malformed.ris')],
  ['refer', readRefer, fixtures('refer/cnki-endnote.txt')],
  ['wprim-text', readWprimText, fixtures('wprim/two-records.txt', 'wprim/no-abstract.txt', 'encodings/cnki-gb18030.txt')],
  ['plain-text', readPlainText, fixtures('wprim/two-records.txt', 'medline/malformed.txt')],
];

describe('corpus readers under fuzzing', () => {
  it.each(TEXT_READERS)('%s: any input gives records or file:line issues, never a thrown exception', (name, reader, seeds) => {
    let cases = 0;
    const totals = { records: 0, issues: 0 };
    fc.assert(
      fc.property(hostileText(seeds, decode), (text) => {
        cases++;
        const { sink, out } = checkingSink(`fuzz.${name}`, text.split('\n').length);
        reader(text, sink, { fileName: `fuzz.${name}` });
        totals.records += out.records;
        totals.issues += out.issues.length;
      }),
      fuzzParameters(),
    );
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
    // The inputs reach both outcomes: corrupted exports still yield records, and broken ones yield issues.
    expect(totals.records).toBeGreaterThan(0);
    if (name !== 'plain-text') expect(totals.issues).toBeGreaterThan(0);
    reportCases(name, cases);
  }, FUZZ_TIMEOUT_MS);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'abstract-qa-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pubmed-xml (streamed from a file): any bytes give records or issues, never a rejection', async () => {
    const seeds = readdirSync(path.join(FIXTURES, 'pubmed')).map((name) => readFileSync(path.join(FIXTURES, 'pubmed', name), 'utf8'));
    const xmlish = fc.oneof(hostileText(seeds, decode).map((text) => Buffer.from(text)), fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)));
    let cases = 0;
    const totals = { records: 0, issues: 0 };
    await fc.assert(
      fc.asyncProperty(xmlish, async (bytes) => {
        cases++;
        const file = path.join(dir, `case-${cases}.xml`);
        writeFileSync(file, bytes);
        const { sink, out } = checkingSink('fuzz.xml', bytes.toString('utf8').split('\n').length);
        await streamPubmedXml(file, sink);
        rmSync(file);
        totals.records += out.records;
        totals.issues += out.issues.length;
      }),
      fuzzParameters(),
    );
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
    expect(totals.records).toBeGreaterThan(0);
    expect(totals.issues).toBeGreaterThan(0);
    reportCases('pubmed-xml', cases);
  }, FUZZ_TIMEOUT_MS);
});
