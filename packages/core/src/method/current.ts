/**
 * Current value C = R·Wr + F·Wf + M·Wm and the five bands of C used to
 * pre-classify customers (the study's Table 2).
 */
import { DataError } from '../errors.js';
import type { ScoreMatrix } from '../indicators/fit.js';

/** Band of C: 1 = [1,2), 2 = [2,3), 3 = [3,4), 4 = [4,5), 5 = exactly 5. */
export type Band = 1 | 2 | 3 | 4 | 5;

export const BANDS: readonly Band[] = [1, 2, 3, 4, 5];

/** C within this of 5 counts as 5 (floating-point sums of weights). */
const TOP_TOLERANCE = 1e-9;

/**
 * Weighted mean of the current-value scores: weights are renormalised to sum
 * 1 over the indicators named in `weights`, so C stays on the 1–5 scale.
 *
 * @param scores score per indicator id (1–5).
 * @param weights weight per current-value indicator id (any positive scale).
 * @throws DataError for a missing or out-of-range score.
 */
export function currentValue(scores: Readonly<Record<string, number>>, weights: Readonly<Record<string, number>>): number {
  let sum = 0;
  let total = 0;
  for (const [id, w] of Object.entries(weights)) {
    const s = scores[id];
    if (s === undefined || !(s >= 1 && s <= 5)) {
      throw new DataError(`score of "${id}" is ${s}, expected a number in 1–5`, { indicator: id });
    }
    sum += s * w;
    total += w;
  }
  if (!(total > 0)) throw new DataError(`current-value weights (${Object.keys(weights).join(', ')}) sum to ${total}, expected > 0`);
  return sum / total;
}

/**
 * The weights of the current-value indicators, renormalised to sum 1 within
 * that group so C stays on the 1–5 scale.
 */
export function currentValueWeights(weights: Readonly<Record<string, number>>, ids: readonly string[]): Record<string, number> {
  const total = ids.reduce((s, id) => s + (weights[id] ?? 0), 0);
  if (!(total > 0)) throw new DataError(`current-value indicators (${ids.join(', ')}) have total weight ${total}, expected > 0`);
  return Object.fromEntries(ids.map((id) => [id, (weights[id] ?? 0) / total]));
}

/** C for every customer of a score matrix. */
export function currentValues(matrix: ScoreMatrix, weights: Readonly<Record<string, number>>): number[] {
  const n = matrix.indicators.length;
  const cols = Object.keys(weights).map((id) => {
    const c = matrix.indicators.indexOf(id);
    if (c < 0) throw new DataError(`current-value indicator "${id}" is not among the scored indicators (${matrix.indicators.join(', ')})`, { indicator: id });
    return [id, c] as const;
  });
  const checked = (r: number): number => {
    try {
      return currentValue(Object.fromEntries(cols.map(([id, c]) => [id, matrix.values[r * n + c]!])), weights);
    } catch (e) {
      if (e instanceof DataError) throw new DataError(`customer ${JSON.stringify(matrix.ids[r])}: ${e.message}`, { indicator: e.indicator });
      throw e;
    }
  };
  // currentValue's arithmetic in its order (so the same doubles) without a
  // record per row, which cost more than the rest of scoring; any row it
  // would refuse goes through currentValue itself for the error.
  const ws = cols.map(([id]) => weights[id]!);
  let total = 0;
  for (const w of ws) total += w;
  const out: number[] = [];
  for (let r = 0; r < matrix.ids.length; r++) {
    let sum = 0;
    let ok = total > 0;
    for (let j = 0; ok && j < ws.length; j++) {
      const s = matrix.values[r * n + cols[j]![1]]!;
      ok = s >= 1 && s <= 5;
      sum += s * ws[j]!;
    }
    out.push(ok ? sum / total : checked(r));
  }
  return out;
}

/**
 * The band of a current value.
 *
 * @throws DataError for C outside [1, 5].
 */
export function band(c: number): Band {
  if (!(c >= 1 - TOP_TOLERANCE && c <= 5 + TOP_TOLERANCE)) throw new DataError(`current value ${c} is outside 1–5`);
  if (c >= 5 - TOP_TOLERANCE) return 5;
  return Math.max(1, Math.min(4, Math.floor(c))) as Band;
}

export interface BandRow {
  band: Band;
  /** Inclusive lower bound of C. */
  lower: number;
  /** Exclusive upper bound (5 for band 5, which is C = 5 exactly). */
  upper: number;
  count: number;
  /** count / total, 0 when there are no customers. */
  proportion: number;
}

/** The `cvnet preclassify --json` contract. */
export interface BandTable {
  bands: BandRow[];
}

/** Counts and proportions of customers per band (Table 2 of the study). */
export function bandTable(bands: readonly Band[]): BandTable {
  const total = bands.length;
  return {
    bands: BANDS.map((b) => {
      const count = bands.filter((x) => x === b).length;
      return { band: b, lower: b, upper: b === 5 ? 5 : b + 1, count, proportion: total ? count / total : 0 };
    }),
  };
}
