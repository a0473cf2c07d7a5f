/**
 * Calibrates and measures when the extractive answerer answers and when it refuses, and whether what it cites is
 * the right source. Lexical mode (no embedding model), real index building, the real AnswerEngine with options
 * passed through its constructor.
 *
 * Run: node --import tsx bench/answer-eval.ts --split dev|test [--min-coverage x] [--rank-weight x]
 *      [--title-credit x] [--max-sentences n] [--min-matched-terms n] [--data ../shared/data] [--skip-bioasq] [--limit n]
 *
 * - `--split dev` sweeps minCoverage × rankWeight × titleCredit × term rule (and maxSentences at the pick) and picks
 *   three named settings (rule in `chooseSetting`, answer-eval/choose.ts): `balanced` (engine as shipped, best
 *   decisions), `threshold_only` (engine as shipped, also refusing every off-topic question), `recommended` (with
 *   the proposed term rule, also refusing every off-topic question). `defaults` is always reported alongside.
 * - `--split test` evaluates, once each, the named settings of the dev report (or only the defaults without one).
 *   The threshold curve of `recommended` is printed for context; nothing is chosen on test.
 * - Setting flags add a setting named `flags` (the engine defaults with the flags applied) to either run.
 *
 * Writes bench/results/answer-eval-<split>.json. The measures are explained in `DEFINITIONS`
 * (answer-eval/definitions.ts, also in the report).
 *
 * `--semantic` runs a separate, smaller evaluation instead: the semantic evidence step with the real embedding model
 * (hybrid retrieval), see `semanticEval` in answer-eval/semantic.ts. Writes
 * bench/results/answer-eval-semantic-<split>.json.
 *
 * The code lives in bench/answer-eval/ (entry: cli.ts); this file is the documented command.
 */
import { main } from './answer-eval/cli.js';

await main();
