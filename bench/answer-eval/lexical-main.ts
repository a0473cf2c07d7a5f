/** The lexical evaluation (`--split dev|test` without `--semantic`): data, context figures, the split's run, the report. */
import { bioasqCheck } from './bioasq.js';
import { DEFINITIONS } from './definitions.js';
import { devSweep } from './dev-sweep.js';
import { log, pct, ratio } from './format.js';
import { loadLexicalContext, type LexicalContext, type LexicalOptions } from './lexical-context.js';
import { treeState, writeReport } from './results.js';
import { CROSS_LINGUAL, OFF_TOPIC, ON_TOPIC } from './sanity-questions.js';
import { checkRationaleMapping } from './scifact-citations.js';
import { CHUNKING, DEFAULTS, K } from './settings.js';
import { testRun } from './test-run.js';

/** Retrieval alone, for context: grounding can only cite the gold abstract when retrieval finds it. */
async function pubmedRetrieval(ctx: LexicalContext): Promise<Record<string, number>> {
  let goldAt1 = 0;
  let goldAtK = 0;
  for (const q of ctx.pubmedQuestions) {
    const result = await ctx.answerable.retriever.search({ query: q.query, k: K });
    const ids = result.hits.map((h) => h.record.id);
    if (q.gold_doc_ids.includes(ids[0]!)) goldAt1++;
    if (ids.some((id) => q.gold_doc_ids.includes(id))) goldAtK++;
  }
  const n = ctx.pubmedQuestions.length;
  const retrieval = { gold_at_1: ratio(goldAt1, n), [`gold_at_${K}`]: ratio(goldAtK, n) };
  log(`  PubMedQA retrieval (answerable index): gold@1 ${pct(retrieval.gold_at_1)}%, gold@${K} ${pct(ratio(goldAtK, n))}%`);
  return retrieval;
}

/** Runs the lexical evaluation of a split and writes bench/results/answer-eval-<split>.json. */
export async function runLexical(options: LexicalOptions, skipBioasq: boolean): Promise<void> {
  const startedAll = performance.now();
  const { split, limit } = options;
  log(`answer-eval --split ${split}  (lexical mode, k=${K})`);
  const ctx = await loadLexicalContext(options);
  const retrieval = await pubmedRetrieval(ctx);

  const rationaleMapping = checkRationaleMapping(ctx.scifactDocs);
  log(
    `  SciFact rationale mapping: ${rationaleMapping.spans} sentence spans, ${rationaleMapping.outOfRange} out of range, ` +
      `${pct(rationaleMapping.exactSentenceMatch)}% coincide exactly with a product sentence`,
  );

  const report: Record<string, unknown> = {
    split,
    ...(Number.isFinite(limit) && { limit, warning: 'smoke run on a prefix of each set: not comparable' }),
    generated_at: new Date().toISOString(),
    tree: treeState(),
    mode: 'lexical',
    k: K,
    chunking: CHUNKING,
    engine_defaults: DEFAULTS,
    definitions: DEFINITIONS,
    data: {
      pubmedqa: { documents: ctx.pubmedDocs.length, questions: ctx.pubmedQuestions.length, distractors: ctx.scifactDocs.length },
      scifact: {
        documents: ctx.scifactDocs.length,
        claims: ctx.scifactClaims.length,
        support_contradict: ctx.scifactClaims.filter((q) => q.answer?.verdict !== 'NOT_ENOUGH_INFO').length,
        rationale_mapping: rationaleMapping,
      },
      shipped_corpus: { records: ctx.shippedRecords.length, off_topic: OFF_TOPIC.length, on_topic: ON_TOPIC.length, cross_lingual: CROSS_LINGUAL.length },
    },
    pubmedqa_retrieval: retrieval,
  };

  // The settings the run reports on, by name (see the comment of bench/answer-eval.ts).
  const named = split === 'dev' ? await devSweep(ctx, report) : await testRun(ctx, report);

  if (!skipBioasq) await bioasqCheck(options, report, named);

  report.took_s = Math.round((performance.now() - startedAll) / 1000);
  const out = writeReport(`answer-eval-${split}.json`, report);
  log(`\nwrote ${out} (${report.took_s} s)`);
}
