/** The measures of `--semantic`: grounding with hidden gold, shipped-corpus sanity, and the latency the step adds. */
import type { AnswerEngine } from '../../src/answer/answer-engine.js';
import { SemanticEvidence, type SentenceEmbedder } from '../../src/answer/semantic-evidence.js';
import { detectLanguage } from '../../src/text/language.js';
import type { QueryRow } from './data.js';
import { quantileOf, ratio } from './format.js';
import { decisionFigures, tallyDecisions } from './grounding.js';
import { offAndOnTopic } from './off-topic.js';
import { CROSS_LINGUAL, OFF_TOPIC, ON_TOPIC } from './sanity-questions.js';
import { overlapsEnough } from './scifact-citations.js';
import { askHiding, type SemanticEnv, type SemanticSetting } from './semantic-env.js';
import { K } from './settings.js';

/**
 * Answerable (gold present) and unanswerable (gold hidden) decisions, as in DEFINITIONS.grounding. With
 * `firstSentence`, also how often a gold citation overlaps that span (`translated_sentence_cited`).
 */
export async function semanticGrounding(env: SemanticEnv, engine: AnswerEngine, questions: QueryRow[], firstSentence?: (q: QueryRow) => [number, number]) {
  const tally = await tallyDecisions(
    questions,
    (q) => askHiding(env, engine, q.query),
    (q) => askHiding(env, engine, q.query, q.gold_doc_ids),
    (q, a) => {
      const span = firstSentence?.(q);
      return !!span && a.citations.some((c) => q.gold_doc_ids.includes(c.id) && overlapsEnough(c.start, c.end, span));
    },
  );
  const { decisions, strict } = decisionFigures(tally);
  return {
    ...decisions,
    ...strict,
    ...(firstSentence && { translated_sentence_cited: ratio(tally.rightSentence, tally.n) }),
  };
}

/** Off-topic / on-topic / cross-lingual questions on the shipped corpus, with the first citation of each cross-lingual answer. */
export async function semanticSanity(env: SemanticEnv, engine: AnswerEngine) {
  const { answeredOff, refusedOn } = await offAndOnTopic(async (q) => (await askHiding(env, engine, q)).grounded);
  const cross: Array<{ question: string; grounded: boolean; first: string | null }> = [];
  for (const q of CROSS_LINGUAL) {
    const a = await askHiding(env, engine, q);
    cross.push({ question: q, grounded: a.grounded, first: a.grounded ? `${a.citations[0]!.id}: ${a.citations[0]!.quote.slice(0, 80)}` : null });
  }
  return {
    off_topic_refused: OFF_TOPIC.length - answeredOff.length,
    off_topic_n: OFF_TOPIC.length,
    off_topic_answered: answeredOff,
    on_topic_grounded: ON_TOPIC.length - refusedOn.length,
    on_topic_refused: refusedOn,
    cross_lingual_grounded: cross.filter((c) => c.grounded).length,
    cross_lingual: cross,
  };
}

/** Added latency of the semantic step per question on the shipped corpus, with the real (un-memoised) model. */
export async function semanticLatency(env: SemanticEnv, embeddings: SentenceEmbedder, setting: SemanticSetting) {
  const questions = [...CROSS_LINGUAL, ...ON_TOPIC, ...OFF_TOPIC];
  const options = { cosineFloor: setting.cosineFloor, cosineCeiling: setting.cosineCeiling };
  const shared = new SemanticEvidence(embeddings, options);
  const cold: number[] = [];
  const warm: number[] = [];
  const coldCross: number[] = [];
  for (const q of questions) {
    const { hits } = await env.retriever.search({ query: q, k: K });
    let t = performance.now();
    await new SemanticEvidence(embeddings, options).score(q, hits); // empty cache: every record embedded
    cold.push(performance.now() - t);
    if (detectLanguage(q) === 'zh') coldCross.push(cold[cold.length - 1]!);
    await shared.score(q, hits);
    t = performance.now();
    await shared.score(q, hits); // records cached: only the question is embedded
    warm.push(performance.now() - t);
  }
  const pcts = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (p: number) => Math.round(quantileOf(s, p)!);
    return { p50_ms: at(0.5), p95_ms: at(0.95), max_ms: Math.round(s[s.length - 1]!) };
  };
  return { questions: questions.length, cold_cache: pcts(cold), cold_cache_chinese_questions: pcts(coldCross), warm_cache: pcts(warm), note: 'score() only; retrieval excluded; English questions on English abstracts embed nothing but the question' };
}
