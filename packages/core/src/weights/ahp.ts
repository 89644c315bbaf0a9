/**
 * Analytic hierarchy process: weights from a pairwise-comparison matrix as
 * its principal eigenvector, with Saaty's consistency ratio.
 */
import { ConfigError } from '../errors.js';

/** Saaty's random consistency index for n = 1..15. */
export const RANDOM_INDEX: readonly number[] = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

/** Above this consistency ratio a matrix is refused (Saaty's rule). */
export const MAX_CONSISTENCY_RATIO = 0.1;

/** How far a_ij · a_ji may be from 1: allows judgements like 0.333 for 1/3. */
const RECIPROCAL_TOLERANCE = 5e-3;

export interface AhpResult {
  /** Principal eigenvector, normalised to sum 1. */
  weights: number[];
  lambdaMax: number;
  /** (λmax − n)/(n − 1); 0 for n ≤ 2. */
  ci: number;
  /** CI / RI(n); 0 for n ≤ 2 (such matrices are always consistent). */
  cr: number;
}

/**
 * Checks that `m` is a square, positive, reciprocal matrix with ones on the diagonal.
 *
 * @throws ConfigError naming the matrix and the offending cell.
 */
export function validatePairwise(m: readonly (readonly number[])[], name: string, size?: number): void {
  const n = m.length;
  const fail = (msg: string): never => {
    throw new ConfigError(`AHP matrix "${name}": ${msg}`, { path: name });
  };
  if (size !== undefined && n !== size) fail(`has ${n} rows, expected ${size} (one per item compared)`);
  if (n > RANDOM_INDEX.length) fail(`is ${n}×${n}; at most ${RANDOM_INDEX.length} items can be compared`);
  m.forEach((row, i) => {
    if (row.length !== n) fail(`row ${i + 1} has ${row.length} entries, expected ${n} (square matrix)`);
    row.forEach((a, j) => {
      if (!Number.isFinite(a) || a <= 0) fail(`entry (${i + 1}, ${j + 1}) is ${a}, expected a positive number`);
      if (i === j && Math.abs(a - 1) > 1e-12) fail(`diagonal entry (${i + 1}, ${i + 1}) is ${a}, expected 1`);
      const b = m[j]![i]!;
      if (Math.abs(a * b - 1) > RECIPROCAL_TOLERANCE) {
        fail(`entries (${i + 1}, ${j + 1}) = ${a} and (${j + 1}, ${i + 1}) = ${b} are not reciprocal (expected a_ji = 1/a_ij = ${1 / a})`);
      }
    });
  });
}

/**
 * Principal eigenvector by power iteration (a positive matrix has a unique
 * positive one, Perron–Frobenius), λmax, CI and CR. Validates the matrix
 * but does not enforce CR ≤ 0.1; see {@link ahpWeights}.
 */
export function ahpAnalyse(m: readonly (readonly number[])[], name = 'matrix'): AhpResult {
  validatePairwise(m, name);
  const n = m.length;
  let w = new Array<number>(n).fill(1 / n);
  const multiply = (v: readonly number[]): number[] => m.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
  for (let it = 0; it < 10_000; it++) {
    const next = multiply(w);
    const sum = next.reduce((s, x) => s + x, 0);
    const normalised = next.map((x) => x / sum);
    const change = Math.max(...normalised.map((x, i) => Math.abs(x - w[i]!)));
    w = normalised;
    if (change < 1e-14) break;
  }
  const aw = multiply(w);
  const lambdaMax = aw.reduce((s, x, i) => s + x / w[i]!, 0) / n;
  // λmax ≥ n for reciprocal matrices; clamp rounding noise so CR is never negative.
  const ci = n > 2 ? Math.max(0, (lambdaMax - n) / (n - 1)) : 0;
  const cr = n > 2 ? ci / RANDOM_INDEX[n - 1]! : 0;
  return { weights: w, lambdaMax, ci, cr };
}

/**
 * Like {@link ahpAnalyse}, and refuses an inconsistent matrix.
 *
 * @throws ConfigError when CR > 0.1, naming the matrix.
 */
export function ahpWeights(m: readonly (readonly number[])[], name = 'matrix'): AhpResult {
  const r = ahpAnalyse(m, name);
  if (r.cr > MAX_CONSISTENCY_RATIO) {
    throw new ConfigError(
      `AHP matrix "${name}" is inconsistent: consistency ratio ${r.cr.toFixed(4)} > ${MAX_CONSISTENCY_RATIO} ` +
        `(λmax = ${r.lambdaMax.toFixed(4)}); revise the judgements`,
      { path: name },
    );
  }
  return r;
}
