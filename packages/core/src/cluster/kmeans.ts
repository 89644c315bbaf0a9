/**
 * K-means (Lloyd's algorithm) with k-means++ seeding (Arthur & Vassilvitskii,
 * 2007), every random draw from the seeded PRNG so a seed gives the same
 * clusters in every runtime.
 */
import { OptionsError } from '../errors.js';
import { createPrng, type Prng } from '../network/prng.js';

export interface KMeansOptions {
  k: number;
  /** @default 1 */
  seed?: number;
  /** Lloyd iterations per run. @default 300 */
  maxIterations?: number;
  /** Independent seeded runs; the one with the lowest inertia is kept. @default 5 */
  restarts?: number;
}

export interface KMeansResult {
  k: number;
  /** Row-major k × columns. */
  centroids: Float64Array;
  /** Cluster (0 … k−1) of every row. */
  assignment: Int32Array;
  sizes: number[];
  /** Sum of squared distances of the rows to their centroids. */
  inertia: number;
  iterations: number;
  /** Assignments stopped changing before maxIterations. */
  converged: boolean;
}

function dist2(data: Float64Array, r: number, centroids: Float64Array, c: number, cols: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) {
    const d = data[r * cols + j]! - centroids[c * cols + j]!;
    s += d * d;
  }
  return s;
}

/** k-means++: the first centre uniformly, each next one with probability ∝ D(x)². */
function seedCentroids(data: Float64Array, rows: number, cols: number, k: number, rng: Prng): Float64Array {
  const centroids = new Float64Array(k * cols);
  const first = Math.floor(rng.next() * rows);
  centroids.set(data.subarray(first * cols, (first + 1) * cols), 0);
  const d2 = new Float64Array(rows).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      d2[r] = Math.min(d2[r]!, dist2(data, r, centroids, c - 1, cols));
      total += d2[r]!;
    }
    let pick = rows - 1;
    if (total > 0) {
      let target = rng.next() * total;
      for (let r = 0; r < rows; r++) {
        target -= d2[r]!;
        if (target < 0) {
          pick = r;
          break;
        }
      }
    } else pick = Math.floor(rng.next() * rows);
    centroids.set(data.subarray(pick * cols, (pick + 1) * cols), c * cols);
  }
  return centroids;
}

function lloyd(data: Float64Array, rows: number, cols: number, k: number, centroids: Float64Array, maxIterations: number): KMeansResult {
  const assignment = new Int32Array(rows).fill(-1);
  let iterations = 0;
  let converged = false;
  const sizes = new Array<number>(k).fill(0);
  while (iterations < maxIterations) {
    iterations++;
    let changed = false;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dist2(data, r, centroids, c, cols);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (assignment[r] !== best) {
        assignment[r] = best;
        changed = true;
      }
    }
    if (!changed) {
      converged = true;
      break;
    }
    centroids.fill(0);
    sizes.fill(0);
    for (let r = 0; r < rows; r++) {
      const c = assignment[r]!;
      sizes[c]!++;
      for (let j = 0; j < cols; j++) centroids[c * cols + j]! += data[r * cols + j]!;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c]! > 0) for (let j = 0; j < cols; j++) centroids[c * cols + j]! /= sizes[c]!;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c]! > 0) continue;
      // An emptied cluster takes the row farthest from its own centroid (in a
      // cluster that can spare it), so k clusters remain.
      let far = -1;
      let farD = -1;
      for (let r = 0; r < rows; r++) {
        const a = assignment[r]!;
        const d = sizes[a]! > 1 ? dist2(data, r, centroids, a, cols) : -1;
        if (d > farD) {
          farD = d;
          far = r;
        }
      }
      sizes[assignment[far]!]!--;
      assignment[far] = c;
      sizes[c] = 1;
      for (let j = 0; j < cols; j++) centroids[c * cols + j] = data[far * cols + j]!;
    }
  }
  sizes.fill(0);
  let inertia = 0;
  for (let r = 0; r < rows; r++) {
    sizes[assignment[r]!]!++;
    inertia += dist2(data, r, centroids, assignment[r]!, cols);
  }
  return { k, centroids, assignment, sizes, inertia, iterations, converged };
}

/**
 * Clusters the rows of a row-major matrix.
 *
 * @throws OptionsError when k is not an integer from 1 to the number of rows,
 *   or other options are out of range.
 */
export function kmeans(data: Float64Array, rows: number, cols: number, options: KMeansOptions): KMeansResult {
  const { k } = options;
  if (data.length !== rows * cols) throw new OptionsError(`data has ${data.length} values, expected ${rows} × ${cols}`);
  if (!Number.isInteger(k) || k < 1 || k > rows) throw new OptionsError(`k must be an integer from 1 to the number of customers (${rows}), got ${k}`);
  const restarts = options.restarts ?? 5;
  const maxIterations = options.maxIterations ?? 300;
  if (!Number.isInteger(restarts) || restarts < 1) throw new OptionsError(`restarts must be a positive integer, got ${restarts}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new OptionsError(`maxIterations must be a positive integer, got ${maxIterations}`);
  const rng = createPrng(options.seed ?? 1);
  let best: KMeansResult | undefined;
  for (let t = 0; t < restarts; t++) {
    const run = lloyd(data, rows, cols, k, seedCentroids(data, rows, cols, k, rng), maxIterations);
    if (!best || run.inertia < best.inertia) best = run;
  }
  return best!;
}
