import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/corpus/detect-format.js';
import { decodeTex, escapeTex } from '../../src/corpus/formats/tex-text.js';
import { readFixture } from './read-fixture.js';

describe('BibTeX reader', () => {
  it('reads a Zotero export: macros, accents, protective braces, page ranges, and skips a broken entry with its line', async () => {
    const { records, issues } = await readFixture('bibtex/zotero-export.bib');
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({
      id: 'doi-10.1000_jit.2021.44',
      title: 'CAR T-cell exhaustion in München: the role of TOX',
      abstract: 'Chimeric antigen receptor T cells lose function in solid tumours; 50% of\ncells expressed TOX after 14 days & deletion restored cytokine release.',
      authors: ['Müller, Anna', 'García, José', 'Bill and Melinda Gates Foundation'],
      journal: 'Journal of Immunotherapy',
      year: 2021,
      volume: '44',
      issue: '3',
      pages: '101-110',
      doi: '10.1000/jit.2021.44',
      keywords: ['CAR-T', 'exhaustion', 'TOX'],
      language: 'en',
    });
    expect(issues).toEqual([expect.objectContaining({ file: 'bibtex/zotero-export.bib', line: 24, reason: expect.stringMatching(/could not be read/) })]);
  });

  it('is chosen for .bib files and sniffed in .txt files', () => {
    expect(detectFormat('refs.bib', '')).toEqual({ format: 'bibtex' });
    expect(detectFormat('refs.txt', '\n@Article{key,\n title={x}}')).toEqual({ format: 'bibtex' });
  });

  it('decodes what it escapes', () => {
    const text = 'a\\b {c} 50% & $1 #2 x_y ~ ^ 中文 Müller';
    expect(decodeTex(escapeTex(text))).toBe(text);
  });
});
