/**
 * CSV text (a whole file or request body already in memory) → header and
 * records, on any runtime: Node, browsers and workerd. core's openCsv
 * (@cvnet/core/data) streams files with Node's fs and is Node-only; this is
 * its in-memory counterpart, and reads a text exactly as openCsv reads the
 * same file: the same records, the same verdicts, the same line numbers.
 *
 * The parsing is csv-parse's. Its browser build is used because it bundles
 * its Buffer polyfill and so needs no Node built-in (its Node build uses the
 * global Buffer, which browsers and plain workerd lack). Options, and why:
 * - `bom`: a UTF-8 BOM is not part of the first column name;
 * - `skip_empty_lines`: blank lines are no customers;
 * - `relax_quotes` off (the default): a stray quote is an error, not data;
 * - `relax_column_count`: widths are checked here, so that a ragged row is
 *   reported by column name, with openCsv's message;
 * - `record_delimiter` CRLF or LF, fixed rather than detected from the first
 *   line: openCsv accepts files mixing them, which detection would refuse.
 *
 * Line numbers count LFs (the header is line 1, as in an editor), as openCsv
 * does; csv-parse's own count also counts a CR inside a quoted value, so
 * they are computed from the byte offsets csv-parse reports instead.
 */
import { CsvError, parse, type InfoRecord, type Options } from 'csv-parse/browser/esm/sync';
import { checkHeader, fieldAtEnd, firstInvalidUtf8, notUtf8 } from '../csv-checks.js';
import { DataError } from '../errors.js';

/** One data row and the line of the text it ends on (1-based; the header is line 1). */
export interface CsvTextRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvText {
  /** Column names from the header row, trimmed. */
  readonly header: readonly string[];
  readonly records: readonly CsvTextRecord[];
}

export interface ReadCsvTextOptions {
  /**
   * More data rows than this is a CsvRecordLimitError, thrown at the first
   * row past the limit without reading further.
   * @default no limit
   */
  maxRecords?: number;
}

/** The text has more data rows than `maxRecords`. */
export class CsvRecordLimitError extends DataError {
  readonly limit: number;
  constructor(limit: number, line: number) {
    super(`line ${line}: more than ${limit} rows (the limit)`, { row: line });
    this.name = 'CsvRecordLimitError';
    this.limit = limit;
  }
}

const OPTIONS = {
  bom: true,
  skip_empty_lines: true,
  relax_column_count: true,
  record_delimiter: ['\r\n', '\n'],
} satisfies Options;

const LF = 10;
const CR = 13;

const where = (line: number, column?: string): string => `line ${line}${column === undefined ? '' : `, column "${column}"`}`;

/** Line numbers of byte offsets, for offsets asked in increasing order (one pass over the bytes). */
class LineCounter {
  private offset = 0;
  private lfs = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** 1 + the LFs before `offset`. */
  lineAt(offset: number): number {
    for (; this.offset < offset; this.offset++) if (this.bytes[this.offset] === LF) this.lfs++;
    return this.lfs + 1;
  }

  /**
   * The line a record ends on, from csv-parse's offset just past it: past its
   * LF or CRLF, whose LF is not counted, or the end of the text.
   */
  lineOfRecordEndingAt(end: number): number {
    const line = this.lineAt(end);
    return this.bytes[end - 1] === LF ? line - 1 : line;
  }
}


/** A DataError naming the first missing column, or the last one for extra fields, unless the row is as wide as the header. */
function checkWidth(header: readonly string[], fields: readonly string[], line: number): void {
  const got = fields.length;
  if (got === header.length) return;
  const column = got < header.length ? header[got]! : header[header.length - 1]!;
  const detail = got < header.length ? `column "${column}" onwards is missing` : `extra field(s) after the last column "${column}"`;
  throw new DataError(`${where(line)}: row has ${got} fields, expected ${header.length} (one per header column); ${detail}`, { row: line, column });
}

