/**
 * Answers across languages with no model at all (lexical mode), over the shipped corpus: dictionary translation
 * finds and grounds an English abstract for a Chinese question and a Chinese abstract for an English one, quotes
 * stay verbatim in their own language under a lead-in in the question's, and off-topic questions stay refused.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnswerEngine } from '../../src/answer/answer-engine.js';
import { MESSAGES } from '../../src/answer/messages.js';
import { readCorpus } from '../../src/corpus/read-corpus.js';
import { buildSearchIndex } from '../../src/ingest/build-index.js';
import type { SearchIndex } from '../../src/ingest/index-store.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { createTokenizer } from '../../src/text/tokenize.js';
import { REPO_ROOT } from '../../bench/support/temp-project.js';

const CASES: Array<[question: string, recordId: string, translated: string[]]> = [
  ['放疗联合免疫检查点阻断如何激活抗肿瘤免疫？', 'demo-scifact-4468861', ['immune checkpoint', 'blockade']],
  ['How do natural killer cells and dendritic cells interact?', 'demo-fewclue-csldcp-3800', ['自然杀伤细胞', '树突状细胞']],
  ['What role do OX40 and its ligand play in T cell activation?', 'demo-fewclue-csl-389', ['配体']],
];

const OFF_TOPIC = ['如何烤制酸面包？', '红烧肉怎么做？', 'What is the best recipe for sourdough bread?', 'What is the population of Canada?'];

describe('cross-lingual answers without a model (shipped corpus)', () => {
  const tokenizer = createTokenizer();
  let index: SearchIndex;
  let engine: AnswerEngine;

  beforeAll(async () => {
    const corpusDir = path.join(REPO_ROOT, 'corpus');
    const corpus = await readCorpus([corpusDir], { root: corpusDir });
    index = (await buildSearchIndex({ records: corpus.records, tokenizer, chunking: { maxTokens: 380, overlapTokens: 60 } })).index;
    expect(new Set(index.records.map((r) => r.language))).toEqual(new Set(['en', 'zh']));
    engine = new AnswerEngine(new Retriever(index, tokenizer), tokenizer);
  }, 120_000);

  it.each(CASES)('answers %j from %s in lexical mode, quoting it exactly', async (question, recordId, translated) => {
    const answer = await engine.ask({ question });
    expect(answer.retrieval.mode).toBe('lexical');
    expect(answer.grounded, answer.answer).toBe(true);
    expect(answer.citations[0]!.id, answer.answer).toBe(recordId);
    for (const c of answer.citations) expect(index.recordById.get(c.id)!.abstract.slice(c.start, c.end)).toBe(c.quote);
    expect(answer.translated_terms).toEqual(expect.arrayContaining(translated));
  }, 60_000);

  it('leads a Chinese question\'s answer in Chinese while the English quote stays verbatim', async () => {
    const answer = await engine.ask({ question: CASES[0]![0] });
    expect(answer.language).toBe('zh');
    expect(answer.answer.startsWith(MESSAGES.zh.quotedPrefix)).toBe(true);
    expect(answer.answer).toContain(answer.citations[0]!.quote);
    expect(answer.citations[0]!.quote).not.toMatch(/\p{Script=Han}/u);
  }, 60_000);

  it.each(OFF_TOPIC)('still refuses the off-topic question %j', async (question) => {
    expect((await engine.ask({ question })).grounded).toBe(false);
  }, 60_000);
});
