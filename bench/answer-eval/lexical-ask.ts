/** Asking the real AnswerEngine a question at one setting, with the proposed term rule applied on top. */
import { AnswerEngine, type AskResponse } from '../../src/answer/answer-engine.js';
import type { Env } from './cached-index.js';
import { K, type Setting } from './settings.js';

/** One question's outcome against one index at one setting. */
export interface Outcome {
  grounded: boolean;
  citationIds: string[];
  citations: AskResponse['citations'];
}

/** The engine with a setting's options (the proposed term rule is not one of them). */
function engineFor(env: Env, setting: Setting): AnswerEngine {
  const { minMatchedTerms: _proposed, ...options } = setting;
  return new AnswerEngine(env.retriever, env.tokenizer, { ...options, defaultK: K });
}

/** Best evidence coverage of a question: an engine that never refuses cites its best sentence first. */
export async function bestCoverage(env: Env, setting: Setting, question: string): Promise<number> {
  const answer = await engineFor(env, { ...setting, minCoverage: 0 }).ask({ question, k: K });
  return answer.citations[0]?.score ?? 0;
}

/** Asks one question at one setting (term rule included). */
export async function ask(env: Env, setting: Setting, question: string): Promise<Outcome> {
  const answer = applyTermRule(env, setting, question, await engineFor(env, setting).ask({ question, k: K }));
  return { grounded: answer.grounded, citationIds: answer.citations.map((c) => c.id), citations: answer.citations };
}

/**
 * Simulates the proposed rule on a grounded answer: its first citation is the engine's best sentence (compose.ts
 * always quotes it first), so its matched terms are the question terms found in that sentence or in its record's
 * titles and keywords — exactly how evidence.ts counts them. Too few → the answer becomes a refusal.
 */
function applyTermRule(env: Env, setting: Setting, question: string, answer: AskResponse): AskResponse {
  if (!answer.grounded || setting.minMatchedTerms <= 1) return answer;
  const questionTerms = new Set(env.tokenizer.tokenize(question));
  const first = answer.citations[0]!;
  const record = env.index.recordById.get(first.id)!;
  const available = new Set([
    ...env.tokenizer.tokenize(first.quote),
    ...env.tokenizer.tokenize([record.title, record.originalTitle ?? '', ...record.keywords].join('\n')),
  ]);
  const matched = [...questionTerms].filter((term) => available.has(term)).length;
  if (matched >= Math.min(setting.minMatchedTerms, questionTerms.size)) return answer;
  return { ...answer, grounded: false, citations: [] };
}
