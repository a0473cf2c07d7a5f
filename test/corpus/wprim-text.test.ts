import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { formatReadIssue } from '../../src/corpus/record.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(repoRoot, 'test/fixtures/corpus');

describe('WPRIM-style record text', () => {
  it('reads every field of the seed record', async () => {
    const { records, issues, summary } = await readCorpus([path.join(repoRoot, 'corpus/000_2719d68c3908a204.txt')], { root: path.join(repoRoot, 'corpus') });
    expect(issues).toEqual([]);
    expect(summary.byFormat).toEqual({ 'wprim-text': 1 });
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r.id).toBe('doi-10.3870_j.issn.1672-0741.23.11.008');
    expect(r.doi).toBe('10.3870/j.issn.1672-0741.23.11.008');
    expect(r.title).toBe('Mechanism and Strategy of CAR-T Cell Therapy for T Cell Exhaustion in Tumor');
    expect(r.originalTitle).toBe('CAR-T细胞治疗肿瘤中T细胞耗竭现象的作用机制和策略');
    expect(r.authors).toEqual(['Xinpei MO', 'Yan LI', 'Yong DUAN']);
    expect(r.affiliations).toEqual([
      '云南检验医学重点实验室;中国云南省检验医学临床研究中心;昆明医科大学第一附属医院临床实验室与诊断创新团队,昆明 650032',
    ]);
    expect(r.keywords).toEqual(['CAR-T', 'T-cell depletion', 'cancer', 'immunotherapy']);
    expect(r.journal).toBe('Acta Medicinae Universitatis Scientiae et Technologiae Huazhong');
    expect(r.year).toBe(2024);
    expect(r.volume).toBe('53');
    expect(r.issue).toBe('5');
    expect(r.pages).toBe('705-712');
    expect(r.pmid).toBeUndefined();
    expect(r.abstract.startsWith('CAR-T cell immunotherapy,which is derived')).toBe(true);
    expect(r.abstract.endsWith('enhancing CAR-T-cell therapy technology.')).toBe(true);
    expect(r.abstract).toContain('blood disorders,involves in vitro gene modification');
    expect(r.abstract).toBe(r.abstract.trim());
    expect(r.abstract).not.toContain('\n');
    expect(r.language).toBe('en');
    expect(r.meta).toMatchObject({ articleLanguage: 'zh', country: 'China', sourceFormat: 'wprim-text' });
    expect(r.sourceFile).toBe('000_2719d68c3908a204.txt');
  });

  it('splits several records in one file and strips affiliation numbers', async () => {
    const { records, issues } = await readCorpus([path.join(fixtures, 'wprim/two-records.txt')], { root: fixtures });
    expect(issues).toEqual([]);
    expect(records.map((r) => r.title)).toEqual([
      'Effect of PD-1 Blockade on Tumour-Infiltrating Lymphocytes in Gastric Cancer',
      'Dual CAR-T therapy in lymphoma',
    ]);
    const [first, second] = records;
    expect(first!.authors).toEqual(['Wei ZHANG', 'Li WANG']);
    expect(first!.affiliations).toEqual([
      'Department of Oncology, First Hospital, Beijing 100000',
      'Institute of Immunology, Peking University, Beijing 100191',
    ]);
    expect(first!.doi).toBe('10.1234/wprim.2023.001');
    expect(first!.abstract).toBe('Objective To assess PD-1 blockade.Methods Forty patients were enrolled. Results TIL density rose.');
    expect(first).toMatchObject({ year: 2023, volume: '45', issue: '2', pages: '101-108', journal: 'Chinese Journal of Oncology', language: 'en' });
    expect(second!.authors).toEqual(['Ming LIU']);
    expect(second!.doi).toBeUndefined();
    expect(second!.id).toMatch(/^sha1-[0-9a-f]{12}$/);
    expect(second!.language).toBe('zh');
    expect(second).toMatchObject({ year: 2022, volume: '31', issue: '7', pages: '400-405', sourceFile: 'wprim/two-records.txt' });
  });

  it('skips a record without abstract and keeps the next one', async () => {
    const { records, issues, summary } = await readCorpus([path.join(fixtures, 'wprim/no-abstract.txt')], { root: fixtures });
    expect(records.map((r) => r.title)).toEqual(["Second record survives the first one's damage"]);
    expect(records[0]!.authors).toEqual(['Ning XU']);
    expect(issues.map(formatReadIssue)).toEqual(['wprim/no-abstract.txt:1: no abstract (title "A record the export cut short")']);
    expect(summary.skipped).toBe(1);
  });
});
