/**
 * The value K the network learns: an expert-assessed column (K or class), or
 * else the comprehensive weighted score of all indicators rescaled to [0, 1].
 */
import type { ProjectConfig } from '../indicators/config.js';
import { DataError } from '../errors.js';
import type { RowNumbering, ScoreMatrix } from '../indicators/fit.js';
import { decimalValue } from '../number-text.js';
import { lineOf, type CustomerRow } from '../indicators/source.js';
import { classMidpoint, type CustomerClass } from './classify.js';

export interface Target {
  /** K per customer, in [0, 1], in the score matrix's row order. */
  values: number[];
  /** `expert column "X"` or `comprehensive weighted score`, for reports. */
  source: string;
  kind: 'expert-value' | 'expert-class' | 'comprehensive';
}

/**
 * Comprehensive score S = Σ wᵢ·sᵢ (weights renormalised to sum 1) of every
 * customer, rescaled from [1, 5] to [0, 1] as (S − 1)/4.
 */
export function comprehensiveScore(matrix: ScoreMatrix, weights: Readonly<Record<string, number>>): number[] {
  const n = matrix.indicators.length;
  const w = matrix.indicators.map((id) => {
    const x = weights[id];
    if (x === undefined) throw new DataError(`no weight for indicator "${id}"`, { indicator: id });
    return x;
  });
  const total = w.reduce((s, x) => s + x, 0);
  if (!(total > 0)) throw new DataError(`indicator weights sum to ${total}, expected > 0`);
  return matrix.ids.map((_, r) => {
    let s = 0;
    for (let c = 0; c < n; c++) s += w[c]! * matrix.values[r * n + c]!;
    return (s / total - 1) / 4;
  });
}

/**
 * K for every customer. With `config.target` the expert column is read from
 * `rows` (same order as `matrix`): kind "value" needs K in [0, 1]; kind
 * "class" maps A–D to the middle of the class's K interval.
 *
 * @throws DataError naming row and column for a missing or invalid target.
 */
export function computeTarget(
  config: Pick<ProjectConfig, 'target' | 'thresholds'>,
  matrix: ScoreMatrix,
  weights: Readonly<Record<string, number>>,
  rows: readonly CustomerRow[],
  numbering: RowNumbering = {},
): Target {
  const t = config.target;
  if (!t) return { values: comprehensiveScore(matrix, weights), source: 'comprehensive weighted score', kind: 'comprehensive' };
  if (rows.length !== matrix.ids.length) throw new RangeError(`${rows.length} rows but ${matrix.ids.length} scored customers`);
  if (rows[0] && !(t.column in rows[0])) {
    throw new DataError(`target column "${t.column}" (config "target.column") is not in the data`, { column: t.column });
  }
  const values = rows.map((row, r) => {
    const line = lineOf(numbering, r);
    const raw = row[t.column];
    const text = raw === null || raw === undefined ? '' : String(raw).trim();
    const where = `row ${line}, column "${t.column}" (target)`;
    const detail = { row: line, column: t.column };
    if (t.kind === 'class') {
      const cls = text.toUpperCase();
      if (cls !== 'A' && cls !== 'B' && cls !== 'C' && cls !== 'D') {
        throw new DataError(`${where}: expected a class A, B, C or D, got ${JSON.stringify(raw)}`, detail);
      }
      return classMidpoint(cls as CustomerClass, config.thresholds);
    }
    const k = typeof raw === 'number' ? raw : (decimalValue(text) ?? NaN);
    if (!(k >= 0 && k <= 1)) throw new DataError(`${where}: expected a value K in [0, 1], got ${JSON.stringify(raw)}`, detail);
    return k;
  });
  return { values, source: `expert column "${t.column}"`, kind: t.kind === 'class' ? 'expert-class' : 'expert-value' };
}
