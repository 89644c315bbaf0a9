/**
 * Reading CSV files with csv-parse: a header row, then records with the line
 * they end on, streamed so that large files use flat memory. Every problem
 * becomes a DataError naming the file, line (the header is line 1, as in a
 * spreadsheet or editor) and column.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError, type Info } from 'csv-parse';
// One DataError for all customer-data problems (defined with the indicators).
import { DataError } from '../errors.js';

/** One data row and the line of the file it ends on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvSource {
  readonly path: string;
  /** Column names from the header row, trimmed. */
  readonly header: readonly string[];
  /** The data rows, read lazily; errors surface as DataError while iterating. */
  readonly records: AsyncIterable<CsvRecord>;
}

/** Where a value is, for error messages. */
export function locate(path: string, line?: number, column?: string): string {
  return `${path}${line === undefined ? '' : `, line ${line}`}${column === undefined ? '' : `, column "${column}"`}`;
}

/**
 * Opens a CSV file and reads its header row. Handles a UTF-8 BOM, CRLF or LF
 * line ends, quoted fields and blank lines (skipped). Rows must have as many
 * fields as the header.
 *
 * @throws DataError when the file is missing, not a file, empty, or its header
 *   has an unnamed or repeated column.
 */
export async function openCsv(path: string): Promise<CsvSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new DataError(
      error.code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${error.message})`,
    );
  });
  if (!info.isFile()) throw new DataError(`${path}: not a file`);

  const parser = createReadStream(path).pipe(parse({ bom: true, info: true, skip_empty_lines: true }));
  // Read errors (permissions, …) arrive on the file stream, not the parser.
  parser.on('pipe', (source: NodeJS.ReadableStream) => source.on('error', (e) => parser.destroy(e)));
  const iterator = translate(parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: Info }>, path);

  const first = await iterator.next();
  if (first.done === true) {
    throw new DataError(`${path}: file is empty (expected a header row with column names)`);
  }
  const header = first.value.fields.map((name) => name.trim());
  header.forEach((name, i) => {
    if (name === '') throw new DataError(`${locate(path, first.value.line)}: column ${i + 1} of the header has no name`);
    if (header.indexOf(name) !== i) {
      throw new DataError(`${locate(path, first.value.line)}: the header names column "${name}" twice`);
    }
  });
  const records: AsyncIterable<CsvRecord> = { [Symbol.asyncIterator]: () => iterator };
  return { path, header, records };
}

/** Turns csv-parse's records and errors into CsvRecords and DataErrors. */
async function* translate(
  source: AsyncIterator<{ record: string[]; info: Info }>,
  path: string,
): AsyncGenerator<CsvRecord> {
  try {
    for (;;) {
      let next: IteratorResult<{ record: string[]; info: Info }>;
      try {
        next = await source.next();
      } catch (error) {
        throw toDataError(error, path);
      }
      if (next.done === true) return;
      yield { line: next.value.info.lines, fields: next.value.record };
    }
  } finally {
    // A reader that stops early (or fails) closes the parser and the file.
    await source.return?.();
  }
}

function toDataError(error: unknown, path: string): Error {
  if (error instanceof DataError) return error;
  const csv = error as Partial<CsvError> & { lines?: number; record?: unknown };
  if (csv.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const got = Array.isArray(csv.record) ? csv.record.length : undefined;
    const expected = /expect (\d+)/.exec(String(csv.message))?.[1];
    return new DataError(
      `${locate(path, csv.lines)}: row has ${got ?? 'a different number of'} fields, expected ${expected ?? 'as many as the header'} (one per header column)`,
      { row: csv.lines },
    );
  }
  if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) {
    // csv-parse's own message ends with "at line N"; our prefix says where.
    const reason = String(csv.message).replace(/:? (?:at|on) line \d+.*$/, '');
    return new DataError(`${locate(path, csv.lines)}: malformed CSV (${reason})`, { row: csv.lines });
  }
  const io = error as NodeJS.ErrnoException;
  return new DataError(`${path}: cannot read (${io.message})`);
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a field is a plain decimal number (what parseNumber accepts). */
export function isNumeric(text: string): boolean {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) && Number.isFinite(Number(trimmed));
}

/**
 * A field as a finite number. Only plain decimal notation is accepted (no
 * hex, no empty fields, which Number() would silently read as 0).
 *
 * @throws DataError naming file, line and column.
 */
export function parseNumber(text: string, path: string, line: number, column: string): number {
  const trimmed = text.trim();
  const where = locate(path, line, column);
  if (trimmed === '') throw new DataError(`${where}: empty value, expected a number`, { row: line, column });
  if (/^[+-]?(?:nan|inf(?:inity)?)$/i.test(trimmed)) {
    throw new DataError(`${where}: ${JSON.stringify(trimmed)} is not a finite number`, { row: line, column });
  }
  if (!NUMBER.test(trimmed)) {
    throw new DataError(`${where}: ${JSON.stringify(trimmed)} is not a number`, { row: line, column });
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new DataError(`${where}: ${trimmed} is too large for a 64-bit float`, { row: line, column });
  }
  return value;
}

/**
 * Positions of `names` in the header.
 *
 * @throws DataError for a missing column, listing the available ones.
 */
export function columnIndexes(source: Pick<CsvSource, 'path' | 'header'>, names: readonly string[]): number[] {
  return names.map((name) => {
    const index = source.header.indexOf(name);
    if (index < 0) {
      throw new DataError(
        `${source.path}: no column "${name}" (columns: ${source.header.join(', ')})`,
        { column: name },
      );
    }
    return index;
  });
}

/** A numeric table read from CSV, row-major. */
export interface NumericTable {
  readonly path: string;
  readonly columns: readonly string[];
  readonly rows: number;
  /** rows × columns.length values, row-major. */
  readonly data: Float64Array;
  /** The file line of each row, for error messages. */
  readonly lines: readonly number[];
}

/**
 * Chooses columns once the header and first data row are known (the first
 * row is undefined for a file with only a header).
 */
export type ColumnChooser = (header: readonly string[], first: CsvRecord | undefined) => readonly string[];

/**
 * Reads the chosen columns of a CSV file as numbers.
 *
 * @throws DataError for any file, CSV or value problem (see openCsv and
 *   parseNumber).
 */
export async function readNumericTable(
  path: string,
  columns: readonly string[] | ColumnChooser,
): Promise<NumericTable> {
  const source = await openCsv(path);
  const iterator = source.records[Symbol.asyncIterator]();
  const first = await iterator.next();
  const firstRecord = first.done === true ? undefined : first.value;
  const names = typeof columns === 'function' ? [...columns(source.header, firstRecord)] : [...columns];
  const indexes = columnIndexes(source, names);
  const width = names.length;
  let data = new Float64Array(Math.max(1, width) * 1024);
  let rows = 0;
  const lines: number[] = [];
  const add = (record: CsvRecord): void => {
    if ((rows + 1) * width > data.length) {
      const grown = new Float64Array(data.length * 2);
      grown.set(data);
      data = grown;
    }
    indexes.forEach((index, c) => {
      data[rows * width + c] = parseNumber(record.fields[index]!, path, record.line, names[c]!);
    });
    lines.push(record.line);
    rows++;
  };
  if (firstRecord !== undefined) add(firstRecord);
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) add(next.value);
  return { path, columns: names, rows, data: data.slice(0, rows * width), lines };
}
