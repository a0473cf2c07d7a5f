import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/corpus/detect-format.js';

describe('detectFormat', () => {
  it.each([
    ['pubmed-set.txt', 'PMID- 123\nTI  - x', 'medline'],
    ['export.txt', 'TY  - JOUR\nTI  - x\nER  - ', 'ris'],
    ['cnki.txt', '%0 Journal Article\n%A 张三\n%T 标题', 'refer'],
    ['saved.txt', '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle>', 'pubmed-xml'],
    ['records.txt', '{"id":"1","abstract":"a"}\n{"id":"2","abstract":"b"}', 'jsonl'],
    ['records.json', '{"id":"1","abstract":"a"}\n{"id":"2","abstract":"b"}', 'jsonl'],
    ['records.json', '[\n {"id":"1"}\n]', 'json'],
    ['notes.md', '# Title\nSome text', 'plain-text'],
    ['no-extension', 'Title\nSome text', 'plain-text'],
    ['x.nbib', 'PMID- 1', 'medline'],
    ['x.enw', '%0 Journal Article\n%T t', 'refer'],
    ['x.tsv', 'a\tb', 'tsv'],
    ['x.CSV', 'a,b', 'csv'],
  ])('%s → %s', (name, head, expected) => {
    expect(detectFormat(name, head)).toEqual({ format: expected });
  });

  it('refuses XML that is not PubMed and unknown extensions', () => {
    expect(detectFormat('x.xml', '<rss></rss>')).toEqual({ unsupported: 'XML file is not a PubMed article set (PubmedArticleSet)' });
    expect(detectFormat('paper.pdf', '%PDF-1.7')).toEqual({ unsupported: 'unsupported format (.pdf): export the abstracts (PubMed, RIS or CSV) instead of full-text PDFs' });
    expect(detectFormat('figure.png', '')).toEqual({ unsupported: 'unsupported format (.png)' });
  });
});
