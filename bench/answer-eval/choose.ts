/** The selection rule of the dev sweep. */
import type { GroundingRow } from './grounding.js';
import { DEFAULTS, TIE_TOLERANCE, type Setting } from './settings.js';

/** One setting of the dev sweep with its PubMedQA grounding row and its off-topic verdict. */
export interface Candidate {
  setting: Setting;
  row: GroundingRow;
  offTopicAllRefused: boolean;
}

/**
 * Picks a setting: highest dev balanced accuracy on PubMedQA grounding (optionally only among settings that refuse
 * every off-topic question); settings within TIE_TOLERANCE of the best are ties (the difference is noise), and a tie
 * goes to the setting that changes fewest defaults, then the higher accuracy. Why: a default should move only for a
 * gain larger than the measurement can resolve.
 */
export function chooseSetting(candidates: Candidate[], requireOffTopicRefused: boolean): { chosen: Candidate; best: Candidate; ties: Candidate[] } {
  const feasible = requireOffTopicRefused ? candidates.filter((c) => c.offTopicAllRefused) : candidates;
  const pool = feasible.length > 0 ? feasible : candidates;
  const best = pool.reduce((a, b) => (b.row.balanced_accuracy > a.row.balanced_accuracy ? b : a));
  const ties = pool.filter((c) => c.row.balanced_accuracy >= best.row.balanced_accuracy - TIE_TOLERANCE);
  const changes = (s: Setting) =>
    Number(s.minCoverage !== DEFAULTS.minCoverage) + Number(s.rankWeight !== DEFAULTS.rankWeight) + Number(s.titleCredit !== DEFAULTS.titleCredit);
  const chosen = [...ties].sort(
    (a, b) => changes(a.setting) - changes(b.setting) || b.row.balanced_accuracy - a.row.balanced_accuracy,
  )[0]!;
  return { chosen, best, ties };
}
