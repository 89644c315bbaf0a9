/**
 * CSV in and out. Reading is core's readCsvText (csv-parse, with no Node
 * built-ins, so it runs on workerd too), the reader of the web app, which
 * reads a body exactly as `cvnet classify` reads the same file: same rows,
 * same verdicts, same line numbers. Writing formats one line the way
 * csv-stringify does (core's fast writer needs Node's Buffer).
 */
import { DataError } from '@cvnet/core';
import { CsvRecordLimitError, readCsvText, type CsvText } from '@cvnet/core/csv-text';
import { HttpProblem } from './problem.js';

/**
 * Parses a CSV body with a header row.
 *
 * @param maxRecords more data rows than this is a 413 problem.
 * @throws HttpProblem 400 `malformed-body` naming the line for malformed CSV,
 *   a bad header or a row whose width differs from the header's; 413
 *   `too-many-customers` past `maxRecords`.
 */
export function parseCsv(text: string, maxRecords: number): CsvText {
  try {
    return readCsvText(text, { maxRecords });
  } catch (error) {
    if (error instanceof CsvRecordLimitError) {
      throw new HttpProblem('too-many-customers', `the CSV body has more than ${maxRecords} customers (the limit per request)`);
    }
    if (error instanceof DataError) throw new HttpProblem('malformed-body', error.message);
    throw error;
  }
}

/** One CSV line (with its newline), quoting fields that need it. */
export function csvLine(values: readonly (string | number)[]): string {
  return `${values.map((v) => (typeof v === 'string' && /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v))).join(',')}\n`;
}
