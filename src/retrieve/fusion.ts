/** One ranked list of scored items (best first). */
export type RankedList = Array<{ id: string; score: number }>;

/**
 * Reciprocal-rank fusion (Cormack et al. 2009): each list contributes `1 / (k + rank)`. Scale-free, so it needs
 * no calibration between BM25 and cosine scores.
 * @param k damping constant. @default 60
 */
export function reciprocalRankFusion(lists: RankedList[], k = 60): RankedList {
  const fused = new Map<string, number>();
  for (const list of lists) {
    list.forEach((item, rank) => fused.set(item.id, (fused.get(item.id) ?? 0) + 1 / (k + rank + 1)));
  }
  return sortByScore(fused);
}

/**
 * Normalised-score fusion (as Orama's hybrid search): each list's scores are min-max scaled to [0, 1] and summed
 * with weights; an item missing from a list gets 0 from it. Keeps score gaps that RRF throws away.
 * @param weights one per list, or a function of the list and the item (a weight that depends on the item's language).
 * @default equal weights
 */
export function normalizedScoreFusion(lists: RankedList[], weights?: number[] | ((list: number, id: string) => number)): RankedList {
  const fused = new Map<string, number>();
  lists.forEach((list, i) => {
    const weightOf = typeof weights === 'function' ? (id: string) => weights(i, id) : () => weights?.[i] ?? 1 / lists.length;
    if (list.length === 0) return;
    const max = Math.max(...list.map((item) => item.score));
    const min = Math.min(...list.map((item) => item.score));
    const span = max - min;
    for (const item of list) {
      const normalized = span > 0 ? (item.score - min) / span : 1;
      fused.set(item.id, (fused.get(item.id) ?? 0) + weightOf(item.id) * normalized);
    }
  });
  return sortByScore(fused);
}

function sortByScore(scores: Map<string, number>): RankedList {
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
