/**
 * `--split dev`: every variant (rankWeight × titleCredit × term rule) over the threshold grid, the three picks, then
 * maxSentences at the recommendation.
 */
import { chooseSetting, type Candidate } from './choose.js';
import { evaluateNamed } from './evaluate-named.js';
import { log, pct, quantiles } from './format.js';
import { groundingSweep, printGrounding } from './grounding.js';
import { bestCoverage } from './lexical-ask.js';
import type { LexicalContext } from './lexical-context.js';
import { sanity, type SanityResult } from './off-topic.js';
import { OFF_TOPIC, ON_TOPIC } from './sanity-questions.js';
import { printSciFact, scifactRun, type SciFactRow } from './scifact-citations.js';
import {
  addFlagsSetting,
  DEFAULTS,
  MAX_SENTENCES,
  MIN_MATCHED_TERMS,
  RANK_WEIGHTS,
  THRESHOLDS,
  TIE_TOLERANCE,
  TITLE_CREDITS,
  type Setting,
} from './settings.js';

/** Runs the dev sweep into `target`; returns the named settings (defaults, the three picks, flags). */
export async function devSweep(ctx: LexicalContext, target: Record<string, unknown>): Promise<Record<string, Setting>> {
  const { answerable, unanswerable, pubmedQuestions } = ctx;
  const candidates: Candidate[] = [];
  const variants: unknown[] = [];
  const scifactRows: SciFactRow[] = [];
  const sanityByVariant: unknown[] = [];
  for (const minMatchedTerms of MIN_MATCHED_TERMS) {
    for (const rankWeight of RANK_WEIGHTS) {
      for (const titleCredit of TITLE_CREDITS) {
        const base = { rankWeight, titleCredit, maxSentences: DEFAULTS.maxSentences, minMatchedTerms };
        const started = performance.now();
        const rows = await groundingSweep(answerable, unanswerable, pubmedQuestions, base, THRESHOLDS);
        const sanityRows: SanityResult[] = [];
        for (const minCoverage of THRESHOLDS) {
          const setting = { ...base, minCoverage };
          const s = await sanity(ctx.shipped, setting);
          sanityRows.push(s);
          const row = rows.find((r) => r.minCoverage === minCoverage)!;
          candidates.push({ setting, row, offTopicAllRefused: s.off_topic_answered.length === 0 });
          scifactRows.push(await scifactRun(ctx.scifact, ctx.scifactClaims, setting));
        }
        const variant: Record<string, unknown> = { minMatchedTerms, rankWeight, titleCredit, sweep: rows };
        if (minMatchedTerms === 1) {
          // How the best sentence's coverage is distributed: where a threshold can fall at all.
          const answerableCoverage: number[] = [];
          const unanswerableCoverage: number[] = [];
          for (const q of pubmedQuestions) {
            answerableCoverage.push(await bestCoverage(answerable, { ...base, minCoverage: 0 }, q.query));
            unanswerableCoverage.push(await bestCoverage(unanswerable, { ...base, minCoverage: 0 }, q.query));
          }
          variant.best_coverage_quantiles = { answerable: quantiles(answerableCoverage), unanswerable: quantiles(unanswerableCoverage) };
        }
        variants.push(variant);
        sanityByVariant.push({
          minMatchedTerms,
          rankWeight,
          titleCredit,
          by_threshold: sanityRows.map((s) => ({
            minCoverage: s.setting.minCoverage,
            off_topic_refused: s.off_topic_refused,
            off_topic_answered: s.off_topic_answered,
            on_topic_grounded: s.on_topic_grounded,
            on_topic_refused: s.on_topic_refused,
            cross_lingual_grounded: s.cross_lingual_grounded,
          })),
        });
        const took = ((performance.now() - started) / 1000).toFixed(0);
        printGrounding(`PubMedQA grounding (dev), minMatchedTerms=${minMatchedTerms} rankWeight=${rankWeight} titleCredit=${titleCredit} (${took} s)`, rows);
        log(`  off-topic refused: ${sanityRows.map((s) => `${s.setting.minCoverage}:${s.off_topic_refused}`).join(' ')} (of ${OFF_TOPIC.length})`);
        log(`  on-topic grounded: ${sanityRows.map((s) => `${s.setting.minCoverage}:${s.on_topic_grounded}`).join(' ')} (of ${ON_TOPIC.length})`);
      }
    }
  }

  // Three questions, three picks: the best decisions with the engine as it is; the best that also refuses every
  // off-topic question with the engine as it is (threshold only); the same with the proposed term rule.
  const shippedEngine = candidates.filter((c) => c.setting.minMatchedTerms === 1);
  const withRule = candidates.filter((c) => c.setting.minMatchedTerms === 2);
  const picks = {
    balanced: chooseSetting(shippedEngine, false),
    threshold_only: chooseSetting(shippedEngine, true),
    recommended: chooseSetting(withRule, true),
  };
  const named: Record<string, Setting> = { defaults: DEFAULTS };
  for (const [name, pick] of Object.entries(picks)) {
    named[name] = pick.chosen.setting;
    log(
      `\n${name}: dev-optimal ${JSON.stringify(pick.best.setting)} bal.acc ${pct(pick.best.row.balanced_accuracy)}; ` +
        `${pick.ties.length} setting(s) within ${TIE_TOLERANCE * 100} pt; chosen (fewest changed defaults) ${JSON.stringify(pick.chosen.setting)}`,
    );
  }
  addFlagsSetting(named, ctx.overrides);
  const selected = named.recommended!;

  log('\nSciFact citations (dev, maxSentences=3) along the threshold grid of the recommended variant:');
  printSciFact(scifactRows.filter((r) => r.rankWeight === selected.rankWeight && r.titleCredit === selected.titleCredit && r.minMatchedTerms === selected.minMatchedTerms));
  log('SciFact citations (dev) by titleCredit and rankWeight at the recommended threshold and term rule:');
  printSciFact(scifactRows.filter((r) => r.minCoverage === selected.minCoverage && r.minMatchedTerms === selected.minMatchedTerms));

  // maxSentences changes only which supporting sentences are quoted, so it is swept at the pick.
  const maxSentenceRows: SciFactRow[] = [];
  for (const maxSentences of MAX_SENTENCES) maxSentenceRows.push(await scifactRun(ctx.scifact, ctx.scifactClaims, { ...selected, maxSentences }));
  log('\nSciFact citations (dev) by maxSentences at the recommended setting:');
  printSciFact(maxSentenceRows);

  const summary = await evaluateNamed(ctx, named);
  Object.assign(target, {
    grid: { minCoverage: THRESHOLDS, rankWeight: RANK_WEIGHTS, titleCredit: TITLE_CREDITS, maxSentences: MAX_SENTENCES, minMatchedTerms: MIN_MATCHED_TERMS },
    pubmedqa_grounding: variants,
    scifact_citations: scifactRows,
    scifact_by_max_sentences: maxSentenceRows,
    shipped_sanity: sanityByVariant,
    selection_rule:
      'max dev PubMedQA balanced accuracy; within ' + TIE_TOLERANCE + ' of the best is a tie, broken by fewest changed defaults, ' +
      'then accuracy. balanced: engine as shipped (minMatchedTerms 1), no constraint. threshold_only: engine as shipped, only ' +
      `settings refusing all ${OFF_TOPIC.length} off-topic questions. recommended: with the proposed term rule (minMatchedTerms 2), ` +
      'only settings refusing all off-topic questions. maxSentences is not chosen by this rule (it does not change grounding); ' +
      'see scifact_by_max_sentences.',
    picks: Object.fromEntries(
      Object.entries(picks).map(([name, p]) => [
        name,
        {
          dev_optimal: { setting: p.best.setting, grounding: p.best.row, off_topic_all_refused: p.best.offTopicAllRefused },
          ties: p.ties.map((t) => ({ setting: t.setting, balanced_accuracy: t.row.balanced_accuracy })),
          chosen: p.chosen.setting,
        },
      ]),
    ),
    named,
    results: summary,
  });
  return named;
}
