import { describe, expect, it } from 'vitest';
import { applyMinMax, fitMinMax } from './normalize.js';

describe('min–max normalisation', () => {
  // Two columns over three rows: [1, 5], [3, 5], [2, 5].
  const data = Float64Array.from([1, 5, 3, 5, 2, 5]);

  it('fits per-column ranges', () => {
    expect(fitMinMax(data, 3, 2)).toEqual({ min: [1, 5], max: [3, 5] });
  });

  it('scales to [0, 1], maps a constant column to 0 and does not clip new data', () => {
    const ranges = fitMinMax(data, 3, 2);
    expect(Array.from(applyMinMax(data, ranges))).toEqual([0, 0, 1, 0, 0.5, 0]);
    expect(Array.from(applyMinMax(Float64Array.from([5, 9, -1, 5]), ranges))).toEqual([2, 0, -1, 0]);
  });

  it('clips to [0, 1] when asked (the customer-value method), leaving in-range values bit-identical', () => {
    const ranges = fitMinMax(data, 3, 2);
    expect(Array.from(applyMinMax(Float64Array.from([5, 9, -1, 5, 2.5, 5]), ranges, { clamp: true }))).toEqual([1, 0, 0, 0, 0.75, 0]);
  });

  it('refuses tables that do not match the ranges', () => {
    expect(() => fitMinMax(data, 2, 2)).toThrow(RangeError);
    expect(() => fitMinMax(new Float64Array(0), 0, 2)).toThrow(/zero rows/);
    expect(() => applyMinMax(Float64Array.from([1, 2, 3]), { min: [0, 0], max: [1, 1] })).toThrow(RangeError);
  });
});
