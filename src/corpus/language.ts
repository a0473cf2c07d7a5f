/**
 * Declared languages as exports write them. A record's `language` describes the text we cite (the abstract),
 * which is often not the article's language: Chinese journals publish English abstracts, PubMed lists German
 * articles with English abstracts. So the abstract text decides (detectLanguage, src/text/language.ts), and a
 * declared language only breaks ties.
 */

/** ISO 639-2 / English / Chinese language names seen in exports, mapped to ISO 639-1. */
const LANGUAGE_NAMES: Record<string, string> = {
  eng: 'en', english: 'en', '英文': 'en', '英语': 'en',
  chi: 'zh', zho: 'zh', chinese: 'zh', '中文': 'zh', '汉语': 'zh', 'zh-cn': 'zh', 'zh-hans': 'zh', 'zh-tw': 'zh', 'zh-hant': 'zh', cn: 'zh',
  jpn: 'ja', japanese: 'ja', kor: 'ko', korean: 'ko', ger: 'de', deu: 'de', german: 'de', fre: 'fr', fra: 'fr', french: 'fr',
  spa: 'es', spanish: 'es', rus: 'ru', russian: 'ru', ita: 'it', italian: 'it', por: 'pt', portuguese: 'pt', pol: 'pl', dut: 'nl', nld: 'nl',
  tur: 'tr', ara: 'ar', per: 'fa', fas: 'fa', cze: 'cs', ces: 'cs', hun: 'hu', swe: 'sv', nor: 'no', dan: 'da', fin: 'fi', gre: 'el', ell: 'el',
};

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
