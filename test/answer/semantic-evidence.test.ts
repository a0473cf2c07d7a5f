/**
 * The semantic evidence step through the real loader, index and engine, with the tiny generated model. Its vectors
 * are bags of pseudo-random word vectors, so the cosines mean nothing clinically: the calibration is set per test
 * from the cosines the tiny model really produces, and what is tested is the mechanism — caching, exact spans,
 * lexical-only behaviour untouched, and a semantic score grounding what lexical coverage alone refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answer/citations.js';
import { AnswerEngine, type AskResponse } from '../../src/answer/answer-engine.js';
import { SemanticEvidence } from '../../src/answer/semantic-evidence.js';
import type { E5Embeddings } from '../../src/ingest/embeddings.js';
import { createLogger } from '../../src/logger.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { openServices, type OpenedServices } from '../../src/app/services.js';
import { detectLanguage } from '../../src/text/language.js';
import { splitSentences } from '../../src/text/sentences.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';

// Lexical evidence refuses this one (no English abstract shares its Chinese words); pinned below as a precondition.
const CROSS_LINGUAL = '肿瘤相关成纤维细胞如何影响抗肿瘤免疫？';

let project: TempProject;
let services: OpenedServices;
let embeddings: E5Embeddings;

beforeAll(async () => {
  project = createTempProject({ withModel: true });
  services = await openServices(project.config, createLogger('silent'));
  embeddings = services.prepared.model!.embeddings;
}, 120_000);
afterAll(() => project?.cleanup());

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

// Dictionary translation grounds CROSS_LINGUAL lexically (test/answer/cross-lingual-lexical.test.ts); these tests pin
// the semantic step, so their retriever searches without it, as lexical evidence alone once did.
function engine(options: ConstructorParameters<typeof AnswerEngine>[2] = {}): AnswerEngine {
  const retriever = new Retriever(services.index, createTokenizer(), embeddings, { translate: false });
  return new AnswerEngine(retriever, createTokenizer(), options);
}

function expectExactQuotes(answer: AskResponse): void {
  expect(checkCitations(answer.answer, answer.citations, (id) => services.index.recordById.get(id))).toEqual([]);
}

/** The best raw cosine between the question and a sentence of the top English hits, as the engine would see it. */
async function bestCrossLingualSentence(question: string, records = 3) {
  // The same retrieval as engine(): without dictionary translation.
  const { hits } = await new Retriever(services.index, createTokenizer(), embeddings, { translate: false }).search({ query: question, k: 5 });
  const english = hits.map((h) => h.record).filter((r) => detectLanguage(r.abstract) === 'en').slice(0, records);
  const query = await embeddings.embedQuery(question);
  let best = { cosine: -Infinity, id: '', start: 0 };
  for (const record of english) {
    const sentences = splitSentences(record.abstract);
    const vectors = await embeddings.embedDocuments(sentences.map((s) => s.text.slice(0, 400)));
    vectors.forEach((v, i) => {
      const cosine = dot(query, v);
      if (cosine > best.cosine) best = { cosine, id: record.id, start: sentences[i]!.start };
    });
  }
  return best;
}

