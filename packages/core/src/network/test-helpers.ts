/**
 * Comparisons the numeric tests share (excluded from the build: tests only).
 */
import { expect } from 'vitest';

/**
 * The largest relative difference |a − b| / |b| (b of 0 counts as 1e-300),
 * after checking the lengths agree. NaN in both at the same place counts as
 * equal only with `nanEqual` (training histories record NaN for "none").
 */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, { nanEqual = false } = {}): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    if (nanEqual && Number.isNaN(a[k]) && Number.isNaN(b[k])) continue;
    worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / Math.max(Math.abs(b[k]!), 1e-300));
  }
  return worst;
}

/** The largest absolute difference |a − b|, after checking the lengths agree. */
export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
  return worst;
}
