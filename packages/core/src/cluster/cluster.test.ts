import { describe, expect, it } from 'vitest';
import { createPrng } from '../network/prng.js';
import { kmeans } from './kmeans.js';
import { adjustedRandIndex, clusterCustomers, renderClusterSection } from './profile.js';

/** Four tight blobs in 3-D, 50 points each, shuffled. */
function blobs(seed: number): { data: Float64Array; truth: number[] } {
  const rng = createPrng(seed);
  const centres = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10]];
  const pts: { x: number[]; c: number }[] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < 50; i++) pts.push({ x: c.map((v) => v + rng.uniform(-1, 1)), c: k });
  });
  for (let i = pts.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [pts[i], pts[j]] = [pts[j]!, pts[i]!];
  }
  return { data: Float64Array.from(pts.flatMap((p) => p.x)), truth: pts.map((p) => p.c) };
}

describe('kmeans', () => {
  it('recovers well-separated clusters exactly (up to label names)', () => {
    const { data, truth } = blobs(1);
    const r = kmeans(data, 200, 3, { k: 4, seed: 7 });
    expect(r.converged).toBe(true);
    expect(r.sizes.sort()).toEqual([50, 50, 50, 50]);
    const table = [0, 1, 2, 3].map((c) => [0, 1, 2, 3].map((t) => truth.filter((x, i) => x === t && r.assignment[i] === c).length));
    expect(adjustedRandIndex(table)).toBe(1);
  });

  it('is deterministic per seed', () => {
    const rng = createPrng(3);
    const data = Float64Array.from({ length: 300 }, () => rng.next());
    const a = kmeans(data, 100, 3, { k: 5, seed: 11 });
    expect(kmeans(data, 100, 3, { k: 5, seed: 11 })).toEqual(a);
    const b = kmeans(data, 100, 3, { k: 5, seed: 12, restarts: 1 });
    expect(b.inertia).toBeGreaterThanOrEqual(a.inertia * 0.5);
  });

  it('rejects a bad k', () => {
    expect(() => kmeans(new Float64Array(6), 3, 2, { k: 4 })).toThrow(/k must be an integer from 1 to the number of customers \(3\)/);
    expect(() => kmeans(new Float64Array(6), 3, 2, { k: 0 })).toThrow();
  });

  it('adjusted Rand index: 1 for identical, ~0 for independent partitions', () => {
    expect(adjustedRandIndex([[5, 0], [0, 5]])).toBe(1);
    // n = 20: index 40, row and column terms 90, expected 8100/190 → (40 − 42.63)/(90 − 42.63) = −1/18.
    expect(adjustedRandIndex([[5, 5], [5, 5]])).toBeCloseTo(-1 / 18, 12);
  });
});

describe('clusterCustomers', () => {
  it('profiles clusters, numbers them by descending mean K and cross-tabs the classes', () => {
    const customers = [
      ...Array.from({ length: 10 }, () => ({ scores: [5, 5], K: 0.9, class: 'A' as const })),
      ...Array.from({ length: 8 }, () => ({ scores: [1, 1], K: 0.1, class: 'D' as const })),
      ...Array.from({ length: 2 }, () => ({ scores: [1, 2], K: 0.3, class: 'C' as const })),
    ];
    const a = clusterCustomers(['r', 'f'], customers, { k: 2, seed: 1 });
    expect(a.profiles.map((p) => p.size)).toEqual([10, 10]);
    expect(a.profiles[0]).toMatchObject({ cluster: 1, means: [5, 5], classes: { A: 10, B: 0, C: 0, D: 0 } });
    expect(a.profiles[0]!.meanK).toBeCloseTo(0.9, 12);
    expect(a.profiles[1]!.classes).toEqual({ A: 0, B: 0, C: 2, D: 8 });
    expect(a.profiles[1]!.meanK).toBeCloseTo(0.14, 12);
    expect(a.assignment.slice(0, 10).every((c) => c === 1)).toBe(true);
    const html = renderClusterSection(a, { r: 'Recency <R>' });
    expect(html).toContain('<section id="clusters">');
    expect(html).toContain('Recency &lt;R&gt;');
  });
});
