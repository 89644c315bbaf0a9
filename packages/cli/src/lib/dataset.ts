import { applyMinMax, fitMinMax, type Dataset, type MinMax } from '@cvnet/core';
import type { NumericTable } from '@cvnet/core/data';

/** Rows of a table (features then target columns) as a Dataset. */
export function toDataset(table: NumericTable, rows: readonly number[], features: number, ranges: MinMax): Dataset {
  const width = table.columns.length;
  const outputs = width - features;
  const inputs = new Float64Array(rows.length * features);
  const targets = new Float64Array(rows.length * outputs);
  rows.forEach((row, q) => {
    inputs.set(table.data.subarray(row * width, row * width + features), q * features);
    targets.set(table.data.subarray(row * width + features, (row + 1) * width), q * outputs);
  });
  return { samples: rows.length, inputs: applyMinMax(inputs, ranges), targets };
}

/** Min–max ranges of the feature columns over the given rows. */
export function featureRanges(table: NumericTable, rows: readonly number[], features: number): MinMax {
  const width = table.columns.length;
  const data = new Float64Array(rows.length * features);
  rows.forEach((row, q) => data.set(table.data.subarray(row * width, row * width + features), q * features));
  return fitMinMax(data, rows.length, features);
}
