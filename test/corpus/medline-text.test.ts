import { describe, expect, it } from 'vitest';
import { readFixture } from './read-fixture.js';

describe('MEDLINE text (.nbib)', () => {
  it('reads the MEDLINE tags with continuation lines', async () => {
    const { records, issueLines, summary } = await readFixture('medline/pubmed-format.nbib');
    expect(issueLines).toEqual([]);
    expect(summary.byFormat).toEqual({ medline: 2 });
    const [first, second] = records;
    expect(first).toMatchObject({
      id: 'pmid-38000001', pmid: '38000001', doi: '10.1182/blood.2023021234',
      title: 'CAR T-cell exhaustion is reversed by TOX deletion in solid tumours.',
      authors: ['Smith, Jane A', 'Chen, Li', 'CAR-T Consortium'],
      affiliations: ['Department of Immunology, University of Pennsylvania, Philadelphia, PA, USA.', 'Abramson Cancer Center, Philadelphia, PA, USA.'],
      keywords: ['T-cell exhaustion', 'TOX', 'Immunotherapy, Adoptive', 'Humans', 'Neoplasms'],
      journal: 'Blood', year: 2024, volume: '143', issue: '4', pages: '301-312', language: 'en',
    });
    expect(first!.abstract).toBe(
      'BACKGROUND: Chimeric antigen receptor (CAR) T cells become exhausted in solid tumours. METHODS: We deleted TOX in CAR T cells and measured cytokine release. RESULTS: Exhaustion markers fell by 40%. CONCLUSIONS: TOX deletion restores CAR T-cell function.',
    );
    expect(first!.meta).toMatchObject({ journalAbbreviation: 'Blood', publicationTypes: ['Journal Article'], articleLanguage: 'en' });
    expect(second).toMatchObject({
      pmid: '36000002', originalTitle: '淋巴瘤CAR-T细胞治疗专家共识', year: 2022, doi: '10.3760/cma.j.cn112152-20220101-00001',
      journal: 'Zhonghua zhong liu za zhi [Chinese journal of oncology]', language: 'en',
    });
    expect(second!.meta).toMatchObject({ articleLanguage: 'zh', otherAbstracts: [{ text: '本共识总结了中国淋巴瘤CAR-T细胞治疗的经验。' }] });
  });

  it('reports malformed records and lines by line number and keeps the rest', async () => {
    const { records, issueLines } = await readFixture('medline/malformed.txt');
    expect(records.map((r) => r.pmid)).toEqual(['11111111', '33333333']);
    expect(records[1]!.abstract).toBe('The third abstract is intact.');
    expect(issueLines).toEqual([
      'medline/malformed.txt:16: unrecognised MEDLINE line: "this line has no tag and no indentation"',
      'medline/malformed.txt:6: invalid PMID "not-a-number"',
      'medline/malformed.txt:10: no abstract (title "A comment without an abstract.")',
    ]);
  });
});
