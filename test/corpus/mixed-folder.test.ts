import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { fixturesDir } from './read-fixture.js';

describe('a mixed folder end to end', () => {
  it('reads every format, dedupes across formats and summarises', async () => {
    const { records, issues, summary } = await readCorpus([fixturesDir], { root: fixturesDir });
    expect(summary.files).toBe(19);
    expect(summary.byFormat).toEqual({
      csv: 6, tsv: 1, refer: 2, bibtex: 1, jsonl: 4, json: 2, medline: 4, 'pubmed-xml': 5, ris: 6, 'wprim-text': 3,
    });
    expect(summary.records).toBe(records.length);
    expect(summary.fallbackFiles).toEqual([]);
    expect(summary.skipped).toBe(issues.length - 4); // four issues are notes about stray lines, not lost records
    // The same article exported as PubMed XML and MEDLINE is kept once, from the richer source (XML).
    expect(summary.duplicates).toEqual([
      { kept: 'pmid-11111111', dropped: 'pmid-11111111', reason: 'pmid', keptFile: 'pubmed/efetch-malformed.xml', droppedFile: 'medline/malformed.txt' },
      { kept: 'pmid-33333333', dropped: 'pmid-33333333', reason: 'pmid', keptFile: 'pubmed/efetch-malformed.xml', droppedFile: 'medline/malformed.txt' },
      { kept: 'pmid-38000001', dropped: 'pmid-38000001', reason: 'doi', keptFile: 'pubmed/efetch-sample.xml', droppedFile: 'medline/pubmed-format.nbib' },
      { kept: 'pmid-36000002', dropped: 'pmid-36000002', reason: 'doi', keptFile: 'pubmed/efetch-sample.xml', droppedFile: 'medline/pubmed-format.nbib' },
      { kept: 'doi-10.1186_s13045-023-01234-5', dropped: 'ABCD1234', reason: 'doi', keptFile: 'ris/zotero-export.ris', droppedFile: 'csv/zotero-export.csv' },
    ]);
    const ids = records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const files = records.map((r) => r.sourceFile);
    expect(files).toEqual([...files].sort());
  });

  it('can keep duplicates when asked (evaluation over fixed datasets)', async () => {
    const { records, summary } = await readCorpus([fixturesDir], { root: fixturesDir, dedupe: false });
    expect(summary.duplicates).toEqual([]);
    expect(records).toHaveLength(34);
    expect(records.filter((r) => r.id.startsWith('pmid-38000001'))).toHaveLength(2);
  });
});
