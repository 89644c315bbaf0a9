import { describe, expect, it } from 'vitest';
import { createPrng } from '../network/prng.js';
import { auc, averageRanks, calibration, captureCurve, captureTop, captureWhere, rankOrder, spearman } from './metrics.js';
import { combineK, spendRankTargets } from './predictive.js';

/** AUC by counting every positive–negative pair: the definition, independent of ranks. */
function aucByPairs(score: number[], outcome: number[]): number {
  let wins = 0;
  let pairs = 0;
  score.forEach((s, i) => {
    if (outcome[i] !== 1) return;
    score.forEach((t, j) => {
      if (outcome[j] !== 0) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('ranks and correlation', () => {
  it('gives ties their average rank', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([5, 5, 5])).toEqual([2, 2, 2]);
    expect(averageRanks([3, 1, 2])).toEqual([3, 1, 2]);
  });

  it('is 1 for a perfect ranking and −1 for the reverse', () => {
    const x = [1, 2, 3, 4, 5];
    expect(spearman(x, [10, 20, 30, 40, 1000])).toBeCloseTo(1, 15);
    expect(spearman(x, [9, 7, 5, 3, 1])).toBeCloseTo(-1, 15);
  });

  it('matches a hand-computed case with ties', () => {
    // ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]: Sxy = 4.5, Sxx = 4.5, Syy = 5 → 4.5/√22.5
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 14);
  });

  it('is NaN for a constant score', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('auc', () => {
  it('is 1 for a perfect and 0 for a reversed score', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('counts ties as one half (hand case: 3.5 of 4 pairs)', () => {
    expect(auc([0.1, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBe(0.875);
  });

  it('agrees with pair counting on random scores with many ties', () => {
    const rng = createPrng(7);
    const score = Array.from({ length: 300 }, () => Math.floor(rng.next() * 10));
    const outcome = score.map((s) => (rng.next() < 0.1 + s / 12 ? 1 : 0));
    expect(auc(score, outcome)).toBeCloseTo(aucByPairs(score, outcome), 12);
  });

  it('is NaN with one class only and refuses non-binary outcomes', () => {
    expect(auc([1, 2], [1, 1])).toBeNaN();
    expect(() => auc([1, 2], [0, 2])).toThrow(RangeError);
  });
});

describe('revenue capture', () => {
  const ids = ['a', 'b', 'c', 'd'];
  const revenue = [10, 0, 30, 60];

  it('takes the top ⌈q·n⌉ customers by score', () => {
    expect(captureTop([3, 1, 2, 4], ids, revenue, 0.25)).toBeCloseTo(0.6, 15);
    expect(captureTop([3, 1, 2, 4], ids, revenue, 0.5)).toBeCloseTo(0.7, 15);
    expect(captureTop([3, 1, 2, 4], ids, revenue, 0.3)).toBeCloseTo(0.7, 15);
    expect(captureTop([3, 1, 2, 4], ids, revenue, 1)).toBeCloseTo(1, 15);
  });

  it('breaks ties by id, so equal scores give one fixed order', () => {
    expect(rankOrder([1, 1, 1, 1], ['d', 'c', 'b', 'a'])).toEqual([3, 2, 1, 0]);
    expect(captureTop([1, 1, 1, 1], ['d', 'c', 'b', 'a'], [0, 5, 5, 90], 0.25)).toBeCloseTo(0.9, 15);
  });

  it('sums the selected customers for class A', () => {
    expect(captureWhere([true, false, false, true], revenue)).toBeCloseTo(0.7, 15);
    expect(captureWhere([false, false, false, false], revenue)).toBe(0);
  });

  it('draws a curve from 0 to 1 that never falls, above the diagonal for a perfect score', () => {
    const curve = captureCurve(revenue, ids, revenue, 4);
    expect(curve).toEqual([0, 0.6, 0.9, 1, 1]);
    const rng = createPrng(3);
    const r = Array.from({ length: 50 }, () => rng.next() * 100);
    const c = captureCurve(r.map(() => rng.next()), r.map((_, i) => `c${i}`), r, 20);
    expect(c[0]).toBe(0);
    expect(c[20]).toBeCloseTo(1, 12);
    c.forEach((v, k) => k > 0 && expect(v).toBeGreaterThanOrEqual(c[k - 1]!));
  });

  it('refuses negative revenue and is NaN when nobody spent', () => {
    expect(() => captureTop([1, 2], ['a', 'b'], [1, -1], 0.5)).toThrow(RangeError);
    expect(captureTop([1, 2], ['a', 'b'], [0, 0], 0.5)).toBeNaN();
  });
});

describe('calibration and targets', () => {
  it('bins sorted probabilities into near-equal groups', () => {
    const p = [0.9, 0.1, 0.2, 0.8];
    const o = [1, 0, 1, 1];
    expect(calibration(p, o, 2)).toEqual([
      { n: 2, predicted: (0.1 + 0.2) / 2, observed: 0.5 },
      { n: 2, predicted: (0.8 + 0.9) / 2, observed: 1 },
    ]);
    expect(calibration([0.5], [1], 10)).toEqual([{ n: 1, predicted: 0.5, observed: 1 }]);
  });

  it('rescales spend by average rank, zero spenders tied at the bottom', () => {
    // ranks [1.5, 1.5, 3, 4] → (r − 1)/3
    expect(spendRankTargets([0, 0, 5, 10])).toEqual([0.5 / 3, 0.5 / 3, 2 / 3, 1]);
    expect(spendRankTargets([7])).toEqual([0.5]);
  });

  it('combines the outputs as the geometric mean', () => {
    expect(combineK(0.64, 1)).toBeCloseTo(0.8, 15);
    expect(combineK(0.5, 0.5)).toBeCloseTo(0.5, 15);
    expect(combineK(0, 1)).toBe(0);
  });
});
