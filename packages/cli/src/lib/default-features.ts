/**
 * `cvnet train --target` without --features: the input columns chosen from
 * the first rows of the file, and the numeric-looking columns left out,
 * with why. A column is an input when its first value is a number; one
 * whose first value is not but most of whose first rows are is a typo or a
 * gap in a numeric column, so it is refused rather than dropped without a
 * word (training then had one input fewer and said nothing).
 */
import { DataError, isNumeric, locate, openCsv, type CsvRecord } from '@cvnet/core/data';

/** Rows looked at to tell a numeric column with a bad first value from a text column. */
const SAMPLE_ROWS = 100;

export interface SkippedColumn {
  column: string;
  reason: string;
}

export interface FeatureChoice {
  features: string[];
  /** Numeric-looking columns that are not inputs: the id, and columns numeric on fewer than half of the first rows. */
  skipped: SkippedColumn[];
}

/**
 * The default inputs of `path` for `target`.
 * @throws DataError for a file without data rows, or a column numeric on
 *   most of the first rows but not on the first (naming it and suggesting --features).
 */
export async function defaultFeatures(path: string, target: string): Promise<FeatureChoice> {
  const source = await openCsv(path);
  const rows: CsvRecord[] = [];
  try {
    for await (const record of source.records) {
      rows.push(record);
      if (rows.length === SAMPLE_ROWS) break;
    }
  } finally {
    await source.close();
  }
  const first = rows[0];
  if (first === undefined) throw new DataError(`${path}: no data rows below the header`);
  const candidates = source.header.map((column, i) => ({ column, i })).filter(({ column }) => column !== target);
  const numericRows = (i: number): number => rows.filter((r) => isNumeric(r.fields[i]!)).length;
  const features = candidates.filter(({ column, i }) => column.toLowerCase() !== 'id' && isNumeric(first.fields[i]!)).map(({ column }) => column);
  const skipped: SkippedColumn[] = [];
  for (const { column, i } of candidates) {
    if (features.includes(column)) continue;
    const numeric = numericRows(i);
    if (numeric === 0) continue; // text: not numeric-looking
    if (column.toLowerCase() === 'id') {
      skipped.push({ column, reason: 'a customer id, by its name' });
    } else if (2 * numeric > rows.length) {
      throw new DataError(
        `${locate(path, first.line, column)}: ${first.fields[i]!.trim() === '' ? 'empty value' : `${JSON.stringify(first.fields[i]!)} is not a number`}, but ${numeric} of the first ${rows.length} rows have a number there, so the column is not left out silently: fix the value, or choose the inputs with --features ${features.length > 0 ? features.join(',') : '<columns>'}`,
        { row: first.line, column },
      );
    } else {
      skipped.push({ column, reason: `a number on only ${numeric} of the first ${rows.length} rows, not on the first` });
    }
  }
  return { features, skipped };
}
