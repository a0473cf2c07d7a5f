import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/text/language.js';
import { splitSentences } from '../../src/text/sentences.js';

const texts = (input: string) => splitSentences(input).map((s) => s.text);

describe('splitSentences', () => {
  it('splits English prose and keeps spans exact', () => {
    const input = 'CAR-T cells persist. Exhaustion limits them! Does PD-1 blockade help? Yes.';
    const spans = splitSentences(input);
    expect(spans.map((s) => s.text)).toEqual(['CAR-T cells persist.', 'Exhaustion limits them!', 'Does PD-1 blockade help?', 'Yes.']);
    for (const s of spans) expect(input.slice(s.start, s.end)).toBe(s.text);
  });

  it('does not split decimals, abbreviations or initials', () => {
    expect(texts('The rate was 0.05 in Fig. 2 (Smith et al. 2020), i.e. low. J. Doe agreed.')).toEqual([
      'The rate was 0.05 in Fig. 2 (Smith et al. 2020), i.e. low.',
      'J. Doe agreed.',
    ]);
    expect(texts('Patients lacked vitamin D. Supplements helped.')).toEqual(['Patients lacked vitamin D.', 'Supplements helped.']);
  });

  it('splits a full stop with no following space between prose words, as scraped journal pages have', () => {
    expect(texts('infusion for treatment.Despite the significant effects,challenges exist.')).toEqual([
      'infusion for treatment.',
      'Despite the significant effects,challenges exist.',
    ]);
  });

  it('splits Chinese on 。！？； and on an ASCII full stop after a Han character', () => {
    expect(texts('OX40是协同刺激分子。它维持T细胞存活！是否有效？有效；作者进行综述.近年来研究增多.')).toEqual([
      'OX40是协同刺激分子。',
      '它维持T细胞存活！',
      '是否有效？',
      '有效；',
      '作者进行综述.',
      '近年来研究增多.',
    ]);
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(texts('他说“很好。”然后离开。')).toEqual(['他说“很好。”', '然后离开。']);
  });
});

describe('detectLanguage', () => {
  it('calls a question with Latin gene names but Chinese words Chinese', () => {
    expect(detectLanguage('如何逆转CAR-T细胞耗竭？')).toBe('zh');
    expect(detectLanguage('What reverses CAR-T cell exhaustion?')).toBe('en');
    expect(detectLanguage('Is IL-2 (白介素) useful for CAR-T expansion in vivo?')).toBe('en');
  });
});
