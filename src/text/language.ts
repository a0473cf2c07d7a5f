/** Languages the product answers in. */
export type AnswerLanguage = 'en' | 'zh';

const HAN_GLOBAL = /\p{Script=Han}/gu;
const LATIN_LETTER_GLOBAL = /\p{Script=Latin}/gu;

/**
 * Detects whether a text is Chinese or English. A Han character carries about a word's meaning while a Latin
 * letter carries a fifth of one, so Han characters are weighted accordingly: "如何逆转CAR-T细胞耗竭" is Chinese.
 */
export function detectLanguage(text: string): AnswerLanguage {
  const han = text.match(HAN_GLOBAL)?.length ?? 0;
  if (han === 0) return 'en';
  const latin = text.match(LATIN_LETTER_GLOBAL)?.length ?? 0;
  return han * 5 >= latin ? 'zh' : 'en';
}
