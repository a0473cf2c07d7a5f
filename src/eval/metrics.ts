/**
 * Ranking metrics with binary relevance, defined as trec_eval and BEIR define them, so figures are comparable
 * with published ones (cross-checked against ranx / pytrec_eval on the same run file; see README).
 */

/** Metrics of one query. */
export interface QueryMetrics {
  /** nDCG at the cutoff (gain 1 per relevant document, discount 1/log2(rank + 1)). */
  ndcg: number;
  /** Share of the relevant documents found in the top 1. */
  recall1: number;
  /** Share of the relevant documents found in the top 10. */
  recall10: number;
  /** Share of the relevant documents found in the top 100. */
  recall100: number;
  /** 1 / rank of the first relevant document within the cutoff, else 0. */
  mrr: number;
}

/** The metric names, in report order. */
export const METRIC_NAMES = ['ndcg', 'recall1', 'recall10', 'recall100', 'mrr'] as const satisfies ReadonlyArray<keyof QueryMetrics>;

/**
 * nDCG@k with binary gains. The ideal ranking puts min(|relevant|, k) relevant documents first. A ranking that
 * repeats a document counts it once (trec_eval drops duplicate docids too).
 */
export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  topK(ranked, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, k); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/** Recall@k: relevant documents in the top k over all relevant documents. */
export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  return topK(ranked, k).filter((id) => relevant.has(id)).length / relevant.size;
}

/** Reciprocal rank of the first relevant document within the top k (0 when none is there). */
export function reciprocalRankAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const position = topK(ranked, k).findIndex((id) => relevant.has(id));
  return position === -1 ? 0 : 1 / (position + 1);
}

/**
 * All metrics of one query.
 * @param cutoff depth of nDCG and MRR. @default 10
 */
export function scoreQuery(ranked: readonly string[], relevant: ReadonlySet<string>, cutoff = 10): QueryMetrics {
  return {
    ndcg: ndcgAtK(ranked, relevant, cutoff),
    recall1: recallAtK(ranked, relevant, 1),
    recall10: recallAtK(ranked, relevant, 10),
    recall100: recallAtK(ranked, relevant, 100),
    mrr: reciprocalRankAtK(ranked, relevant, cutoff),
  };
}

/** Macro average over queries (every query weighs the same, as trec_eval's `all` line). Empty input gives zeros. */
export function meanMetrics(perQuery: readonly QueryMetrics[]): QueryMetrics {
  const sum: QueryMetrics = { ndcg: 0, recall1: 0, recall10: 0, recall100: 0, mrr: 0 };
  for (const metrics of perQuery) for (const name of METRIC_NAMES) sum[name] += metrics[name];
  const n = Math.max(perQuery.length, 1);
  for (const name of METRIC_NAMES) sum[name] /= n;
  return sum;
}

function topK(ranked: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  const top: string[] = [];
  for (const id of ranked) {
    if (top.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    top.push(id);
  }
  return top;
}
