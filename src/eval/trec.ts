/** A ranked list of documents for one query, best first. */
export interface QueryRun {
  queryId: string;
  hits: Array<{ id: string; score: number }>;
}

/**
 * Formats runs in TREC run format, `qid Q0 docid rank score tag`, one line per hit (ranks from 1), which
 * trec_eval, pytrec_eval and ranx all read. Scores are made strictly decreasing within a query, because
 * trec_eval re-sorts by score and breaks ties by docid, which would silently reorder tied hits.
 * @param tag run name in the last column; whitespace is replaced by `_`.
 */
export function formatTrecRun(runs: readonly QueryRun[], tag: string): string {
  const safeTag = tag.replace(/\s+/g, '_') || 'run';
  const lines: string[] = [];
  for (const run of runs) {
    let previous = Number.POSITIVE_INFINITY;
    run.hits.forEach((hit, i) => {
      // Nudge ties down by a hair so the file's score order equals the product's rank order.
      const score = hit.score < previous ? hit.score : previous - 1e-9 * Math.max(1, Math.abs(previous));
      previous = score;
      lines.push(`${run.queryId} Q0 ${hit.id} ${i + 1} ${score.toPrecision(12)} ${safeTag}`);
    });
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Formats binary relevance judgements as TREC qrels, `qid 0 docid 1`. */
export function formatTrecQrels(queries: ReadonlyArray<{ id: string; goldDocIds: readonly string[] }>): string {
  const lines = queries.flatMap((q) => [...new Set(q.goldDocIds)].map((doc) => `${q.id} 0 ${doc} 1`));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
