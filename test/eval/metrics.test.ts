import { describe, expect, it } from 'vitest';
import { meanMetrics, ndcgAtK, recallAtK, reciprocalRankAtK, scoreQuery } from '../../src/eval/metrics.js';

const rel = (...ids: string[]) => new Set(ids);

describe('ranking metrics (hand-computed)', () => {
  it('one relevant document at rank 2', () => {
    const m = scoreQuery(['a', 'b', 'c'], rel('b'));
    // DCG = 1/log2(3); IDCG = 1.
    expect(m.ndcg).toBeCloseTo(1 / Math.log2(3), 12);
    expect(m.ndcg).toBeCloseTo(0.630930, 6);
    expect(m.mrr).toBe(0.5);
    expect(m.recall1).toBe(0);
    expect(m.recall10).toBe(1);
    expect(m.recall100).toBe(1);
  });

  it('two of three relevant documents found, at ranks 2 and 4', () => {
    const m = scoreQuery(['x', 'a', 'y', 'b'], rel('a', 'b', 'c'));
    // DCG = 1/log2(3) + 1/log2(5) = 1.061606; IDCG = 1 + 1/log2(3) + 1/2 = 2.130930; 1.061606 / 2.130930 = 0.498189.
    expect(m.ndcg).toBeCloseTo(0.498189, 6);
    expect(m.recall10).toBeCloseTo(2 / 3, 12);
    expect(m.recall1).toBe(0);
    expect(m.mrr).toBe(0.5);
  });

  it('cuts nDCG and MRR at k, and the ideal ranking too', () => {
    // nDCG@2: DCG = 1/log2(3); IDCG@2 = 1 + 1/log2(3).
    expect(ndcgAtK(['x', 'a', 'b'], rel('a', 'b'), 2)).toBeCloseTo(0.386853, 6);
    expect(reciprocalRankAtK(['x', 'y', 'a'], rel('a'), 2)).toBe(0);
    expect(reciprocalRankAtK(['x', 'y', 'a'], rel('a'), 3)).toBeCloseTo(1 / 3, 12);
    expect(ndcgAtK(['a', 'b'], rel('a', 'b', 'c', 'd'), 1)).toBe(1);
  });

  it('a perfect ranking scores 1, a miss 0, and nothing is ever above 1', () => {
    expect(scoreQuery(['a', 'b'], rel('a', 'b'))).toEqual({ ndcg: 1, recall1: 0.5, recall10: 1, recall100: 1, mrr: 1 });
    expect(scoreQuery(['x', 'y'], rel('a'))).toEqual({ ndcg: 0, recall1: 0, recall10: 0, recall100: 0, mrr: 0 });
    expect(scoreQuery([], rel('a')).ndcg).toBe(0);
  });

  it('counts a repeated document once, as trec_eval does', () => {
    expect(ndcgAtK(['a', 'a', 'b'], rel('b'), 10)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(recallAtK(['b', 'b'], rel('b', 'c'), 10)).toBe(0.5);
  });

  it('recall@100 sees rank 100 but not rank 101', () => {
    const ranked = Array.from({ length: 101 }, (_, i) => `d${i + 1}`);
    expect(recallAtK(ranked, rel('d100'), 100)).toBe(1);
    expect(recallAtK(ranked, rel('d101'), 100)).toBe(0);
  });

  it('averages per query (macro), zeros for no queries', () => {
    const mean = meanMetrics([scoreQuery(['a'], rel('a')), scoreQuery(['x', 'a'], rel('a'))]);
    expect(mean.mrr).toBe(0.75);
    expect(mean.recall1).toBe(0.5);
    expect(mean.ndcg).toBeCloseTo((1 + 1 / Math.log2(3)) / 2, 12);
    expect(meanMetrics([])).toEqual({ ndcg: 0, recall1: 0, recall10: 0, recall100: 0, mrr: 0 });
  });
});