describe('semantic evidence (tiny model)', () => {
  it('is wired in when a dense index exists, and runs in hybrid mode', () => {
    expect(services.retriever.effectiveMode).toBe('hybrid');
    expect(services.index.dense).toBeDefined();
  });

  it('grounds with a semantic score a cross-lingual question that lexical evidence alone refuses, quoting exactly', async () => {
    const lexical = await engine().ask({ question: CROSS_LINGUAL });
    expect(lexical.grounded).toBe(false);

    const best = await bestCrossLingualSentence(CROSS_LINGUAL);
    expect(best.id).not.toBe('');
    // Calibrated so the best sentence's cosine maps to 2/3, above minCoverage 0.5.
    const semantic = engine({ embedder: embeddings, cosineFloor: best.cosine - 0.1, cosineCeiling: best.cosine + 0.05 });
    const answer = await semantic.ask({ question: CROSS_LINGUAL });
    expect(answer.grounded).toBe(true);
    expect(answer.language).toBe('zh');
    expect(answer.citations[0]).toMatchObject({ id: best.id, start: best.start });
    expect(answer.citations[0]!.score).toBeCloseTo(2 / 3, 2);
    expectExactQuotes(answer);
  });

  it('refuses the same question when the calibration puts its best cosine below the grounding point', async () => {
    const best = await bestCrossLingualSentence(CROSS_LINGUAL);
    const strict = engine({ embedder: embeddings, cosineFloor: best.cosine - 0.02, cosineCeiling: best.cosine + 0.2 });
    expect((await strict.ask({ question: CROSS_LINGUAL })).grounded).toBe(false);
  });

  it('caches sentence vectors per record: asking again embeds nothing new', async () => {
    const semantic = engine({ embedder: embeddings });
    const before = embeddings.passagesEmbedded;
    const first = await semantic.ask({ question: CROSS_LINGUAL });
    const afterFirst = embeddings.passagesEmbedded;
    expect(afterFirst).toBeGreaterThan(before);
    const second = await semantic.ask({ question: CROSS_LINGUAL });
    expect(embeddings.passagesEmbedded).toBe(afterFirst);
    expect(second).toEqual({ ...first, retrieval: second.retrieval });
    expectExactQuotes(second);
  });

  it('evicts the least recently used record when the cache is full', async () => {
    const { hits } = await services.retriever.search({ query: CROSS_LINGUAL, k: 5 });
    const english = hits.filter((h) => detectLanguage(h.record.abstract) === 'en');
    expect(english.length).toBeGreaterThanOrEqual(2);
    const scorer = new SemanticEvidence(embeddings, { semanticRecords: 1, cacheRecords: 1 });
    const count = (i: number) => splitSentences(english[i]!.record.abstract).length;
    const embedded = async (i: number) => {
      const before = embeddings.passagesEmbedded;
      await scorer.score(CROSS_LINGUAL, [english[i]!]);
      return embeddings.passagesEmbedded - before;
    };
    expect(await embedded(0)).toBe(count(0));
    expect(await embedded(0)).toBe(0);
    expect(await embedded(1)).toBe(count(1)); // evicts record 0
    expect(await embedded(0)).toBe(count(0));
    expect(scorer.cachedRecords).toBe(1);
  });

  it('without a same-language calibration, leaves same-language sentences to lexical evidence: identical answers, nothing embedded', async () => {
    // The language filter keeps every hit in the question's language, so the semantic step has nothing to judge —
    // even with a cross-language calibration that would ground anything it did judge.
    const questions: Array<[string, 'en' | 'zh']> = [
      ['Does 4-1BB costimulation reduce exhaustion caused by tonic CAR signaling?', 'en'],
      ['What is the best recipe for sourdough bread?', 'en'],
      ['What is the population of Canada?', 'en'],
      ['如何逆转CAR-T细胞耗竭？', 'zh'],
      ['长江流经哪些省份？', 'zh'],
    ];
    const semantic = engine({ embedder: embeddings, cosineFloor: -1, cosineCeiling: -0.5, sameLanguage: {} });
    const lexical = engine();
    for (const [question, language] of questions) {
      const before = embeddings.passagesEmbedded;
      const a = await semantic.ask({ question, filters: { language } });
      expect(embeddings.passagesEmbedded, question).toBe(before);
      const b = await lexical.ask({ question, filters: { language } });
      expect({ ...a, retrieval: null }, question).toEqual({ ...b, retrieval: null });
    }
  });

  it('without a same-language calibration, scores only sentences in another language than the question', async () => {
    const { hits } = await services.retriever.search({ query: 'What is the best recipe for sourdough bread?', k: 5 });
    expect(hits.some((hit) => detectLanguage(hit.record.abstract) === 'zh')).toBe(true);
    const scores = await new SemanticEvidence(embeddings, { sameLanguage: {} }).score('What is the best recipe for sourdough bread?', hits);
    for (const hit of hits) {
      const sentences = splitSentences(hit.record.abstract);
      const recordScores = scores.get(hit.record.id);
      if (detectLanguage(hit.record.abstract) === 'en') expect(recordScores, hit.record.id).toBeUndefined();
      else sentences.forEach((s, i) => expect(recordScores?.[i] === undefined, s.text).toBe(detectLanguage(s.text) === 'en'));
    }
  });

  it('scores each language pair on its own calibration: same-language sentences on the question language\'s, others on the cross one', async () => {
    const question = 'Does 4-1BB costimulation reduce exhaustion caused by tonic CAR signaling?';
    const { hits } = await services.retriever.search({ query: question, k: 10 });
    expect(hits.some((hit) => detectLanguage(hit.record.abstract) === 'zh')).toBe(true);
    // Linear maps chosen so that the two calibrations give different scores for the same cosine.
    const scorer = new SemanticEvidence(embeddings, { semanticRecords: 10, cosineFloor: 0, cosineCeiling: 1, sameLanguage: { en: { floor: -1, ceiling: 1 } } });
    const scores = await scorer.score(question, hits);
    const query = await embeddings.embedQuery(question);
    let checked = { en: 0, zh: 0 };
    for (const hit of hits) {
      const sentences = splitSentences(hit.record.abstract);
      const vectors = await embeddings.embedDocuments(sentences.map((s) => s.text.slice(0, 400)));
      sentences.forEach((sentence, i) => {
        const cosine = dot(query, vectors[i]!);
        const english = detectLanguage(sentence.text) === 'en';
        const expected = english ? (cosine + 1) / 2 : Math.min(1, Math.max(0, cosine));
        expect(scores.get(hit.record.id)?.[i], sentence.text).toBeCloseTo(expected, 2);
        checked = { ...checked, [english ? 'en' : 'zh']: checked[english ? 'en' : 'zh'] + 1 };
      });
    }
    expect(checked.en).toBeGreaterThan(0);
    expect(checked.zh).toBeGreaterThan(0);
  });

  it('judges an own-language question by its words first: a grounded one embeds no sentence, a refused one then runs the semantic step', async () => {
    // A same-language calibration that grounds any sentence it judges: only whether the step runs decides the answer.
    const grounding = engine({ embedder: embeddings, sameLanguage: { en: { floor: -1, ceiling: -0.5 } } });
    const grounded = 'Does 4-1BB costimulation reduce exhaustion caused by tonic CAR signaling?';
    expect((await engine().ask({ question: grounded, filters: { language: 'en' } })).grounded).toBe(true);
    let before = embeddings.passagesEmbedded;
    const byWords = await grounding.ask({ question: grounded, filters: { language: 'en' } });
    expect(embeddings.passagesEmbedded).toBe(before);
    expect({ ...byWords, retrieval: null }).toEqual({ ...(await engine().ask({ question: grounded, filters: { language: 'en' } })), retrieval: null });

    // Refused by its words (precondition), so the semantic step runs and its calibration grounds it.
    const paraphrase = 'Which costimulatory domain keeps chimeric receptor cells from tiring under constant self-activation?';
    const lexical = await engine().ask({ question: paraphrase, filters: { language: 'en' } });
    expect(lexical.grounded).toBe(false);
    before = embeddings.passagesEmbedded;
    const bySemantic = await grounding.ask({ question: paraphrase, filters: { language: 'en' } });
    expect(embeddings.passagesEmbedded).toBeGreaterThan(before);
    expect(bySemantic.grounded).toBe(true);
    expectExactQuotes(bySemantic);
  });

  it('keeps lexical-only engines exactly as they were: no embedder, no semantic fields on evidence', async () => {
    const lexicalServices = await openServices(project.config, createLogger('silent'), { lexicalOnly: true });
    expect(lexicalServices.retriever.effectiveMode).toBe('lexical');
    const before = embeddings.passagesEmbedded;
    const answer = await lexicalServices.engine.ask({ question: CROSS_LINGUAL });
    // Grounded through the dictionary, with nothing embedded.
    expect(answer.translated_terms).toContain('fibroblast');
    expect(embeddings.passagesEmbedded).toBe(before);
  });
});
