import { loadBilingualDictionary, type BilingualDictionary, type ChineseCandidate } from './dictionary/bilingual-dictionary.js';
import { answerLanguage, type AnswerLanguage } from './language.js';
import { CHINESE_STOPWORDS, ENGLISH_STOPWORDS } from './stopwords.js';
import type { Tokenizer } from './tokenize.js';

/** One rendering of a question's word in the other language. */
export interface TranslationTarget {
  /** As the dictionary writes it: "radiotherapy", "树突状细胞". */
  text: string;
  /** `text` through the tokenizer: what BM25 and evidence scoring match. */
  terms: string[];
  /** Share of the source word's weight (renderings of an ambiguous word split it). */
  weight: number;
}

/** A word (or phrase) of the question and its renderings in the other language, best first. */
export interface TermTranslation {
  /** The word or phrase as asked, lower-cased: "放疗", "dendritic cells". */
  source: string;
  /** `source` through the tokenizer. */
  sourceTerms: string[];
  targets: TranslationTarget[];
}

/** A question's dictionary translation. */
export interface QuestionTranslation {
  from: AnswerLanguage;
  to: AnswerLanguage;
  terms: TermTranslation[];
}

/** Options of {@link translateQuestion}. */
export interface TranslateOptions {
  /**
   * Whether a term occurs in the documents searched. Renderings the corpus never uses are dropped (an English word
   * has many Chinese equivalents; the corpus says which one its authors write), and a word none of whose renderings
   * occur is left out. @default every term counts as known
   */
  known?: (term: string) => boolean;
  /** Renderings kept per word. @default 3 */
  maxTargets?: number;
}

/**
 * Translates the content words of a question into the other language with CC-CEDICT and the biomedical glossary,
 * offline: Chinese is segmented by forward maximum matching on the dictionary's headwords, English is matched as the
 * longest runs of words (up to four) that some Chinese word's sense reads as, so "dendritic cells" becomes 树突状细胞
 * rather than "dendritic" + "cells". Latin terms inside a Chinese question (gene names, "PD-1") and numbers are not
 * translated: documents in either language write them the same way.
 * @example (await translateQuestion('放疗如何激活免疫？', tokenizer)).terms[0].targets[0].text // 'radiotherapy'
 */
export async function translateQuestion(question: string, tokenizer: Tokenizer, options: TranslateOptions = {}): Promise<QuestionTranslation> {
  const from = answerLanguage(question);
  const dictionary = await loadBilingualDictionary();
  const settings = { known: options.known ?? (() => true), maxTargets: options.maxTargets ?? 3 };
  const terms = from === 'zh' ? chineseToEnglish(question, dictionary, tokenizer, settings) : englishToChinese(question, dictionary, tokenizer, settings);
  return { from, to: from === 'zh' ? 'en' : 'zh', terms };
}

type Settings = { known: (term: string) => boolean; maxTargets: number };

function chineseToEnglish(question: string, dictionary: BilingualDictionary, tokenizer: Tokenizer, settings: Settings): TermTranslation[] {
  const translations: TermTranslation[] = [];
  for (const run of question.normalize('NFKC').match(/\p{Script=Han}+/gu) ?? []) {
    for (const word of segmentByDictionary(run, dictionary)) {
      if (CHINESE_STOPWORDS.has(word) || translations.some((t) => t.source === word)) continue;
      const senses = dictionary.english(word).map((text) => ({ text, terms: tokenizer.tokenize(text) })).filter((s) => s.terms.length > 0);
      const usable = senses.filter((s) => s.terms.some(settings.known));
      const chosen = (usable.length > 0 ? usable : senses).slice(0, settings.maxTargets);
      if (chosen.length === 0 || usable.length === 0) continue;
      translations.push({ source: word, sourceTerms: tokenizer.tokenize(word), targets: spread(chosen) });
    }
  }
  return translations;
}

/**
 * Forward maximum matching: at each position the longest headword of two or more characters, else one character.
 * Single characters are dropped: alone they are too ambiguous to translate ("点" is a dot, a point, o'clock, …).
 */
function segmentByDictionary(run: string, dictionary: BilingualDictionary): string[] {
  const chars = [...run];
  const words: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let length = Math.min(dictionary.maxWordLength, chars.length - i);
    while (length > 1 && dictionary.english(chars.slice(i, i + length).join('')).length === 0) length--;
    if (length > 1) words.push(chars.slice(i, i + length).join(''));
    i += length;
  }
  return words;
}

function englishToChinese(question: string, dictionary: BilingualDictionary, tokenizer: Tokenizer, settings: Settings): TermTranslation[] {
  const latin = question.normalize('NFKC').replace(/\p{Script=Han}+/gu, ' ').toLowerCase();
  const words = (latin.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? []).filter((w) => !ENGLISH_STOPWORDS.has(w));
  const translations: TermTranslation[] = [];
  let i = 0;
  while (i < words.length) {
    let matched = 0;
    for (let length = Math.min(4, words.length - i); length >= 1 && !matched; length--) {
      const phrase = words.slice(i, i + length);
      // Gene names, numbers and letters ("PD-1", "T") are written alike in both languages.
      if (length === 1 && (/\d/.test(phrase[0]!) || phrase[0]!.length <= 2)) continue;
      const candidates = rankCandidates(dictionary.chinese(phrase), tokenizer, settings);
      if (candidates.length === 0) continue;
      matched = length;
      const source = phrase.join(' ');
      if (!translations.some((t) => t.source === source)) translations.push({ source, sourceTerms: tokenizer.tokenize(source), targets: spread(candidates) });
    }
    i += matched || 1;
  }
  return translations;
}

/** Among words the corpus uses: glossary words first, then first senses, less ambiguous words, shorter words. */
function rankCandidates(candidates: readonly ChineseCandidate[], tokenizer: Tokenizer, settings: Settings): Array<{ text: string; terms: string[] }> {
  const scored = candidates
    .map((c) => ({ c, terms: tokenizer.tokenize(c.word) }))
    .filter(({ terms }) => terms.length > 0 && terms.every(settings.known));
  scored.sort(
    (a, b) =>
      Number(b.c.glossary) - Number(a.c.glossary) ||
      a.c.rank - b.c.rank ||
      Math.min(a.c.senses, 6) - Math.min(b.c.senses, 6) ||
      a.c.word.length - b.c.word.length ||
      (a.c.word < b.c.word ? -1 : 1),
  );
  const unique = scored.filter((s, i) => scored.findIndex((t) => t.c.word === s.c.word) === i);
  return unique.slice(0, settings.maxTargets).map(({ c, terms }) => ({ text: c.word, terms }));
}

function spread(renderings: Array<{ text: string; terms: string[] }>): TranslationTarget[] {
  return renderings.map((r) => ({ ...r, weight: 1 / renderings.length }));
}

/**
 * BM25 query terms for documents in the translation's target language: each rendering's terms with its weight (a
 * term several renderings share adds up, to at most 1).
 */
export function translatedTermWeights(translation: QuestionTranslation): Map<string, number> {
  const weights = new Map<string, number>();
  for (const term of translation.terms) {
    for (const target of term.targets) {
      for (const t of new Set(target.terms)) weights.set(t, Math.min(1, (weights.get(t) ?? 0) + target.weight));
    }
  }
  return weights;
}

/** What the page shows as "Searched for": the best rendering of each translated word. */
export function searchedTerms(translation: QuestionTranslation): string[] {
  return [...new Set(translation.terms.map((t) => t.targets[0]!.text))];
}
