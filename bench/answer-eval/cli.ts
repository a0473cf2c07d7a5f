/** Command line of bench/answer-eval.ts: flags, usage, and which evaluation to run. */
import { parseArgs } from 'node:util';
import { runLexical } from './lexical-main.js';
import { semanticEval } from './semantic.js';
import type { Setting } from './settings.js';
import { SHARED_DATA_DIR } from '../support/shared-data.js';

const OPTIONS = {
  split: { type: 'string' },
  'min-coverage': { type: 'string' },
  'rank-weight': { type: 'string' },
  'title-credit': { type: 'string' },
  'max-sentences': { type: 'string' },
  'min-matched-terms': { type: 'string' },
  /** Folder of the data sets. @default ../shared/data beside the repository */
  data: { type: 'string', default: SHARED_DATA_DIR },
  'skip-bioasq': { type: 'boolean', default: false },
  /** Calibrate (dev) or measure (test) the semantic evidence step with the real model instead; see semanticEval. */
  semantic: { type: 'boolean', default: false },
  /** Smoke runs only: first n questions/claims of each set. Reports written with it are not comparable. */
  limit: { type: 'string' },
} as const;

type NumberFlag = 'min-coverage' | 'rank-weight' | 'title-credit' | 'max-sentences' | 'min-matched-terms';

/** Parses the command line (process.argv by default) and runs the evaluation it asks for. */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  const { values: flags } = parseArgs({ args, options: OPTIONS });
  const split = flags.split;
  if (split !== 'dev' && split !== 'test') {
    console.error('usage: node --import tsx bench/answer-eval.ts --split dev|test [--min-coverage x] [--rank-weight x] [--title-credit x] [--max-sentences n]');
    process.exit(2);
  }
  if (flags.semantic) {
    await semanticEval(split, flags.data, flags.limit === undefined ? 100 : Number(flags.limit));
    process.exit(0);
  }
  const numberFlag = (name: NumberFlag): number | undefined => {
    const raw = flags[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${raw}`);
    return value;
  };
  const overrides: Partial<Setting> = Object.fromEntries(
    Object.entries({
      minCoverage: numberFlag('min-coverage'),
      rankWeight: numberFlag('rank-weight'),
      titleCredit: numberFlag('title-credit'),
      maxSentences: numberFlag('max-sentences'),
      minMatchedTerms: numberFlag('min-matched-terms'),
    }).filter(([, v]) => v !== undefined),
  );
  const limit = flags.limit === undefined ? Infinity : Number(flags.limit);
  await runLexical({ split, dataDir: flags.data, limit, overrides }, flags['skip-bioasq']);
}

