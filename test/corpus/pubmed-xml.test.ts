import { describe, expect, it } from 'vitest';
import { readFixture } from './read-fixture.js';

describe('PubMed XML', () => {
  it('reads the DTD elements of an efetch article set', async () => {
    const { records, issueLines, summary } = await readFixture('pubmed/efetch-sample.xml');
    expect(records.map((r) => r.id)).toEqual(['pmid-38000001', 'pmid-36000002', 'pmid-20301390']);
    const [structured, chinese, book] = records;
    expect(structured).toMatchObject({
      title: 'CAR T-cell exhaustion is reversed by TOX deletion in solid tumours.',
      authors: ['Smith, Jane A', 'Chen, Li, Jr', 'CAR-T Consortium'],
      affiliations: ['Department of Immunology, University of Pennsylvania, Philadelphia, PA, USA.', 'Abramson Cancer Center, Philadelphia, PA, USA.'],
      keywords: ['T-cell exhaustion', 'TOX', 'Immunotherapy, Adoptive', 'Neoplasms'],
      journal: 'Blood', year: 2024, volume: '143', issue: '4', pages: '301-312',
      doi: '10.1182/blood.2023021234', pmid: '38000001', language: 'en', sourceFile: 'pubmed/efetch-sample.xml',
    });
    expect(structured!.abstract).toBe([
      'BACKGROUND: Chimeric antigen receptor (CAR) T cells become exhausted in solid tumours.',
      'METHODS: We deleted TOX in CAR T cells and measured cytokine release (IL-2 < 5 pg/mL at baseline).',
      'RESULTS: Exhaustion markers fell by 40%.',
      'CONCLUSIONS: TOX deletion restores CAR T-cell function.',
    ].join('\n'));
    expect(structured!.meta).toMatchObject({ meshHeadings: ['Immunotherapy, Adoptive', 'Neoplasms'], pmcid: 'PMC10000001', articleLanguage: 'en' });
    // The DOI of a cited reference must never leak into the article.
    expect(JSON.stringify(structured)).not.toContain('not-this-one');

    expect(chinese).toMatchObject({
      title: '[Expert consensus on CAR-T cell therapy for lymphoma].', originalTitle: '淋巴瘤CAR-T细胞治疗专家共识',
      year: 2022, pages: '1245-52', doi: '10.3760/cma.j.cn112152-20220101-00001', language: 'en',
      affiliations: ["Department of Hematology, Peking University People's Hospital, Beijing 100044, China."],
    });
    expect(chinese!.meta).toMatchObject({
      articleLanguage: 'zh',
      otherAbstracts: [{ language: 'chi', type: 'Publisher', text: '本共识总结了中国淋巴瘤CAR-T细胞治疗的经验。' }],
    });
    expect(book).toMatchObject({ title: 'BRCA1- and BRCA2-Associated Hereditary Breast and Ovarian Cancer', year: 1993, authors: ['Petrucelli, Nancie'] });
    expect(issueLines).toEqual(['pubmed/efetch-sample.xml:170: no abstract (title "Comment on CAR-T toxicity.")']);
    expect(summary.byFormat).toEqual({ 'pubmed-xml': 3 });
  });

  it('skips a malformed or truncated article and keeps the others', async () => {
    const { records, issueLines } = await readFixture('pubmed/efetch-malformed.xml');
    expect(records.map((r) => r.pmid)).toEqual(['11111111', '33333333']);
    expect(records[1]!.abstract).toBe('The third abstract is intact & readable.');
    expect(issueLines).toEqual([
      'pubmed/efetch-malformed.xml:13: malformed XML in article PMID 22222222: unexpected close tag. (line 18)',
      'pubmed/efetch-malformed.xml:31: malformed XML in article PMID 44444444: file ends inside this element (truncated export?)',
    ]);
  });
});
