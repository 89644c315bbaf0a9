/**
 * Customer CSV text → rows, with core's readCsvText: the reader the server
 * uses, which reads a file exactly as `cvnet classify` does (BOM, CRLF/LF,
 * quotes, blank lines skipped, every row as wide as the header), so errors
 * name the same line numbers.
 */
import type { CustomerRow } from '@cvnet/core';
import { readCsvText } from '@cvnet/core/csv-text';

export interface CustomerTable {
  header: readonly string[];
  rows: CustomerRow[];
  /** The file line each row ends on: row numbers in later error messages. */
  lines: number[];
}

/**
 * Parses customer CSV text with a header row.
 *
 * @throws DataError (row = line, and column where there is one) for empty
 *   text, a bad header, malformed CSV or a row with the wrong number of fields.
 */
export function parseCustomers(text: string): CustomerTable {
  const { header, records } = readCsvText(text);
  return {
    header,
    rows: records.map((r) => Object.fromEntries(header.map((name, i) => [name, r.fields[i]!])) as CustomerRow),
    lines: records.map((r) => r.line),
  };
}
