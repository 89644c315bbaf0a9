/**
 * Customer CSV text → rows, with the same options as the CLI's reader
 * (@cvnet/core/data openCsv: BOM, CRLF/LF, quotes, blank lines skipped, every
 * row as wide as the header) so a file reads the same here and in
 * `cvnet classify`, and errors name the same line numbers.
 */
import { parse, type CsvError, type Info } from 'csv-parse/browser/esm/sync';
import type { CustomerRow } from '@cvnet/core';

/** A problem in the file, located by 1-based line (header = line 1) and column. */
export class CsvProblem extends Error {
  constructor(message: string, readonly row?: number, readonly column?: string) {
    super(message);
    this.name = 'CsvProblem';
  }
}

export interface CustomerTable {
  header: string[];
  rows: CustomerRow[];
  /** The file line each row ends on: row numbers in later error messages. */
  lines: number[];
}

const where = (line: number, column?: string): string => `line ${line}${column === undefined ? '' : `, column "${column}"`}`;

function translate(error: unknown): Error {
  const csv = error as Partial<CsvError> & { lines?: number };
  if (typeof csv.code !== 'string' || !csv.code.startsWith('CSV_')) return error as Error;
  const line = csv.lines ?? 0;
  // csv-parse's own message ends with "at line N"; our prefix says where.
  const reason = String(csv.message).replace(/:? (?:at|on) line \d+.*$/, '');
  return new CsvProblem(`${where(line)}: malformed CSV (${reason})`, line);
}

/** A row as wide as the header, or a CsvProblem naming the first missing or extra column. */
function checkWidth(header: readonly string[], record: readonly string[], line: number): void {
  const got = record.length;
  if (got === header.length) return;
  const column = got < header.length ? header[got]! : header[header.length - 1]!;
  const detail = got < header.length ? `column "${column}" onwards is missing` : `extra field(s) after the last column "${column}"`;
  throw new CsvProblem(`${where(line)}: row has ${got} fields, expected ${header.length} (one per header column); ${detail}`, line, column);
}

/**
 * Parses customer CSV text with a header row.
 *
 * @throws CsvProblem for an empty file, a bad header, malformed CSV or a row
 *   with the wrong number of fields.
 */
export function parseCustomers(text: string): CustomerTable {
  let records: { record: string[]; info: Info }[];
  try {
    // Widths are checked below, so that a ragged row is reported by column name.
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as { record: string[]; info: Info }[];
  } catch (error) {
    throw translate(error);
  }
  const head = records.shift();
  if (!head) throw new CsvProblem('the file is empty (expected a header row with column names)', 1);
  const header = head.record.map((name) => name.trim());
  header.forEach((name, i) => {
    if (name === '') throw new CsvProblem(`${where(head.info.lines)}: column ${i + 1} of the header has no name`, head.info.lines);
    if (header.indexOf(name) !== i) throw new CsvProblem(`${where(head.info.lines, name)}: the header names column "${name}" twice`, head.info.lines, name);
  });
  const rows = records.map(({ record, info }) => {
    checkWidth(header, record, info.lines);
    return Object.fromEntries(header.map((name, i) => [name, record[i]])) as CustomerRow;
  });
  return { header, rows, lines: records.map((r) => r.info.lines) };
}
