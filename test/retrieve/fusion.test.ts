import { describe, expect, it } from 'vitest';
import { normalizedScoreFusion, reciprocalRankFusion } from '../../src/retrieve/fusion.js';

const lexical = [
  { id: 'a', score: 12 },
  { id: 'b', score: 11.5 },
  { id: 'c', score: 2 },
];
const dense = [
  { id: 'c', score: 0.9 },
  { id: 'd', score: 0.6 },
  { id: 'a', score: 0.5 },
];

describe('reciprocal-rank fusion', () => {
  it('adds 1 / (60 + rank) per list (hand-computed order)', () => {
    // a: 1/61 + 1/63 = .032266, c: 1/63 + 1/61 = .032266 (tie, broken by id), b: 1/62, d: 1/62 (tie).
    const fused = reciprocalRankFusion([lexical, dense]);
    expect(fused.map((x) => x.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 63, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
  });

  it('ignores score scales entirely', () => {
    const scaled = lexical.map((x) => ({ ...x, score: x.score * 1000 }));
    expect(reciprocalRankFusion([scaled, dense])).toEqual(reciprocalRankFusion([lexical, dense]));
  });

  it('the damping constant changes how much the head of a list counts', () => {
    const first = [{ id: 'x', score: 1 }, { id: 'y', score: 0.5 }];
    const second = [{ id: 'y', score: 1 }, { id: 'z', score: 0.5 }, { id: 'x', score: 0.1 }];
    // k=1: x = 1/2 + 1/4 = .75, y = 1/3 + 1/2 = .833 → y first; k=60: x = 1/61 + 1/63 < y = 1/62 + 1/61.
    expect(reciprocalRankFusion([first, second], 1)[0]!.id).toBe('y');
    expect(reciprocalRankFusion([first, second], 60)[0]!.id).toBe('y');
  });
});

describe('normalised-score fusion', () => {
  it('min-max scales each list and sums with weights (hand-computed order)', () => {
    // lexical → a 1, b .95, c 0; dense → c 1, d .25, a 0. Equal weights: a .5, b .475, c .5, d .125.
    const fused = normalizedScoreFusion([lexical, dense]);
    expect(fused.map((x) => x.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused.find((x) => x.id === 'b')!.score).toBeCloseTo(0.475, 12);
    expect(fused.find((x) => x.id === 'd')!.score).toBeCloseTo(0.125, 12);
    // Weighting the dense list up (a .2, b .19, c .8, d .2) moves its best item first.
    expect(normalizedScoreFusion([lexical, dense], [0.2, 0.8]).map((x) => x.id)).toEqual(['c', 'a', 'd', 'b']);
  });

  it('keeps score gaps that rank fusion loses: an item a hair behind the top of both lists wins', () => {
    const first = [{ id: 'p', score: 10 }, { id: 'q', score: 9.9 }, { id: 'r', score: 1 }];
    const second = [{ id: 'r', score: 0.9 }, { id: 'q', score: 0.89 }, { id: 'p', score: 0.2 }];
    // RRF: p = r = 1/61 + 1/63 > q = 2/62. Normalised: q = (.989 + .986) / 2 > p = r = .5.
    expect(reciprocalRankFusion([first, second]).map((x) => x.id)).toEqual(['p', 'r', 'q']);
    expect(normalizedScoreFusion([first, second]).map((x) => x.id)).toEqual(['q', 'p', 'r']);
  });

  it('a one-item or flat list counts fully; an empty list counts nothing', () => {
    expect(normalizedScoreFusion([[{ id: 'x', score: 3 }], []])).toEqual([{ id: 'x', score: 0.5 }]);
    expect(normalizedScoreFusion([[], []])).toEqual([]);
  });
});
