import type { AnswerLanguage } from '../text/language.js';
import type { RecordHit } from '../retrieve/retriever.js';
import { citeSpan, type Citation } from './citations.js';
import type { EvidenceSentence } from './evidence.js';
import { MESSAGES } from './messages.js';

/** An answer and the citations its markers point at. */
export interface ComposedAnswer {
  answer: string;
  grounded: boolean;
  citations: Citation[];
}

/** Options of {@link composeExtractiveAnswer}. */
export interface ComposeOptions {
  /** Coverage the best sentence needs for the corpus to count as answering. @default 0.5 */
  minCoverage?: number;
  /** Sentences in an answer. @default 3 */
  maxSentences?: number;
  /** Sentences taken from one abstract. @default 2 */
  maxPerRecord?: number;
  /**
   * Distinct question terms the best sentence must match (fewer when the question has fewer terms). Stops a
   * question whose one topic word happens to occur in an abstract ("population of Canada") from being answered.
   * @default 2
   */
  minMatchedTerms?: number;
}

/**
 * Composes an answer with no language model: the best evidence sentences, quoted exactly, each followed by its
 * marker. Supporting sentences must reach a share of the best one's coverage, so weak filler is left out. When
 * even the best sentence covers too little of the question, the answer says the corpus does not answer it and
 * lists the closest sources instead.
 */
export function composeExtractiveAnswer(
  evidence: EvidenceSentence[],
  termWeights: Map<string, number>,
  hits: RecordHit[],
  language: AnswerLanguage,
  options: ComposeOptions = {},
): ComposedAnswer {
  const minCoverage = options.minCoverage ?? 0.5;
  const maxSentences = options.maxSentences ?? 3;
  const maxPerRecord = options.maxPerRecord ?? 2;
  const minMatchedTerms = Math.min(options.minMatchedTerms ?? 2, termWeights.size);
  const best = evidence[0];
  // The term rule guards lexical coverage against one lucky topic word; a semantically grounded sentence (another
  // language, no shared words) is judged by its calibrated similarity instead.
  const termsNeeded = best?.via === 'semantic' ? 0 : minMatchedTerms;
  if (!best || best.coverage < minCoverage || best.matchedTerms.length < termsNeeded) return refusal(evidence, hits, language);

  // Every lexically chosen supporting sentence must share the best sentence's most informative term, so a sentence
  // matching only "role", "T" and "cells" does not ride along with the ones about OX40. Semantically chosen ones
  // share meaning rather than words, so the rule does not apply to them.
  const anchor = [...best.matchedTerms].sort((a, b) => (termWeights.get(b) ?? 0) - (termWeights.get(a) ?? 0))[0];
  const chosen: EvidenceSentence[] = [];
  const perRecord = new Map<string, number>();
  for (const sentence of evidence) {
    if (chosen.length >= maxSentences) break;
    if (sentence.coverage < Math.max(minCoverage * 0.8, best.coverage * 0.6)) continue;
    if (anchor && sentence.via !== 'semantic' && !sentence.matchedTerms.includes(anchor)) continue;
    const used = perRecord.get(sentence.record.id) ?? 0;
    if (used >= maxPerRecord) continue;
    perRecord.set(sentence.record.id, used + 1);
    chosen.push(sentence);
  }
  const citations = chosen.map((s, i) => citeSpan(i + 1, s.record, s.start, s.end, s.coverage));
  const body = citations.map((c) => `${c.quote} [${c.n}]`).join(' ');
  return { answer: MESSAGES[language].quotedPrefix + body, grounded: true, citations };
}

function refusal(evidence: EvidenceSentence[], hits: RecordHit[], language: AnswerLanguage): ComposedAnswer {
  const text = MESSAGES[language];
  const closest = hits.slice(0, 3).map((hit) => evidence.find((s) => s.record.id === hit.record.id));
  const citations = closest
    .filter((s): s is EvidenceSentence => s !== undefined)
    .map((s, i) => citeSpan(i + 1, s.record, s.start, s.end, s.coverage));
  if (citations.length === 0) return { answer: `${text.notAnswered} ${text.noSources}`.trim(), grounded: false, citations };
  const separator = language === 'zh' ? '；' : '; ';
  const list = citations.map((c) => `[${c.n}] ${c.title.replace(/[.。]\s*$/, '')}`).join(separator);
  const end = language === 'zh' ? '。' : '.';
  return { answer: `${text.notAnswered} ${text.closest}: ${list}${end}`, grounded: false, citations };
}
