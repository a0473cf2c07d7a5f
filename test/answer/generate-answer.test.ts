import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answer/citations.js';
import type { AbstractRecord } from '../../src/corpus/record.js';
import type { EvidenceSentence } from '../../src/answer/evidence.js';
import { createChatModel } from '../../src/answer/llm/chat-model.js';
import { GenerationRejected, generateCitedAnswer } from '../../src/answer/llm/generate-answer.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.js';

const record: AbstractRecord = {
  id: 'r1',
  title: '4-1BB costimulation and exhaustion',
  abstract: 'Tonic CAR signalling drives exhaustion. 4-1BB costimulation reduces exhaustion. CD28 augments it.',
  authors: [],
  affiliations: [],
  keywords: [],
  language: 'en',
  sourceFile: 'x.jsonl',
};
const sentence = (text: string, coverage: number): EvidenceSentence => {
  const start = record.abstract.indexOf(text);
  return { record, recordRank: 0, start, end: start + text.length, text, coverage, score: coverage, matchedTerms: [] };
};
const evidence = [
  sentence('4-1BB costimulation reduces exhaustion.', 0.9),
  sentence('Tonic CAR signalling drives exhaustion.', 0.7),
  sentence('CD28 augments it.', 0.5),
];

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm();
});
afterAll(() => llm.close());

describe('generateCitedAnswer against an OpenAI-compatible endpoint', () => {
  it('sends numbered evidence and keeps only sentences that cite it, renumbered, with exact quotes', async () => {
    llm.reply = () => 'Costimulation through 4-1BB lowers exhaustion.[1] Tonic signalling is the driver [2]. CD28 does the opposite [3].';
    const model = createChatModel({ baseUrl: llm.baseUrl, model: 'test-model' });
    const result = await generateCitedAnswer(model, 'Does 4-1BB reduce exhaustion?', 'en', evidence);
    const sent = llm.requests.at(-1)!;
    expect(sent.model).toBe('test-model');
    expect(sent.messages.at(-1)!.content).toContain('[1] (4-1BB costimulation and exhaustion) 4-1BB costimulation reduces exhaustion.');
    expect(result.answer).toBe('Costimulation through 4-1BB lowers exhaustion [1]. Tonic signalling is the driver [2]. CD28 does the opposite [3].');
    expect(result.citations.map((c) => [c.n, c.quote])).toEqual([
      [1, '4-1BB costimulation reduces exhaustion.'],
      [2, 'Tonic CAR signalling drives exhaustion.'],
      [3, 'CD28 augments it.'],
    ]);
    expect(checkCitations(result.answer, result.citations, (id) => (id === record.id ? record : undefined))).toEqual([]);
  });

  it('drops an uncited or wrongly cited sentence and renumbers by first use', async () => {
    llm.reply = () => 'CD28 augments exhaustion [3]. It also cures cancer. 4-1BB reduces it [1][3]. Unknown claim [9].';
    const model = createChatModel({ baseUrl: llm.baseUrl, model: 'test-model' });
    const result = await generateCitedAnswer(model, 'q', 'en', evidence);
    expect(result.answer).toBe('CD28 augments exhaustion [1]. 4-1BB reduces it [2][1].');
    expect(result.droppedSentences).toBe(2);
    expect(result.citations.map((c) => c.quote)).toEqual(['CD28 augments it.', '4-1BB costimulation reduces exhaustion.']);
  });

  it('rejects NO_ANSWER and replies that mostly cite nothing', async () => {
    const model = createChatModel({ baseUrl: llm.baseUrl, model: 'test-model' });
    llm.reply = () => 'NO_ANSWER';
    await expect(generateCitedAnswer(model, 'q', 'en', evidence)).rejects.toBeInstanceOf(GenerationRejected);
    llm.reply = () => 'One claim. Another claim. A cited one [1].';
    await expect(generateCitedAnswer(model, 'q', 'en', evidence)).rejects.toThrow(/only 1 of 3/);
  });
});
