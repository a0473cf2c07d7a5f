/** A ranked list of documents for one query, best first. */
export interface QueryRun {
  queryId: string;
  hits: Array<{ id: string; score: number }>;
}

/**
 * Formats runs in TREC run format, `qid Q0 docid rank score tag`, one line per hit (ranks from 1), which
 * trec_eval, pytrec_eval and ranx all read. trec_eval ignores the rank column: it re-sorts by score, held as a
 * 32-bit float, and breaks ties by docid. So scores are written with all their digits, and a score that would not
 * stay strictly below the one before it in single precision (duplicate passages, fused ties, scores differing in
 * the last bits) is lowered just enough, keeping the file's order the product's order.
 * @param tag run name in the last column; whitespace is replaced by `_`.
 */
export function formatTrecRun(runs: readonly QueryRun[], tag: string): string {
  const safeTag = tag.replace(/\s+/g, '_') || 'run';
  const lines: string[] = [];
  for (const run of runs) {
    let previous = Number.POSITIVE_INFINITY;
    run.hits.forEach((hit, i) => {
      const score = Math.fround(hit.score) < Math.fround(previous) ? hit.score : below(previous);
      previous = score;
      lines.push(`${run.queryId} Q0 ${hit.id} ${i + 1} ${String(score)} ${safeTag}`);
    });
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** A number below `x` even in single precision (whose relative spacing is at most 1.2e-7). */
function below(x: number): number {
  return x - Math.max(Math.abs(x) * 1e-6, 1e-30);
}

/** Formats binary relevance judgements as TREC qrels, `qid 0 docid 1`. */
export function formatTrecQrels(queries: ReadonlyArray<{ id: string; goldDocIds: readonly string[] }>): string {
  const lines = queries.flatMap((q) => [...new Set(q.goldDocIds)].map((doc) => `${q.id} 0 ${doc} 1`));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
