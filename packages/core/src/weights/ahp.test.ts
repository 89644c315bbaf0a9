import { describe, expect, it } from 'vitest';
import { validateConfig } from '../indicators/config.js';
import { ConfigError } from '../errors.js';
import { ahpAnalyse, ahpWeights, RANDOM_INDEX } from './ahp.js';
import { computeWeights } from './compute.js';

const consistent = (w: number[]): number[][] => w.map((wi) => w.map((wj) => wi / wj));

describe('AHP', () => {
  it('a perfectly consistent matrix gives back its weight vector, λmax = n and CR = 0', () => {
    const w = [0.4, 0.25, 0.15, 0.12, 0.08];
    const r = ahpWeights(consistent(w), 'consistent');
    r.weights.forEach((x, i) => expect(x).toBeCloseTo(w[i]!, 12));
    expect(r.lambdaMax).toBeCloseTo(5, 12);
    expect(r.cr).toBeLessThan(1e-12);
  });

  it("Saaty's 3×3 example matches the closed-form eigenvalue and eigenvector", () => {
    const m = [
      [1, 3, 5],
      [1 / 3, 1, 3],
      [1 / 5, 1 / 3, 1],
    ];
    const r = ahpWeights(m, 'saaty');
    // For a 3×3 reciprocal matrix det(A − λI) = 0 reduces to λmax = 1 + t^(1/3) + t^(−1/3), t = a12·a23/a13.
    const t = (3 * 3) / 5;
    const lambda = 1 + Math.cbrt(t) + 1 / Math.cbrt(t);
    expect(r.lambdaMax).toBeCloseTo(lambda, 10);
    // The eigenvector is orthogonal to the rows of A − λI: their cross product.
    const r1 = [1 - lambda, 3, 5];
    const r2 = [1 / 3, 1 - lambda, 3];
    const v = [r1[1]! * r2[2]! - r1[2]! * r2[1]!, r1[2]! * r2[0]! - r1[0]! * r2[2]!, r1[0]! * r2[1]! - r1[1]! * r2[0]!];
    const sum = v[0]! + v[1]! + v[2]!;
    r.weights.forEach((x, i) => expect(x).toBeCloseTo(v[i]! / sum, 10));
    // Published (rounded) values for this matrix.
    expect(r.weights.map((x) => Number(x.toFixed(3)))).toEqual([0.637, 0.258, 0.105]);
    expect(r.lambdaMax).toBeCloseTo(3.0385, 4);
    expect(r.ci).toBeCloseTo((lambda - 3) / 2, 10);
    expect(r.cr).toBeCloseTo((lambda - 3) / 2 / 0.58, 10);
    expect(r.cr).toBeCloseTo(0.0332, 3);
  });

  it('uses Saaty’s random index table', () => {
    expect(RANDOM_INDEX).toHaveLength(15);
    expect(RANDOM_INDEX[3]).toBe(0.9);
    expect(RANDOM_INDEX[14]).toBe(1.59);
  });

  it('refuses an inconsistent matrix (CR > 0.1), naming it', () => {
    const m = [
      [1, 9, 1 / 9],
      [1 / 9, 1, 9],
      [9, 1 / 9, 1],
    ];
    expect(ahpAnalyse(m).cr).toBeGreaterThan(0.1);
    expect(() => ahpWeights(m, 'within.current')).toThrow(/AHP matrix "within.current" is inconsistent: consistency ratio \d\.\d+ > 0.1/);
  });

  it.each([
    ['non-reciprocal', [[1, 2], [2, 1]], /entries \(1, 2\) = 2 and \(2, 1\) = 2 are not reciprocal/],
    ['non-positive', [[1, -2], [-0.5, 1]], /entry \(1, 2\) is -2, expected a positive number/],
    ['non-square', [[1, 2], [0.5]], /row 2 has 1 entries, expected 2/],
    ['bad diagonal', [[2, 1], [1, 1]], /diagonal entry \(1, 1\) is 2/],
  ])('refuses a %s matrix', (_n, m, pattern) => {
    expect(() => ahpWeights(m as number[][], 'm')).toThrow(ConfigError);
    expect(() => ahpWeights(m as number[][], 'm')).toThrow(pattern);
  });
});

describe('computeWeights', () => {
  const base = {
    dimensions: [
      { id: 'd1', name: 'D1' },
      { id: 'd2', name: 'D2' },
    ],
    indicators: [
      { id: 'a', name: 'A', dimension: 'd1', source: 'a', rule: { type: 'likert' } },
      { id: 'b', name: 'B', dimension: 'd1', source: 'b', rule: { type: 'likert' } },
      { id: 'c', name: 'C', dimension: 'd2', source: 'c', rule: { type: 'likert' } },
    ],
    currentValue: ['a'],
  };
  const cfg = (weights: unknown) => validateConfig({ ...base, weights });

  it('final weights must sum to 1', () => {
    expect(computeWeights(cfg({ type: 'final', values: { a: 0.5, b: 0.3, c: 0.2 } })).weights).toEqual({ a: 0.5, b: 0.3, c: 0.2 });
    expect(() => computeWeights(cfg({ type: 'final', values: { a: 0.5, b: 0.3, c: 0.1 } }))).toThrow(/sum to 0\.9\d*, expected 1/);
  });

  it('expert vectors are averaged and normalised', () => {
    const w = computeWeights(cfg({ type: 'experts', experts: [{ values: { a: 0.2, b: 0.8, c: 0 } }, { values: { a: 0.4, b: 0.4, c: 0.6 } }] })).weights;
    // means 0.3, 0.6, 0.3 → / 1.2
    expect(w.a).toBeCloseTo(0.25, 12);
    expect(w.b).toBeCloseTo(0.5, 12);
    expect(w.c).toBeCloseTo(0.25, 12);
  });

  it('AHP global weight = dimension weight × indicator weight', () => {
    const r = computeWeights(cfg({ type: 'ahp', dimensions: [[1, 2], ['1/2', 1]], within: { d1: [[1, 3], ['1/3', 1]] } }));
    expect(r.weights.a).toBeCloseTo((2 / 3) * 0.75, 12);
    expect(r.weights.b).toBeCloseTo((2 / 3) * 0.25, 12);
    expect(r.weights.c).toBeCloseTo(1 / 3, 12);
    expect(r.matrices.map((m) => m.name)).toEqual(['dimensions', 'within.d1']);
    expect(r.matrices[1]!.items).toEqual(['a', 'b']);
  });

  it('AHP refuses a missing or wrongly sized matrix, naming it', () => {
    expect(() => computeWeights(cfg({ type: 'ahp', dimensions: [[1, 2], [0.5, 1]], within: {} }))).toThrow(/no matrix for dimension "d1"/);
    expect(() => computeWeights(cfg({ type: 'ahp', dimensions: [[1]], within: { d1: [[1, 3], [1 / 3, 1]] } }))).toThrow(
      /AHP matrix "dimensions" is 1×1, expected 2×2 for d1, d2/,
    );
  });
});
