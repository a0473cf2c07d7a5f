import { describe, expect, it } from 'vitest';
import { formatTrecQrels, formatTrecRun } from '../../src/eval/trec.js';

describe('TREC files', () => {
  it('writes qid Q0 docid rank score tag, ranks from 1', () => {
    const text = formatTrecRun([{ queryId: 'q1', hits: [{ id: 'd1', score: 2.5 }, { id: 'd2', score: 1 }] }], 'my run');
    expect(text).toBe('q1 Q0 d1 1 2.5 my_run\nq1 Q0 d2 2 1 my_run\n');
  });

  it('keeps scores strictly decreasing so tools that re-sort by score keep the product order', () => {
    const text = formatTrecRun([{ queryId: 'q', hits: [{ id: 'z', score: 1 }, { id: 'a', score: 1 }, { id: 'm', score: 1 }] }], 't');
    const scores = text.trim().split('\n').map((line) => Number(line.split(' ')[4]));
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[1]).toBeGreaterThan(scores[2]!);
    expect(text.trim().split('\n').map((line) => line.split(' ')[2])).toEqual(['z', 'a', 'm']);
  });

  it('keeps scores that differ only below single precision ordered, as trec_eval reads them as floats', () => {
    const text = formatTrecRun([{ queryId: 'q', hits: [{ id: 'a', score: 0.5 }, { id: 'b', score: 0.4999999999995 }] }], 't');
    const [first, second] = text.trim().split('\n').map((line) => Math.fround(Number(line.split(' ')[4])));
    expect(first).toBeGreaterThan(second!);
    expect(text).toMatch(/^q Q0 a 1 0\.5 t$/m);
  });

  it('writes binary qrels, one line per distinct relevant document', () => {
    expect(formatTrecQrels([{ id: 'q1', goldDocIds: ['a', 'b', 'a'] }])).toBe('q1 0 a 1\nq1 0 b 1\n');
    expect(formatTrecQrels([])).toBe('');
  });
});
