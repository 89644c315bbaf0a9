/**
 * What the numeric tests share: comparisons, seeded networks and data, and
 * the SIMD and scalar engines (excluded from the build: tests only).
 */
import { expect } from 'vitest';
import { createEngine } from '../wasm/engine.js';
import { loadModule } from '../wasm/node.js';
import { parameterCount } from './options.js';
import { createPrng } from './prng.js';
import type { Dataset, Engine, Network, NetworkShape } from './types.js';

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

/** A network of `shape` with seeded weights and biases on [−range, range]. */
export function randomNet(seed: number, shape: NetworkShape, range = 1): Network {
  const rng = createPrng(seed);
  return { ...shape, params: new Float64Array(parameterCount(shape)).map(() => rng.uniform(-range, range)) };
}

/** Seeded samples for `shape`: inputs on [lo, hi], targets on [0, 1). */
export function randomData(seed: number, shape: NetworkShape, samples: number, [lo, hi] = [0, 1]): Dataset {
  const rng = createPrng(seed);
  const outputs = shape.sizes[shape.sizes.length - 1]!;
  return {
    samples,
    inputs: new Float64Array(samples * shape.inputs).map(() => rng.uniform(lo!, hi!)),
    targets: new Float64Array(samples * outputs).map(() => rng.next()),
  };
}

/** Engines on the same module with the SIMD kernels (the default) and the scalar ones. */
export async function kernelEngines(): Promise<{ simd: Engine; scalar: Engine }> {
  const module = await loadModule();
  return { simd: await createEngine(module), scalar: await createEngine(module, { kernels: 'scalar' }) };
}
