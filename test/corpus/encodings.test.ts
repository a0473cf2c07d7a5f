import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/corpus/decode-text.js';
import { readFixture } from './read-fixture.js';

describe('encodings', () => {
  it('detects and decodes a GB18030 (GBK) CNKI export', async () => {
    const { records, issueLines } = await readFixture('encodings/cnki-gb18030.txt');
    expect(issueLines).toEqual([]);
    expect(records[0]).toMatchObject({
      title: '嵌合抗原受体T细胞治疗急性淋巴细胞白血病的长期随访', authors: ['赵磊', '孙丽'], journal: '中国实验血液学杂志',
      keywords: ['嵌合抗原受体', '急性淋巴细胞白血病', '随访'], year: 2020, doi: '10.19746/j.cnki.issn.1009-2137.2020.04.001', language: 'zh',
      abstract: '目的：评价CAR-T细胞治疗急性淋巴细胞白血病的长期疗效。结果：五年无事件生存率为45%。',
    });
    expect(records[0]!.meta).toMatchObject({ sourceEncoding: 'gb18030', sourceFormat: 'refer' });
  });

  it('decodes UTF-16 LE with BOM and UTF-8 with BOM', async () => {
    const { records, issueLines } = await readFixture('encodings/excel-utf16.jsonl', 'encodings/utf8-bom.csv');
    expect(issueLines).toEqual([]);
    expect(records.map((r) => r.abstract)).toEqual(['Saved by Excel as Unicode text: 免疫治疗.', 'UTF-8 with BOM abstract.']);
    expect(records[0]!.meta).toMatchObject({ sourceEncoding: 'utf-16le' });
    expect(records[1]!.title).toBe('带BOM的标题');
  });

  it('decodes UTF-16 BE with BOM and BOM-less UTF-16 LE', () => {
    const text = 'TY  - JOUR\n免疫';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text, encoding: 'utf-16be' });
    expect(decodeText(le)).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
  });
});
