/**
 * Cross-lingual answers with the real model: Chinese questions about English abstracts of the shipped corpus are
 * answered from the right abstract through the semantic evidence step, and off-topic questions are still refused.
 * Runs only when scripts/fetch-model has put multilingual-e5-small under models/; otherwise it is reported as skipped,
 * with that reason. Builds the shipped corpus's index with the real model in a temp project (~1 min).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answer/citations.js';
import { createLogger } from '../../src/logger.js';
import { openServices, type OpenedServices } from '../../src/app/services.js';
import { noWeightsReason, REAL_MODEL_DIR as modelDir, skippable } from '../support/real-model.js';
import { createTempProject, type TempProject } from '../../bench/support/temp-project.js';

/**
 * Chinese question → the English abstract that answers it. The first two share no word with their abstract but
 * "PD-L1"; SATB1 and PD-1 are shared, so lexical and semantic evidence agree there.
 */
const CROSS_LINGUAL: Array<[string, string]> = [
  ['PD-L1表达与肿瘤患者的临床结局有关吗？', 'demo-scifact-8963413'],
  ['肿瘤相关成纤维细胞如何影响抗肿瘤免疫？', 'demo-scifact-32742683'],
  ['SATB1如何调控PD-1表达？', 'demo-scifact-5377642'],
];

/**
 * Hybrid retrieval across languages (issue #9): a Chinese question cites the right English abstract first, an English
 * question the right Chinese abstract, past same-language decoys (three Chinese abstracts about NK/DC cells and OX40;
 * sixty English ones about tumour immunology).
 */
const CITED_FIRST_ACROSS: Array<[string, string]> = [
  ['放疗联合免疫检查点阻断如何激活抗肿瘤免疫？', 'demo-scifact-4468861'],
  ['哪种转录因子在肿瘤反应性T细胞中抑制PD-1的表达？', 'demo-scifact-5377642'],
  ['How do natural killer cells and dendritic cells interact?', 'demo-fewclue-csldcp-3800'],
  ['What role do OX40 and its ligand play in T cell activation?', 'demo-fewclue-csl-389'],
];

/**
 * English paraphrases whose abstract ranks first (issue #9 item 5): refused while same-language evidence was left to
 * word overlap, answered now that English sentences have their own semantic calibration.
 */
const PARAPHRASED: Array<[string, string]> = [
  ['Is PD-L1 expression linked to worse outcomes across human cancers?', 'demo-scifact-8963413'],
  ['How durable are remissions after CD19-directed CAR T cells in adults with ALL?', 'demo-scifact-3462075'],
];

const OFF_TOPIC = ['如何烤制酸面包？', '红烧肉怎么做？', 'What is the best recipe for sourdough bread?', 'Who won the 2018 FIFA World Cup?', '怎样包饺子？'];

describe.skipIf(noWeightsReason)(skippable('cross-lingual answers (real model, shipped corpus)', noWeightsReason), () => {
  let project: TempProject;
  let services: OpenedServices;

  beforeAll(async () => {
    project = createTempProject({ env: { MODEL_DIR: modelDir } });
    services = await openServices(project.config, createLogger('silent'));
  }, 600_000);
  afterAll(() => project?.cleanup());

  it('runs hybrid, with the semantic step wired in', () => {
    expect(services.retriever.effectiveMode).toBe('hybrid');
  });

  it.each(CROSS_LINGUAL)('answers %j from %s, quoting it first and exactly', async (question, recordId) => {
    const answer = await services.engine.ask({ question });
    expect(answer.grounded, answer.answer).toBe(true);
    expect(answer.language).toBe('zh');
    expect(answer.citations[0]!.id, answer.answer).toBe(recordId);
    expect(checkCitations(answer.answer, answer.citations, (id) => services.index.recordById.get(id))).toEqual([]);
  }, 60_000);

  it.each(CITED_FIRST_ACROSS)('hybrid retrieval cites the other-language abstract first for %j (%s)', async (question, recordId) => {
    const answer = await services.engine.ask({ question });
    expect(answer.retrieval.mode).toBe('hybrid');
    expect(answer.citations[0]?.id, answer.answer).toBe(recordId);
  }, 60_000);

  it.each(PARAPHRASED)('answers the English paraphrase %j from %s, quoting it first and exactly', async (question, recordId) => {
    const answer = await services.engine.ask({ question });
    expect(answer.grounded, answer.answer).toBe(true);
    expect(answer.citations[0]!.id, answer.answer).toBe(recordId);
    expect(checkCitations(answer.answer, answer.citations, (id) => services.index.recordById.get(id))).toEqual([]);
  }, 60_000);

  // Known gap, not pinned here: "4-1BB共刺激能减少CAR-T细胞耗竭吗？" scores cosine 0.8498 against its answering
  // sentence, just under the grounding cosine 0.85, and is refused (see README, How an answer is made).

  it.each(OFF_TOPIC)('refuses the off-topic question %j', async (question) => {
    expect((await services.engine.ask({ question })).grounded).toBe(false);
  }, 60_000);
});
