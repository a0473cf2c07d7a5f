/**
 * `--semantic`: the semantic evidence step with the real model (kept small: embedding runs at ~7–20 passages/s here).
 * Writes bench/results/answer-eval-semantic-<split>.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SentenceEmbedder } from '../../src/answer/semantic-evidence.js';
import { loadEmbeddingModel } from '../../src/ingest/model-loader.js';
import { detectLanguage } from '../../src/text/language.js';
import { splitSentences } from '../../src/text/sentences.js';
import { readDocuments, readQueries, readShippedCorpus, REPO_ROOT, type QueryRow } from './data.js';
import { log, pct, quantiles, round } from './format.js';
import { resultPath, treeState, writeReport } from './results.js';
import { CROSS_LINGUAL, OFF_TOPIC } from './sanity-questions.js';
import { askHiding, buildSemanticEnv, memoEmbedder, semanticEngine, type SemanticEnv, type SemanticSetting } from './semantic-env.js';
import { semanticGrounding, semanticLatency, semanticSanity } from './semantic-measures.js';
import { K, TIE_TOLERANCE } from './settings.js';

/** Cosine floor × width grid of the semantic calibration; the grounding cosine is floor + minCoverage × width. */
const SEMANTIC_FLOORS = [0.74, 0.76, 0.78, 0.79, 0.795, 0.8, 0.805, 0.81, 0.815, 0.82, 0.84];
const SEMANTIC_WIDTHS = [0.08];
/**
 * The engine's shipped calibration (src/answer/semantic-evidence.ts defaults): grounding cosine 0.85. Not the dev
 * rule's pick (0.86): WMT first-sentence queries are translations, whose cosines run higher than real questions'
 * (see best_evidence_with_raw_cosine), and 0.86 refuses most short cross-lingual questions. Reported beside it.
 */
const SEMANTIC_SHIPPED: SemanticSetting = { name: 'shipped_default', cosineFloor: 0.81, cosineCeiling: 0.89 };
/** PubMedQA distractors added to the split's gold abstracts (the full 6k-document pool would take ~30 min to embed). */
const SEMANTIC_DISTRACTORS = 300;

/**
 * `--semantic`: dev sweeps the cosine floor × width of the semantic step and picks the setting with the best WMT
 * zh→en strict balanced accuracy among those that refuse every off-topic question and keep PubMedQA balanced
 * accuracy within TIE_TOLERANCE of lexical-only evidence (ties → the higher grounding cosine, the more cautious);
 * test evaluates lexical-only and the dev pick once.
 */
