import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { formatReadIssue } from '../../src/corpus/record.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/corpus');

describe('JSON Lines', () => {
  it('maps fields and variants, reports bad lines by line number and keeps the rest', async () => {
    const { records, issues, summary } = await readCorpus([path.join(fixtures, 'json/records.jsonl')], { root: fixtures });
    expect(records.map((r) => r.id)).toEqual(['rec-1', 'rec-2', records[2]!.id]);
    const [one, two, three] = records;
    expect(one).toMatchObject({
      title: 'Checkpoint inhibitors in melanoma', abstract: 'Checkpoint inhibitors improved survival.', authors: ['Smith, John', 'Doe, Ann'],
      journal: 'J Immunother', year: 2021, pmid: '31111111', doi: '10.1000/JIT.2021.1', language: 'en', sourceFile: 'json/records.jsonl',
    });
    expect(one!.meta).toMatchObject({ source_dataset: 'hand-written', sourceFormat: 'jsonl' });
    expect(two).toMatchObject({
      title: '', originalTitle: '无标题', abstract: '没有标题的摘要文本。', authors: ['Li Wei', 'Zhang San'], keywords: ['免疫', '肿瘤'],
      year: 2019, volume: '12', issue: '3', pages: '1-9', language: 'zh',
    });
    expect(three!.id).toMatch(/^sha1-/);
    expect(three).toMatchObject({ title: 'No id here', originalTitle: '没有编号', abstract: 'BACKGROUND: Why it matters.\nMETHODS: What was done.', affiliations: ['Dept A', 'Dept B'] });
    expect(three!.meta).toMatchObject({ custom_field: 7 });
    expect(issues.map(formatReadIssue)).toEqual([
      expect.stringMatching(/^json\/records\.jsonl:3: invalid JSON/),
      'json/records.jsonl:4: no abstract (title "A title without an abstract")',
      'json/records.jsonl:7: not a JSON object',
    ]);
    expect(summary).toMatchObject({ files: 1, records: 3, skipped: 3, byFormat: { jsonl: 3 } });
  });

  it('reads JSON arrays with record-index issues', async () => {
    const { records, issues } = await readCorpus([path.join(fixtures, 'json/records.json')], { root: fixtures });
    expect(records.map((r) => r.id)).toEqual(['17', 'arr-3']);
    expect(records[0]!.authors).toEqual(['Curie, Marie', 'CAR-T Study Group']);
    expect(records[1]).toMatchObject({ doi: '10.2000/arr.3' });
    expect(records[1]!.year).toBeUndefined();
    expect(issues.map(formatReadIssue)).toEqual(['json/records.json:2: no abstract (title "Array record two")']);
  });

  it('loads 13k-line JSONL (reading speed is bench/parse-formats.ts\'s business: tests never assert on wall time)', async () => {
    const os = await import('node:os');
    const fs = await import('node:fs/promises');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jsonl-'));
    const lines = Array.from({ length: 13_000 }, (_, i) => JSON.stringify({
      id: `doc-${i}`, title: '', abstract: `Abstract number ${i} describes T cell exhaustion in tumours. `.repeat(8), lang: 'en', meta: { pmid: String(i) },
    }));
    await fs.writeFile(path.join(dir, 'big.jsonl'), lines.join('\n'));
    const { records } = await readCorpus([dir], { root: dir });
    expect(records).toHaveLength(13_000);
    expect(new Set(records.map((r) => r.id)).size).toBe(13_000);
    await fs.rm(dir, { recursive: true });
  });
});
