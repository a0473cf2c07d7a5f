/**
 * Language detection, one rule for every layer: record abstracts (src/corpus), questions and evidence sentences
 * (src/answer), and, ported line for line, the chat page (`src/server/ui/static/dom.js`). A Han, kana or hangul
 * character carries about a word's meaning while a Latin letter carries a fifth of one, so CJK characters weigh
 * five letters: "如何逆转CAR-T细胞耗竭" is Chinese, "Is IL-2 (白介素) useful in vivo?" is English.
 */

/** Languages the product answers in. */
export type AnswerLanguage = 'en' | 'zh';

const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HANGUL = /\p{Script=Hangul}/gu;
const LATIN = /\p{Script=Latin}/gu;
const LETTER = /\p{L}/gu;
const ANY_LETTER = /\p{L}/u;
const ANY_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const ENGLISH_WORDS = new Set(['the', 'of', 'and', 'in', 'to', 'with', 'is', 'was', 'were', 'for', 'that', 'by', 'on', 'are', 'as', 'from', 'this', 'we', 'an', 'be']);
/** How many Latin letters one CJK character weighs. */
const CJK_WEIGHT = 5;
/** Only the start of a long text is read, so loading 13k abstracts stays fast. */
const SAMPLE = 2000;

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/**
 * Detects a text's language: `zh` when CJK characters outweigh its Latin letters (`ja` with enough kana, `ko`
 * with mostly hangul); otherwise `en` when it reads like English, else the declared language, else `en`.
 * @param declared the language the source states, which only breaks ties (ISO 639-1)
 * @example
 * detectLanguage('如何逆转CAR-T细胞耗竭？'); // 'zh'
 * detectLanguage('Die Ergebnisse zeigen eine deutliche Verbesserung der Überlebensrate bei allen Patienten.', 'de'); // 'de'
 */
export function detectLanguage(text: string, declared?: string): string {
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  if (!ANY_LETTER.test(sample)) return declared ?? 'en';
  // Counting makes an array of every match: only a text with some CJK at all is counted (an English abstract, the
  // common case, is decided by two tests; this ran several times per /ask).
  const [han, kana, hangul] = ANY_CJK.test(sample) ? [count(sample, HAN), count(sample, KANA), count(sample, HANGUL)] : [0, 0, 0];
  const cjk = han + kana + hangul;
  if (cjk > 0 && cjk * CJK_WEIGHT >= count(sample, LATIN)) {
    if (hangul > han && hangul > kana) return 'ko';
    // Japanese is kanji-heavy, so a modest share of kana already decides it.
    if (kana / (han + kana || 1) > 0.1) return 'ja';
    return 'zh';
  }
  if (declared && declared !== 'en' && !['zh', 'ja', 'ko'].includes(declared) && !looksEnglish(sample)) return declared;
  return 'en';
}

/** The language to answer a question in: Chinese for a Chinese question, English for anything else. */
export function answerLanguage(text: string): AnswerLanguage {
  return detectLanguage(text) === 'zh' ? 'zh' : 'en';
}

/**
 * True when Han characters make up most of a text's letters (over 30%), to tell a Chinese title from its English
 * twin. Stricter than {@link detectLanguage} on purpose: "Effect of 黄芪 on fatigue" is an English title.
 */
export function isMostlyCjk(text: string): boolean {
  const letters = count(text, LETTER);
  return letters > 0 && count(text, HAN) / letters > 0.3;
}

function looksEnglish(sample: string): boolean {
  const words = sample.toLowerCase().match(/[a-z]+/g);
  if (!words || words.length < 8) return true;
  let hits = 0;
  for (const w of words) if (ENGLISH_WORDS.has(w)) hits++;
  return hits / words.length > 0.06;
}
