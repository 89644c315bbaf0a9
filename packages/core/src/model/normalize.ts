/**
 * Min–max normalisation of input columns to [0, 1], with the ranges of the
 * training data. The ranges are stored in the model so that prediction scales
 * new data exactly as training did.
 */

/** Per-column minimum and maximum of the training data. */
export interface MinMax {
  readonly min: readonly number[];
  readonly max: readonly number[];
}

/**
 * Column ranges of a row-major table (`rows` × `columns`).
 *
 * @throws RangeError when the table has no rows (a range needs data) or its
 *   length is not rows × columns.
 */
export function fitMinMax(data: Float64Array, rows: number, columns: number): MinMax {
  if (data.length !== rows * columns) {
    throw new RangeError(`table has ${data.length} values, expected ${rows} rows × ${columns} columns`);
  }
  if (rows === 0) throw new RangeError('cannot fit min–max ranges on zero rows');
  const min = new Array<number>(columns).fill(Infinity);
  const max = new Array<number>(columns).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const x = data[r * columns + c]!;
      if (x < min[c]!) min[c] = x;
      if (x > max[c]!) max[c] = x;
    }
  }
  return { min, max };
}

export interface MinMaxOptions {
  /**
   * Clip scaled values to [0, 1]. The customer-value method clips: indicator
   * scores live on 1–5, so a value outside the training range only means the
   * sample lacked that score level, and the network should not extrapolate.
   * @default false (plain `cvnet predict` keeps MATLAB's unclipped mapminmax)
   */
  clamp?: boolean;
}

/**
 * Scales every column to (x − min) / (max − min), returning a new table.
 *
 * A column that was constant in the training data (max = min) carries no
 * information, so it maps to 0 for every row instead of dividing by zero;
 * that keeps its weights from receiving any gradient. Values outside the
 * training range are not clipped: they map outside [0, 1], which a tansig
 * hidden layer handles gracefully and which keeps prediction honest about
 * extrapolation.
 */
export function applyMinMax(data: Float64Array, ranges: MinMax, options: MinMaxOptions = {}): Float64Array {
  const columns = ranges.min.length;
  if (ranges.max.length !== columns) {
    throw new RangeError(`min has ${columns} entries but max has ${ranges.max.length}`);
  }
  if (columns === 0 ? data.length !== 0 : data.length % columns !== 0) {
    throw new RangeError(`table of ${data.length} values does not split into rows of ${columns} columns`);
  }
  const out = new Float64Array(data.length);
  for (let c = 0; c < columns; c++) {
    const lo = ranges.min[c]!;
    const span = ranges.max[c]! - lo;
    for (let i = c; i < data.length; i += columns) {
      const x = span > 0 ? (data[i]! - lo) / span : 0;
      out[i] = options.clamp ? Math.min(1, Math.max(0, x)) : x;
    }
  }
  return out;
}
