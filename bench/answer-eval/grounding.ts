/**
 * The grounding protocol: every question asked once where its answer is in the corpus and once where it is not
 * (see DEFINITIONS.grounding). Shared by PubMedQA, BioASQ and the semantic evaluation.
 */
import type { Env } from './cached-index.js';
import type { QueryRow } from './data.js';
import { log, pct, ratio, round } from './format.js';
import { ask } from './lexical-ask.js';
import type { Setting } from './settings.js';

/** The part of an answer the grounding protocol looks at. */
export interface Decision {
  grounded: boolean;
  citations: ReadonlyArray<{ id: string }>;
}

/** Counts of the two runs of the protocol over a question set. */
export interface DecisionTally {
  n: number;
  /** Answerable questions answered. */
  grounded: number;
  /** …with the gold record cited first. */
  strict: number;
  /** …with the gold record among the citations. */
  anyGold: number;
  /** …strict, and `rightSentence` held. */
  rightSentence: number;
  /** Unanswerable questions answered. */
  falseGrounded: number;
}

/**
 * Asks every question where it is answerable, then where it is not, and counts the decisions. `rightSentence`
 * (optional) is checked on the strict answers only.
 */
export async function tallyDecisions<A extends Decision>(
  questions: QueryRow[],
  answerable: (q: QueryRow) => Promise<A>,
  unanswerable: (q: QueryRow) => Promise<Decision>,
  rightSentence?: (q: QueryRow, answer: A) => boolean,
): Promise<DecisionTally> {
  const tally = { n: questions.length, grounded: 0, strict: 0, anyGold: 0, rightSentence: 0, falseGrounded: 0 };
  for (const q of questions) {
    const a = await answerable(q);
    if (a.grounded) {
      tally.grounded++;
      if (q.gold_doc_ids.includes(a.citations[0]!.id)) {
        tally.strict++;
        if (rightSentence?.(q, a)) tally.rightSentence++;
      }
      if (a.citations.some((c) => q.gold_doc_ids.includes(c.id))) tally.anyGold++;
    }
    if ((await unanswerable(q)).grounded) tally.falseGrounded++;
  }
  return tally;
}

/**
 * The figures of a tally, in two groups so a report row can place its own figures between them:
 * `decisions` (answered / refused / balanced accuracy) and `strict` (the same counting only gold-first answers).
 */
export function decisionFigures({ n, grounded, strict, falseGrounded }: DecisionTally) {
  return {
    decisions: {
      n,
      grounded_rate: ratio(grounded, n),
      refusal_rate: ratio(n - falseGrounded, n),
      balanced_accuracy: round((grounded / n + (n - falseGrounded) / n) / 2),
    },
    strict: {
      strict_grounded_rate: ratio(strict, n),
      strict_balanced_accuracy: round((strict / n + (n - falseGrounded) / n) / 2),
      first_citation_precision: ratio(strict, grounded),
    },
  };
}

/** Grounding-decision figures for one setting (see DEFINITIONS.grounding). */
export interface GroundingRow {
  minCoverage: number;
  n: number;
  grounded_rate: number;
  refusal_rate: number;
  balanced_accuracy: number;
  f1: number;
  strict_grounded_rate: number;
  strict_balanced_accuracy: number;
  first_citation_precision: number;
  any_citation_gold: number;
}

/** Asks every question against the answerable and the unanswerable index at each threshold. */
export async function groundingSweep(
  answerable: Env,
  unanswerable: Env,
  questions: QueryRow[],
  base: Omit<Setting, 'minCoverage'>,
  thresholds: number[],
): Promise<GroundingRow[]> {
  const rows: GroundingRow[] = [];
  for (const minCoverage of thresholds) {
    const setting = { ...base, minCoverage };
    const tally = await tallyDecisions(
      questions,
      (q) => ask(answerable, setting, q.query),
      (q) => ask(unanswerable, setting, q.query),
    );
    const { n, grounded, falseGrounded } = tally;
    const precision = ratio(grounded, grounded + falseGrounded);
    const recall = grounded / n;
    const { decisions, strict } = decisionFigures(tally);
    rows.push({
      minCoverage,
      ...decisions,
      f1: precision + recall === 0 ? 0 : round((2 * precision * recall) / (precision + recall)),
      ...strict,
      any_citation_gold: ratio(tally.anyGold, grounded),
    });
  }
  return rows;
}

/** Prints grounding rows as a table under a title. */
export function printGrounding(title: string, rows: GroundingRow[]): void {
  log(`\n${title}`);
  log(' minCov | grounded(ans) refused(unans) | bal.acc    F1 | strict: grounded+gold bal.acc | [1]=gold any=gold');
  for (const r of rows) {
    log(
      `  ${r.minCoverage.toFixed(2)}  |    ${pct(r.grounded_rate)}        ${pct(r.refusal_rate)}     |  ${pct(r.balanced_accuracy)} ${pct(r.f1)} |` +
        `          ${pct(r.strict_grounded_rate)}        ${pct(r.strict_balanced_accuracy)} |   ${pct(r.first_citation_precision)}  ${pct(r.any_citation_gold)}`,
    );
  }
}