export async function semanticEval(splitName: 'dev' | 'test', dataDir: string, limit: number): Promise<void> {
  const started = performance.now();
  log(`answer-eval --semantic --split ${splitName} (hybrid retrieval, real model, k=${K}, ${limit} PubMedQA questions)`);
  const loaded = await loadEmbeddingModel({ modelId: 'Xenova/multilingual-e5-small', modelDir: path.join(REPO_ROOT, 'models'), cacheDir: path.join(REPO_ROOT, '.cache/models'), allowDownload: false });
  if (!loaded.ok) throw new Error(loaded.reason);
  const embedder = memoEmbedder(loaded.model.embeddings);
  const model = { ...loaded.model, embeddings: loaded.model.embeddings };

  const wmtFolder = path.join(dataDir, 'wmt_biomed_zh_en');
  const wmtDocs = (await readDocuments(wmtFolder)).filter((d) => detectLanguage(d.abstract) === 'en');
  const wmtQuestions = readQueries(wmtFolder, splitName).filter(
    (q) => q.meta.query_type === 'first_sentence' && detectLanguage(q.query) === 'zh' && q.gold_doc_ids.every((id) => wmtDocs.some((d) => d.id === id)),
  );
  const pubmedFolder = path.join(dataDir, 'pubmedqa_pqal');
  const pubmedAll = await readDocuments(pubmedFolder);
  const pubmedQs = readQueries(pubmedFolder, splitName).slice(0, limit);
  const gold = new Set(pubmedQs.flatMap((q) => q.gold_doc_ids));
  const pubmedPool = [...pubmedAll.filter((d) => gold.has(d.id)), ...pubmedAll.filter((d) => !gold.has(d.id)).slice(0, SEMANTIC_DISTRACTORS)];
  const shippedRecords = await readShippedCorpus();
  log(`  WMT zh→en first-sentence: ${wmtQuestions.length} questions, ${wmtDocs.length} English abstracts; PubMedQA: ${pubmedQs.length} questions, ${pubmedPool.length} abstracts`);

  const wmt = await buildSemanticEnv('wmt en', wmtDocs, model, embedder);
  const pubmed = await buildSemanticEnv('pubmedqa subset', pubmedPool, model, embedder);
  const shippedSem = await buildSemanticEnv('shipped corpus', shippedRecords, model, embedder);
  const firstSentence = (q: QueryRow): [number, number] => {
    const s = splitSentences(wmt.index.recordById.get(q.gold_doc_ids[0]!)!.abstract)[0]!;
    return [s.start, s.end];
  };

  const evaluate = async (setting: SemanticSetting, withPubmed: boolean) => {
    const t = performance.now();
    const row = {
      setting,
      ground_cosine: setting.cosineFloor === undefined ? null : round(setting.cosineFloor + 0.5 * (setting.cosineCeiling! - setting.cosineFloor), 3),
      wmt_zh_en: await semanticGrounding(wmt, semanticEngine(wmt, setting, embedder), wmtQuestions, firstSentence),
      pubmedqa: withPubmed ? await semanticGrounding(pubmed, semanticEngine(pubmed, setting, embedder), pubmedQs) : null,
      sanity: await semanticSanity(shippedSem, semanticEngine(shippedSem, setting, embedder)),
    };
    const w = row.wmt_zh_en;
    log(
      `  ${setting.name.padEnd(22)} wmt strict bal.acc ${pct(w.strict_balanced_accuracy)} (answered+gold ${pct(w.strict_grounded_rate)}, refused ${pct(w.refusal_rate)}, sentence ${pct(w.translated_sentence_cited ?? 0)})` +
        (row.pubmedqa ? ` | pubmedqa bal.acc ${pct(row.pubmedqa.balanced_accuracy)}` : '') +
        ` | off-topic refused ${row.sanity.off_topic_refused}/${row.sanity.off_topic_n}, cross ${row.sanity.cross_lingual_grounded}/${CROSS_LINGUAL.length} (${((performance.now() - t) / 1000).toFixed(0)} s, ${embedder.calls} passages)`,
    );
    return row;
  };

  const bestEvidence = await bestEvidenceDistribution(wmt, shippedSem, wmtQuestions, embedder);
  log(`  best evidence (raw cosine): ${JSON.stringify(bestEvidence)}`);

  const baseline: SemanticSetting = { name: 'lexical_only' };
  const report: Record<string, unknown> = {
    split: splitName,
    mode: 'hybrid',
    generated_at: new Date().toISOString(),
    tree: treeState(),
    protocol:
      'WMT: zh first-sentence queries, pool = the English abstracts of wmt_biomed_zh_en; answerable = gold in the pool, unanswerable = ' +
      'the same query with its gold hidden from the results. strict = grounded with the gold abstract cited first; ' +
      'translated_sentence_cited = a gold citation overlaps the English first sentence (the query is its translation). ' +
      `PubMedQA: ${pubmedQs.length} questions of the split, pool = their gold + ${SEMANTIC_DISTRACTORS} other PubMedQA abstracts, same hiding. ` +
      'Sanity: off-topic / on-topic / cross-lingual questions on the shipped corpus, as in DEFINITIONS.offTopic.',
    best_evidence_with_raw_cosine: bestEvidence,
    data: { wmt_questions: wmtQuestions.length, wmt_documents: wmtDocs.length, pubmedqa_questions: pubmedQs.length, pubmedqa_documents: pubmedPool.length },
  };
  let chosen: SemanticSetting;
  const rows = [await evaluate(baseline, true)];
  if (splitName === 'dev') {
    for (const floor of SEMANTIC_FLOORS) {
      for (const width of SEMANTIC_WIDTHS) {
        rows.push(await evaluate({ name: `floor${floor}_w${width}`, cosineFloor: floor, cosineCeiling: round(floor + width, 3) }, true));
      }
    }
    const base = rows[0]!;
    const feasible = rows.slice(1).filter((r) => r.sanity.off_topic_answered.length === 0 && r.pubmedqa!.balanced_accuracy >= base.pubmedqa!.balanced_accuracy - TIE_TOLERANCE);
    const best = Math.max(...feasible.map((r) => r.wmt_zh_en.strict_balanced_accuracy));
    const pick = feasible.filter((r) => r.wmt_zh_en.strict_balanced_accuracy >= best - TIE_TOLERANCE).sort((a, b) => b.ground_cosine! - a.ground_cosine!)[0];
    chosen = pick ? { ...pick.setting, name: 'chosen' } : baseline;
    rows.push(await evaluate({ ...chosen, name: 'chosen_all_languages', languages: 'all' }, false));
    report.selection_rule =
      'feasible: all off-topic refused and PubMedQA balanced accuracy >= lexical_only - ' + TIE_TOLERANCE + '; best WMT strict balanced accuracy, ' +
      'within ' + TIE_TOLERANCE + ' a tie broken by the higher grounding cosine (floor + 0.5 x width). chosen_all_languages: the pick with same-language sentences scored too (not eligible; shows why the step is cross-lingual only).';
  } else {
    const devPath = resultPath('answer-eval-semantic-dev.json');
    chosen = existsSync(devPath) ? (JSON.parse(readFileSync(devPath, 'utf8')) as { chosen: SemanticSetting }).chosen : { name: 'engine_defaults', cosineFloor: 0.8, cosineCeiling: 0.88 };
    rows.push(await evaluate(chosen, true));
    rows.push(await evaluate(SEMANTIC_SHIPPED, true));
  }
  report.shipped_default = SEMANTIC_SHIPPED;
  report.chosen = chosen;
  report.rows = rows;
  report.latency_added = await semanticLatency(shippedSem, loaded.model.embeddings, SEMANTIC_SHIPPED);
  log(`  latency added (shipped corpus): ${JSON.stringify(report.latency_added)}`);
  report.took_s = Math.round((performance.now() - started) / 1000);
  const out = writeReport(`answer-eval-semantic-${splitName}.json`, report);
  log(`wrote ${out} (${report.took_s} s); chosen ${JSON.stringify(chosen)}`);
}

