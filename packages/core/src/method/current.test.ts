import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { band, bandTable, currentValue, currentValues, currentValueWeights, type Band } from './current.js';

describe('current value', () => {
  it('is the weighted mean of R, F, M with weights renormalised within the dimension', () => {
    // Global weights 0.1, 0.12, 0.14 → 0.1/0.36 … ; C = (5·0.1 + 3·0.12 + 1·0.14)/0.36
    const w = currentValueWeights({ recency: 0.1, frequency: 0.12, monetary: 0.14, other: 0.64 }, ['recency', 'frequency', 'monetary']);
    expect(w.recency! + w.frequency! + w.monetary!).toBeCloseTo(1, 15);
    expect(currentValue({ recency: 5, frequency: 3, monetary: 1 }, w)).toBeCloseTo((0.5 + 0.36 + 0.14) / 0.36, 12);
    expect(currentValue({ recency: 5, frequency: 5, monetary: 5 }, w)).toBeCloseTo(5, 12);
  });
  it('refuses out-of-range scores', () => {
    expect(() => currentValue({ r: 6 }, { r: 1 })).toThrow(DataError);
    expect(() => currentValue({ r: 0.5 }, { r: 1 })).toThrow(/score of "r" is 0.5, expected a number in 1–5/);
  });
  it('computes C per customer of a score matrix and names a bad customer', () => {
    const m = { ids: ['a', 'b'], indicators: ['x', 'r'], values: Float64Array.from([9, 2, 9, 4]) };
    expect(currentValues(m, { r: 1 })).toEqual([2, 4]);
    const bad = { ids: ['a', 'b'], indicators: ['r'], values: Float64Array.from([2, 7]) };
    expect(() => currentValues(bad, { r: 1 })).toThrow(/customer "b": score of "r" is 7/);
  });

  it('gives per customer the very double currentValue gives (its fast path keeps the arithmetic order)', () => {
    let state = 7;
    const rand = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const indicators = ['a', 'b', 'c', 'd', 'e'];
    const rows = 500;
    const values = Float64Array.from({ length: rows * indicators.length }, () => (rand() < 0.3 ? 1 + rand() * 4 : 1 + Math.floor(rand() * 5)));
    const ids = Array.from({ length: rows }, (_, r) => `c${r}`);
    // Uneven weights over a subset, in an order unlike the matrix's.
    const weights = currentValueWeights({ d: 0.13, a: 0.071, e: 0.29, b: 0.0333 }, ['d', 'a', 'e']);
    const fast = currentValues({ ids, indicators, values }, weights);
    ids.forEach((_, r) => {
      const record = Object.fromEntries(indicators.map((id, j) => [id, values[r * indicators.length + j]!]));
      expect(Object.is(fast[r], currentValue(record, weights))).toBe(true);
    });
  });
});

describe('bands', () => {
  it.each([
    [1, 1],
    [1.999999, 1],
    [2, 2],
    [2.5, 2],
    [3, 3],
    [3.999, 3],
    [4, 4],
    [4.99, 4],
    [5 - 1e-10, 5],
    [5, 5],
  ])('C = %d is in band %d', (c, b) => expect(band(c)).toBe(b));
  it('refuses C outside 1–5', () => {
    expect(() => band(0.9)).toThrow(/outside 1–5/);
    expect(() => band(5.01)).toThrow(DataError);
  });
  it('tabulates counts and proportions like Table 2', () => {
    const t = bandTable([1, 2, 2, 3, 3, 3, 4, 4] as Band[]);
    expect(t).toEqual({
      bands: [
        { band: 1, lower: 1, upper: 2, count: 1, proportion: 0.125 },
        { band: 2, lower: 2, upper: 3, count: 2, proportion: 0.25 },
        { band: 3, lower: 3, upper: 4, count: 3, proportion: 0.375 },
        { band: 4, lower: 4, upper: 5, count: 2, proportion: 0.25 },
        { band: 5, lower: 5, upper: 5, count: 0, proportion: 0 },
      ],
    });
  });
});
