/**
 * Language helpers. A record's `language` describes the text we cite (the abstract), which is often not
 * the article's language: Chinese journals publish English abstracts, PubMed lists German articles with
 * English abstracts. So the abstract text decides, and a declared language only breaks ties.
 */

const CJK_IDEOGRAPH = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HANGUL = /\p{Script=Hangul}/gu;
const LETTER = /\p{L}/gu;
const ENGLISH_WORDS = new Set(['the', 'of', 'and', 'in', 'to', 'with', 'is', 'was', 'were', 'for', 'that', 'by', 'on', 'are', 'as', 'from', 'this', 'we', 'an', 'be']);

/** ISO 639-2 / English / Chinese language names seen in exports, mapped to ISO 639-1. */
const LANGUAGE_NAMES: Record<string, string> = {
  eng: 'en', english: 'en', '英文': 'en', '英语': 'en',
  chi: 'zh', zho: 'zh', chinese: 'zh', '中文': 'zh', '汉语': 'zh', 'zh-cn': 'zh', 'zh-hans': 'zh', 'zh-tw': 'zh', 'zh-hant': 'zh', cn: 'zh',
  jpn: 'ja', japanese: 'ja', kor: 'ko', korean: 'ko', ger: 'de', deu: 'de', german: 'de', fre: 'fr', fra: 'fr', french: 'fr',
  spa: 'es', spanish: 'es', rus: 'ru', russian: 'ru', ita: 'it', italian: 'it', por: 'pt', portuguese: 'pt', pol: 'pl', dut: 'nl', nld: 'nl',
  tur: 'tr', ara: 'ar', per: 'fa', fas: 'fa', cze: 'cs', ces: 'cs', hun: 'hu', swe: 'sv', nor: 'no', dan: 'da', fin: 'fi', gre: 'el', ell: 'el',
};

function count(text: string, pattern: RegExp): number {
  let n = 0;
  pattern.lastIndex = 0;
  while (pattern.exec(text) !== null) n++;
  return n;
}

/**
 * Normalises a declared language (`eng`, `Chinese`, `中文`, `en-US`, `zh`) to an ISO 639-1 code;
 * undefined when the value is empty or unrecognisable.
 */
export function normalizeLanguageCode(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (!v) return undefined;
  const named = LANGUAGE_NAMES[v];
  if (named) return named;
  const primary = v.split(/[-_]/)[0] ?? '';
  if (/^[a-z]{2}$/.test(primary)) return primary;
  return LANGUAGE_NAMES[primary];
}

/**
 * Detects the language of a text: `zh` when Han characters dominate the letters (`ja` with kana, `ko` with
 * hangul), `en` when it reads like English, else the declared language, else `en`.
 * Only a sample is inspected so 13k-record loads stay fast.
 */
export function detectLanguage(text: string, declared?: string): string {
  const sample = text.length > 2000 ? text.slice(0, 2000) : text;
  const letters = count(sample, LETTER);
  if (letters === 0) return declared ?? 'en';
  const han = count(sample, CJK_IDEOGRAPH);
  const kana = count(sample, KANA);
  const hangul = count(sample, HANGUL);
  // Han + kana together count as CJK so Japanese abstracts heavy in kanji still land on 'ja'.
  if ((han + kana + hangul) / letters > 0.3) {
    if (hangul > han && hangul > kana) return 'ko';
    if (kana > 0 && kana / (han + kana) > 0.1) return 'ja';
    return 'zh';
  }
  if (declared && declared !== 'en' && !['zh', 'ja', 'ko'].includes(declared) && !looksEnglish(sample)) return declared;
  return 'en';
}

function looksEnglish(sample: string): boolean {
  const words = sample.toLowerCase().match(/[a-z]+/g);
  if (!words || words.length < 8) return true;
  let hits = 0;
  for (const w of words) if (ENGLISH_WORDS.has(w)) hits++;
  return hits / words.length > 0.06;
}

/** True when the text is mostly Han characters — used to tell a Chinese title from its English twin. */
export function isMostlyCjk(text: string): boolean {
  const letters = count(text, LETTER);
  return letters > 0 && count(text, CJK_IDEOGRAPH) / letters > 0.3;
}
