import { describe, expect, it } from 'vitest';
import type { AbstractRecord } from '../../src/corpus/record.js';
import { passageText } from '../../src/ingest/build-index.js';
import { chunkRecord } from '../../src/ingest/chunk.js';

const record = (fields: Partial<AbstractRecord>): AbstractRecord => ({
  id: 'r1',
  title: '',
  abstract: 'Tumour-infiltrating T cells become exhausted under chronic antigen exposure.',
  authors: [],
  affiliations: [],
  keywords: [],
  language: 'en',
  sourceFile: 'x.jsonl',
  ...fields,
});

const passage = (r: AbstractRecord) => passageText(r, chunkRecord(r)[0]!);

describe('passageText: the text embedded for a chunk', () => {
  it('leaves out a title in another language than the abstract (it would make the vector half that language)', () => {
    const r = record({ title: 'Mechanism of T Cell Exhaustion', originalTitle: 'T细胞耗竭现象的作用机制' });
    expect(passage(r)).toBe(`Mechanism of T Cell Exhaustion\n${r.abstract}`);
    expect(passage(r)).not.toContain('耗竭');
  });

  it('keeps the Chinese title of a Chinese abstract and drops its English twin', () => {
    const r = record({ title: 'Interaction of NK cells and dendritic cells', originalTitle: 'NK细胞与树突状细胞的相互作用', abstract: '自然杀伤细胞与树突状细胞相互作用，调节先天免疫与适应性免疫。', language: 'zh' });
    expect(passage(r)).toBe(`NK细胞与树突状细胞的相互作用\n${r.abstract}`);
  });

  it('keeps the titles it has when none is in the abstract language, and embeds a title-less chunk alone', () => {
    const zh = record({ title: 'Interaction of NK cells and dendritic cells', abstract: '自然杀伤细胞与树突状细胞相互作用。', language: 'zh' });
    expect(passage(zh)).toBe(`Interaction of NK cells and dendritic cells\n${zh.abstract}`);
    expect(passage(record({}))).toBe(record({}).abstract);
  });
});