/** Where a threshold can fall: the best evidence of each question with cosine itself as the score (floor 0, ceiling 1). */
async function bestEvidenceDistribution(wmt: SemanticEnv, shippedSem: SemanticEnv, wmtQuestions: QueryRow[], embedder: SentenceEmbedder) {
  const raw: SemanticSetting = { name: 'raw_cosine', cosineFloor: 0, cosineCeiling: 1 };
  const bestScore = async (env: SemanticEnv, question: string, hidden: string[] = []) =>
    (await askHiding(env, semanticEngine(env, raw, embedder), question, hidden)).citations[0]?.score ?? 0;
  const dist = { wmt_answerable: [] as number[], wmt_unanswerable: [] as number[], shipped_cross_lingual: [] as number[], shipped_off_topic: [] as number[] };
  for (const q of wmtQuestions) {
    dist.wmt_answerable.push(await bestScore(wmt, q.query));
    dist.wmt_unanswerable.push(await bestScore(wmt, q.query, q.gold_doc_ids));
  }
  for (const q of CROSS_LINGUAL) dist.shipped_cross_lingual.push(await bestScore(shippedSem, q));
  for (const q of OFF_TOPIC) dist.shipped_off_topic.push(await bestScore(shippedSem, q));
  return Object.fromEntries(Object.entries(dist).map(([k, v]) => [k, { ...quantiles(v), max: Math.max(...v), values: k.startsWith('shipped') ? v : undefined }]));
}
