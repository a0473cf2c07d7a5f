import type { AnswerLanguage } from '../text/language.js';

/** Fixed answer texts, in the language of the question. */
export const MESSAGES: Record<AnswerLanguage, { notAnswered: string; closest: string; noSources: string; quotedPrefix: string }> = {
  en: {
    notAnswered: 'The corpus does not answer this question.',
    closest: 'The closest abstracts are',
    noSources: 'No abstract in the corpus matches it.',
    quotedPrefix: '',
  },
  zh: {
    notAnswered: '语料库中的摘要没有回答这个问题。',
    closest: '最接近的摘要是',
    noSources: '语料库中没有与之相关的摘要。',
    quotedPrefix: '根据语料库中的摘要（原文引用）：',
  },
};
