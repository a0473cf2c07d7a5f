import { describe, expect, it } from 'vitest';
import { answerLanguage, detectLanguage, isMostlyCjk } from '../../src/text/language.js';

// The chat page's plain ES module (typed by JSDoc, checked on its own): importing it outside a browser is safe,
// it touches `document` only when called.
const page = '../../src/server/ui/static/dom.js';
const { detectLanguage: pageLanguage } = (await import(page)) as { detectLanguage(text: string): 'en' | 'zh' };

const SAMPLES = [
  '如何逆转CAR-T细胞耗竭？',
  'What reverses CAR-T cell exhaustion?',
  'Is IL-2 (白介素) useful for CAR-T expansion in vivo?',
  'PD-L1表达与肿瘤患者的临床结局有关吗？',
  'Effect of 黄芪 on fatigue',
  'CAR-T細胞の疲弊をどう防ぐか？',
  'CAR-T 세포 고갈을 어떻게 막을 수 있나요?',
  '4-1BB共刺激能减少CAR-T细胞耗竭吗？',
  '',
  '12345 ?!',
];

describe('language detection: one rule', () => {
  it('tells Chinese from English with CJK characters weighing five Latin letters', () => {
    expect(detectLanguage('如何逆转CAR-T细胞耗竭？')).toBe('zh');
    expect(detectLanguage('What reverses CAR-T cell exhaustion?')).toBe('en');
    expect(detectLanguage('Is IL-2 (白介素) useful for CAR-T expansion in vivo?')).toBe('en');
    expect(detectLanguage('黄芪 for fatigue')).toBe('zh');
    expect(detectLanguage('Effect of 黄芪 on fatigue')).toBe('en');
  });

  it('names Japanese and Korean, and answers both in English', () => {
    expect(detectLanguage('CAR-T細胞の疲弊をどう防ぐか？')).toBe('ja');
    expect(detectLanguage('CAR-T 세포 고갈을 어떻게 막을 수 있나요?')).toBe('ko');
    expect(answerLanguage('CAR-T細胞の疲弊をどう防ぐか？')).toBe('en');
    expect(answerLanguage('如何逆转CAR-T细胞耗竭？')).toBe('zh');
  });

  it('keeps a declared language for non-English Latin text, and ignores it for English', () => {
    const german = 'Die Ergebnisse zeigen eine deutliche Verbesserung der Überlebensrate bei allen behandelten Patienten.';
    expect(detectLanguage(german, 'de')).toBe('de');
    expect(detectLanguage('The results show a clear improvement of survival in all of the treated patients.', 'de')).toBe('en');
    expect(detectLanguage('12345', 'fr')).toBe('fr');
  });

  it('calls a title mostly CJK only when Han characters are most of it', () => {
    expect(isMostlyCjk('PD-1抑制剂治疗肺癌')).toBe(true);
    expect(isMostlyCjk('Effect of 黄芪 on fatigue')).toBe(false);
  });

  it.each(SAMPLES)('the chat page labels %j as the server answers it', (text) => {
    expect(pageLanguage(text)).toBe(answerLanguage(text));
  });
});
