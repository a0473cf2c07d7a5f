import { describe, expect, it } from 'vitest';
import { readFixture } from './read-fixture.js';

describe('RIS', () => {
  it('reads Zotero/EndNote RIS tags, multi-line abstracts and SP/EP pages', async () => {
    const { records, issueLines } = await readFixture('ris/zotero-export.ris');
    expect(issueLines).toEqual([]);
    const [zotero, endnote] = records;
    expect(zotero).toMatchObject({
      id: 'doi-10.1186_s13045-023-01234-5', title: 'Cytokine release syndrome after CAR-T therapy: a systematic review',
      authors: ['Garcia, Maria', 'Okafor, Chidi'], affiliations: ['Hospital Clínic, Barcelona, Spain'],
      keywords: ['CAR-T', 'cytokine release syndrome'], journal: 'Journal of Hematology & Oncology',
      year: 2023, volume: '16', issue: '1', pages: '25-37', doi: '10.1186/s13045-023-01234-5', language: 'en',
    });
    expect(zotero!.abstract).toBe('Cytokine release syndrome (CRS) is the most common toxicity of CAR-T therapy.\nThis review pools 42 trials.\nCRS of grade 3 or higher occurred in 14% of patients.');
    expect(endnote).toMatchObject({ id: 'pmid-35555555', pmid: '35555555', journal: 'Blood Advances', year: 2022, pages: '100-108', authors: ['Lee, Sun'] });
    expect(endnote!.abstract).toMatch(/^Immune effector cell-associated/);
  });

  it("reads CNKI's RIS: ;-packed authors and keywords, Chinese title with translated title", async () => {
    const { records, issueLines } = await readFixture('ris/cnki-export.ris');
    expect(issueLines).toEqual([]);
    expect(records[0]).toMatchObject({
      title: 'Clinical study of CAR-T cell therapy for relapsed refractory multiple myeloma',
      originalTitle: 'CAR-T细胞治疗复发难治性多发性骨髓瘤的临床研究',
      authors: ['张伟', '李娜', '王强'], affiliations: ['北京大学人民医院血液科'], keywords: ['CAR-T', '多发性骨髓瘤', '疗效'],
      journal: '中华血液学杂志', year: 2021, volume: '42', issue: '06', pages: '456-461', language: 'zh',
    });
    expect(records[0]!.meta).toMatchObject({ articleLanguage: 'zh', database: 'CNKI' });
  });

  it('survives missing ER, orphan tags and stray text', async () => {
    const { records, issueLines } = await readFixture('ris/malformed.ris');
    expect(records.map((r) => r.title)).toEqual(['Record one is fine', 'Record two has no ER line', 'Record four is fine']);
    expect(issueLines).toEqual([
      'ris/malformed.ris:5: AU line outside a RIS record (missing TY?)',
      'ris/malformed.ris:6: record has no ER line; ended at the next TY',
      'ris/malformed.ris:12: text outside a RIS record: "stray text between records"',
      'ris/malformed.ris:9: no abstract (title "Record three has no abstract")',
    ]);
  });
});

describe('EndNote refer (CNKI "EndNote" export)', () => {
  it('reads %-tagged records and skips one without abstract', async () => {
    const { records, issueLines, summary } = await readFixture('refer/cnki-endnote.txt');
    expect(summary.byFormat).toEqual({ refer: 1 });
    expect(records[0]).toMatchObject({
      title: '实体瘤CAR-T细胞治疗中T细胞耗竭的研究进展', authors: ['刘洋', '陈静'], affiliations: ['复旦大学附属中山医院肿瘤科,上海 200032'],
      keywords: ['CAR-T', 'T细胞耗竭', '实体瘤'], journal: '肿瘤', year: 2023, volume: '43', issue: '02', pages: '121-130', language: 'zh',
      abstract: 'T细胞耗竭限制了CAR-T细胞在实体瘤中的疗效。本文综述了耗竭的分子机制及逆转策略。',
    });
    expect(issueLines).toEqual(['refer/cnki-endnote.txt:17: no abstract (title "没有摘要的记录")']);
  });
});
