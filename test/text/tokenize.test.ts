import { describe, expect, it } from 'vitest';
import { createWhitespaceTokenizer } from '../../src/eval/whitespace-tokenizer.js';
import { createTokenizer } from '../../src/text/tokenize.js';

describe('English pipeline', () => {
  const tokenizer = createTokenizer();

  it('lower-cases (Unicode-aware), drops stop words and Porter-stems', () => {
    expect(tokenizer.tokenize('The Patients were TREATED with antibodies')).toEqual(['patient', 'treat', 'antibodi']);
    expect(tokenizer.tokenize('ÉCOLE Ärzte')).toEqual(['école', 'ärzte']);
  });

  it('keeps short words and numbers unstemmed', () => {
    expect(tokenizer.tokenize('IL-6 was 12.5 mg')).toEqual(['il', '6', 'il6', '12', '5', 'mg']);
  });

  it('yields the parts and the joined form of hyphenated terms, so CAR-T matches CAR T and CART', () => {
    const terms = tokenizer.tokenize('CAR-T');
    expect(terms).toEqual(['car', 't', 'cart']);
    expect(tokenizer.tokenize('CART')).toEqual(['cart']);
  });

  it('spells Greek letters out, so TNF-α and TNF-alpha give the same terms', () => {
    expect(tokenizer.tokenize('TNF-α')).toEqual(tokenizer.tokenize('TNF-alpha'));
    expect(tokenizer.tokenize('IFNγ')).toEqual(['ifngamma']);
    // μ stays: it is the micro prefix far more often than the letter.
    expect(tokenizer.tokenize('5 μg')).toEqual(['5', 'μg']);
  });

  it('normalises full-width forms (NFKC) and drops possessive s', () => {
    expect(tokenizer.tokenize('ＰＤ－１ patient’s')).toEqual(tokenizer.tokenize("PD-1 patient's"));
  });

  it('can skip stemming, and names its settings for the index manifest', () => {
    const plain = createTokenizer({ stem: false });
    expect(plain.tokenize('treated patients')).toEqual(['treated', 'patients']);
    expect(plain.name).not.toBe(tokenizer.name);
  });
});

describe('Chinese segmentation', () => {
  const words = createTokenizer({ chinese: 'words' });
  const bigrams = createTokenizer({ chinese: 'bigrams' });

  it('words: Intl.Segmenter dictionary words, stop words dropped', () => {
    const terms = words.tokenize('糖尿病患者的血糖控制');
    expect(terms).not.toContain('的');
    expect(terms.join('')).toBe('糖尿病患者血糖控制');
    expect(terms.length).toBeGreaterThanOrEqual(3);
    expect(terms.every((t) => t.length >= 1 && t.length <= 4)).toBe(true);
  });

  it('bigrams: overlapping character pairs; a lone character stays a term', () => {
    expect(bigrams.tokenize('血糖控制')).toEqual(['血糖', '糖控', '控制']);
    expect(bigrams.tokenize('肺')).toEqual(['肺']);
    expect(bigrams.tokenize('的')).toEqual([]);
  });

  it('mixed text: Latin names inside Chinese go through the English pipeline', () => {
    expect(words.tokenize('PD-1抑制剂')).toEqual(['pd', '1', 'pd1', ...words.tokenize('抑制剂')]);
    expect(bigrams.tokenize('CAR-T细胞')).toEqual(['car', 't', 'cart', '细胞']);
  });

  it('a keyword query matches the same terms as the abstract that contains it', () => {
    for (const tokenizer of [words, bigrams]) {
      const doc = new Set(tokenizer.tokenize('本研究分析了二型糖尿病患者的血糖控制情况。'));
      const query = tokenizer.tokenize('血糖控制');
      expect(query.every((t) => doc.has(t))).toBe(true);
    }
  });

  it('none keeps each Han run whole (the no-segmentation baseline), unlike words and bigrams', () => {
    const none = createTokenizer({ chinese: 'none' });
    expect(none.tokenize('血糖控制情况，糖尿病')).toEqual(['血糖控制情况', '糖尿病']);
    expect(new Set([words.name, bigrams.name, none.name]).size).toBe(3);
  });

  it('the whitespace baseline splits on spaces and punctuation only', () => {
    const whitespace = createWhitespaceTokenizer();
    expect(whitespace.tokenize('二型糖尿病患者的血糖控制。The Patients')).toEqual(['二型糖尿病患者的血糖控制', 'the', 'patients']);
  });
});