/**
 * The text of a CSV file's bytes, refusing bytes that are not UTF-8 with
 * openCsv's message (line, column, the byte): decoding would turn them into
 * U+FFFD without a word, corrupting ids and making different ones equal.
 *
 * @throws DataError with `row`, and `column` past the header.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8: find where, for the message.
  }
  const bad = firstInvalidUtf8(bytes);
  // The valid text before it, read as openCsv does: records end at a line break outside quotes, blank lines are skipped.
  const text = new TextDecoder().decode(bytes.subarray(0, bad));
  let recordStart = 0;
  let headerEnd: number | undefined;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === LF && !quoted) {
      if (headerEnd === undefined && text.slice(recordStart, i).trim() !== '') headerEnd = i;
      recordStart = i + 1;
    }
  }
  const line = new LineCounter(bytes).lineAt(bad);
  const header = headerEnd === undefined ? undefined : headerNames(text.slice(0, headerEnd));
  throw notUtf8(where(line), line, bytes[bad]!, fieldAtEnd(text.slice(recordStart)), header);
}


/** The header's names as written (openCsv names the column before it checks the header); split at commas if it is not even CSV. */
function headerNames(text: string): string[] {
  try {
    return ((parse(text, { ...OPTIONS, to: 1 }) as string[][])[0] ?? []).map((name) => name.trim());
  } catch {
    return text.split(',').map((name) => name.trim());
  }
}

/**
 * Parses CSV text with a header row: quoted fields (commas, doubled quotes,
 * line breaks inside), CRLF or LF line ends (mixed too), a UTF-8 BOM, blank
 * lines skipped. Every row must be as wide as the header.
 *
 * @throws DataError with `row` (the line) for empty text, an unnamed or
 *   repeated header column, malformed CSV (a quote not closed, text after a
 *   closing quote, a quote inside an unquoted field: csv-parse's reason in
 *   the message) or a row of the wrong width (with `column`);
 *   CsvRecordLimitError past `maxRecords`.
 */
export function readCsvText(text: string, options: ReadCsvTextOptions = {}): CsvText {
  const limit = options.maxRecords ?? Infinity;
  // openCsv drops a line's trailing CR; only the last line's is not part of a CRLF delimiter.
  const input = text.endsWith('\r') ? text.slice(0, -1) : text;
  // csv-parse encodes the string the same way; its byte offsets index these bytes.
  const bytes = new TextEncoder().encode(input);
  const lines = new LineCounter(bytes);
  let header: string[] | undefined;
  const records: CsvTextRecord[] = [];
  /** Byte offset just past the last record read: where a malformed one starts (after blank lines). */
  let parsed = 0;
  const onRecord = (fields: string[], info: InfoRecord): null => {
    const line = lines.lineOfRecordEndingAt(info.bytes);
    parsed = info.bytes;
    if (header === undefined) {
      header = checkHeader(fields, where(line), line);
    } else {
      checkWidth(header, fields, line);
      if (records.length >= limit) throw new CsvRecordLimitError(limit, line);
      records.push({ line, fields });
    }
    // Kept here, not in csv-parse's result array.
    return null;
  };
  try {
    parse(input, { ...OPTIONS, on_record: onRecord });
  } catch (error) {
    if (error instanceof CsvError) throw malformed(error, bytes, parsed);
    throw error;
  }
  if (header === undefined) throw new DataError('the CSV text is empty (expected a header row with column names)', { row: 1 });
  return { header, records };
}

/**
 * csv-parse's error as a DataError at openCsv's line: where an unclosed
 * quote opens its record, else the line of the error inside the record
 * (counted by csv-parse from the record's first line, as openCsv does).
 */
function malformed(error: CsvError, bytes: Uint8Array, parsed: number): DataError {
  // The failing record starts after the last good one and any blank lines (and the BOM, at the start).
  let start = parsed === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : parsed;
  for (;;) {
    if (bytes[start] === LF) start += 1;
    else if (bytes[start] === CR && bytes[start + 1] === LF) start += 2;
    else break;
  }
  const first = new LineCounter(bytes).lineAt(start);
  let line = first;
  if (error.code !== 'CSV_QUOTE_NOT_CLOSED') {
    // The failing record alone fails at the same place: a record starts from a fresh parser state.
    try {
      parse(new TextDecoder().decode(bytes.subarray(start)), { ...OPTIONS, bom: false, to: 1 });
    } catch (again) {
      if (again instanceof CsvError) line = first + (again as CsvError & { lines: number }).lines - 1;
    }
  }
  // csv-parse's message ends with "at line N" in its own count; the prefix says where instead.
  const reason = error.message.replace(/:? (?:at|on) line \d+.*$/, '');
  return new DataError(`${where(line)}: malformed CSV (${reason})`, { row: line });
}
