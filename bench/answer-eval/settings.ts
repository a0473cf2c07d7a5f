/** The engine settings this bench calibrates, the grids it sweeps and the fixed product parameters it runs with. */
import { loadConfig } from '../../src/config.js';

/** The engine options this bench calibrates, plus one proposed rule the engine does not have yet. */
export interface Setting {
  minCoverage: number;
  rankWeight: number;
  titleCredit: number;
  maxSentences: number;
  /**
   * Also refuse when the best sentence matches fewer than min(minMatchedTerms, question terms) distinct question
   * terms. Proposed here and since shipped as compose.ts `minMatchedTerms` (default 2, the `recommended`
   * setting); 1 reproduces the engine as calibrated before it. Simulated from the engine's own output; see
   * `applyTermRule`.
   */
  minMatchedTerms: number;
}

/**
 * The calibration baseline: the engine's defaults before the two-term rule shipped (the engine now runs with
 * `minMatchedTerms: 2`, reported as `recommended`). Kept at 1 so dev reports stay comparable.
 */
export const DEFAULTS: Setting = { minCoverage: 0.5, rankWeight: 0.1, titleCredit: 0.6, maxSentences: 3, minMatchedTerms: 1 };
/** Threshold (minCoverage) grid of every sweep. */
export const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
/** rankWeight grid of the dev sweep. */
export const RANK_WEIGHTS = [0, 0.1, 0.2, 0.3];
/** titleCredit grid of the dev sweep. */
export const TITLE_CREDITS = [0.3, 0.6, 0.9];
/** maxSentences values swept at the recommended setting. */
export const MAX_SENTENCES = [1, 2, 3, 5];
/** Values of the proposed term rule in the dev sweep. */
export const MIN_MATCHED_TERMS = [1, 2];
/** The product's settings with nothing set: the defaults src/config.ts documents. */
const PRODUCT = loadConfig({});
/** Retrieval depth the product uses by default (config DEFAULT_K). */
export const K = PRODUCT.defaultK;
/** Chunking the product uses by default (config CHUNK_MAX_TOKENS / CHUNK_OVERLAP_TOKENS). */
export const CHUNKING = { maxTokens: PRODUCT.chunkMaxTokens, overlapTokens: PRODUCT.chunkOverlapTokens };
/** Dev balanced accuracy within this of the best counts as a tie (≈ one standard error on 2×500 decisions). */
export const TIE_TOLERANCE = 0.01;

/** Stable identity of a setting (or any flat options object), independent of key order. */
export function settingKey(setting: object): string {
  return JSON.stringify(Object.entries(setting).sort());
}

/** Adds the setting `flags` (the defaults with the command-line overrides applied) when there are overrides. */
export function addFlagsSetting(named: Record<string, Setting>, overrides: Partial<Setting>): void {
  if (Object.keys(overrides).length > 0) named.flags = { ...DEFAULTS, ...overrides };
}
