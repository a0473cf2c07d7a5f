import { describe, expect, it } from 'vitest';
import { readFixture } from './read-fixture.js';

describe('CSV/TSV tables', () => {
  it('reads a Zotero CSV export with quoted newlines, commas and escaped quotes', async () => {
    const { records, issueLines } = await readFixture('csv/zotero-export.csv');
    expect(records.map((r) => r.id)).toEqual(['ABCD1234', 'IJKL9012']);
    expect(records[0]).toMatchObject({
      title: 'Cytokine release syndrome after CAR-T therapy: a systematic review', authors: ['Garcia, Maria', 'Okafor, Chidi'],
      journal: 'Journal of Hematology & Oncology', year: 2023, volume: '16', issue: '1', pages: '25-37',
      doi: '10.1186/s13045-023-01234-5', keywords: ['CAR-T', 'cytokine release syndrome'], language: 'en',
      abstract: 'Cytokine release syndrome (CRS) is the most common toxicity of CAR-T therapy, and "grade" matters.\nThis review pools 42 trials.',
    });
    expect(records[0]!.meta).toMatchObject({ 'Item Type': 'journalArticle', Extra: 'PMID: 36900000', 'Journal Abbreviation': 'J Hematol Oncol' });
    expect(issueLines).toEqual(['csv/zotero-export.csv:4: no abstract (title "A row whose abstract is missing")']);
  });

  it('reads a Web of Science tab-delimited export', async () => {
    const { records, issueLines, summary } = await readFixture('csv/wos-export.tsv');
    expect(issueLines).toEqual([]);
    expect(summary.byFormat).toEqual({ tsv: 1 });
    expect(records[0]).toMatchObject({
      id: 'pmid-33400001', title: 'Tumour microenvironment limits CAR-T efficacy', authors: ['Kim, Ji-hoon', 'Park, Min'],
      journal: 'Nature Reviews Cancer', year: 2021, volume: '21', issue: '3', pages: '145-159', doi: '10.1038/s41568-021-00001-1',
    });
  });

  it('skips a broken row and an unclosed quote without losing the rows after them', async () => {
    const { records, issueLines } = await readFixture('csv/malformed.csv');
    expect(records.map((r) => r.title)).toEqual(['Good row one', 'Good row three', 'Good row five']);
    expect(records[0]!.abstract).toBe('First, with a comma');
    expect(issueLines).toEqual([
      'csv/malformed.csv:3: malformed row: Invalid Closing Quote',
      'csv/malformed.csv:5: unclosed quote; row skipped, reading resumes on the next line',
    ]);
  });
});
