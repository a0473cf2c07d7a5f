import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { formatReadIssue } from '../../src/corpus/record.js';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'read-corpus-'));
  const write = async (name: string, content: string | Buffer) => {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  };
  await write('b.jsonl', '{"id":"same","title":"B one","abstract":"Alpha."}\n{"id":"same","title":"B two","abstract":"Beta."}\n');
  await write('a/nested.jsonl', '{"id":"nested-1","title":"Nested","abstract":"Gamma."}\n');
  await write('README.md', '# About this corpus\nNot an abstract.\n');
  await write('LICENSE', 'MIT');
  await write('.hidden.jsonl', '{"id":"hidden","abstract":"Hidden."}\n');
  await write('.cache/x.jsonl', '{"id":"cached","abstract":"Cached."}\n');
  await write('scan.pdf', Buffer.from('%PDF-1.4 binary'));
  await write('notes.md', '# A plain note\n\nThe note body is the abstract.\n');
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('readCorpus', () => {
  it('walks folders in sorted order, skips hidden and documentation files, reports unsupported ones', async () => {
    const progress: number[] = [];
    const { records, issues, summary } = await readCorpus([dir], { root: dir, onProgress: (p) => progress.push(p.filesDone) });
    expect(records.map((r) => `${r.sourceFile}#${r.id}`)).toEqual([
      'a/nested.jsonl#nested-1',
      'b.jsonl#same',
      'b.jsonl#same-2',
      `notes.md#${records[3]!.id}`,
    ]);
    expect(records[3]).toMatchObject({ title: 'A plain note', abstract: 'The note body is the abstract.' });
    expect(issues.map(formatReadIssue)).toEqual([
      'scan.pdf: unsupported format (.pdf): export the abstracts (PubMed, RIS or CSV) instead of full-text PDFs',
      'b.jsonl:2: id "same" already used by another record; renamed to "same-2"',
    ]);
    expect(summary).toMatchObject({ files: 4, records: 4, skipped: 1, fallbackFiles: ['notes.md'], byFormat: { jsonl: 3, 'plain-text': 1 } });
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('reads an explicitly named file even if a walk would skip it, and reports missing paths', async () => {
    const { records, issues } = await readCorpus([path.join(dir, 'README.md'), path.join(dir, 'nope.txt')], { root: dir });
    expect(records.map((r) => r.title)).toEqual(['About this corpus']);
    expect(issues.map((i) => i.reason)).toEqual(['no such file or folder']);
  });

  it('is deterministic', async () => {
    const first = await readCorpus([dir], { root: dir });
    const second = await readCorpus([dir], { root: dir });
    expect(second).toEqual(first);
  });
});
