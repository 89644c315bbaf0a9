/**
 * Reading CSV files: a header row, then records with the line they end on,
 * streamed in batches so that large files use flat memory. Every problem
 * becomes a DataError naming the file, line (the header is line 1, as in a
 * spreadsheet or editor) and column.
 *
 * Speed: csv-parse costs about 5 µs per 16-field row, more than scoring the
 * row, so lines are split here: a line without a quote is `split(',')`, a
 * quoted record goes through a small RFC 4180 scanner. Anything that scanner
 * refuses (a stray quote, an unclosed one) is handed to csv-parse, whose
 * verdict and error message stand, so the accepted grammar and the errors are
 * csv-parse's defaults, except: a line's trailing CR is always dropped (csv-parse
 * refuses files mixing CRLF and LF), line numbers count LFs (csv-parse also
 * counts a CR inside a quoted value), and an unclosed quote is reported at the
 * line where it opens.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { CsvError } from 'csv-parse/sync';
// One DataError for all customer-data problems.
import { checkHeader, fieldAtEnd, firstInvalidUtf8, notUtf8 } from '../csv-checks.js';
import { DataError } from '../errors.js';
import { DECIMAL, decimalValue } from '../number-text.js';
import { NEEDS_QUOTES } from './csv-write.js';

type CsvParseSync = typeof import('csv-parse/sync');
let csvParseModule: CsvParseSync | undefined;

/**
 * csv-parse, loaded on first use: only records the scanner refuses need it,
 * and its CommonJS build loads in about 4 ms against about 10 ms for the ESM
 * one at every start-up (`cvnet predict` start-up time).
 */
function csvParse(): CsvParseSync {
  return (csvParseModule ??= createRequire(import.meta.url)('csv-parse/sync') as CsvParseSync);
}

/** Only CRLF and LF end a record, as in the scanner and @cvnet/core/csv-text: a stray CR is data, never a line end. */
const LINE_ENDS = ['\r\n', '\n'];

/** One data row and the line of the file it ends on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
  /**
   * The row's own text when it is already what csv-stringify writes for
   * `fields`: one line, no carriage return, and quotes around exactly the
   * fields that need them (a quote, comma or line break inside), as in
   * cvnet's own output. Writers can copy it instead of re-quoting every
   * field. Absent otherwise.
   */
  readonly text?: string;
}

export interface CsvSource {
  readonly path: string;
  /** Column names from the header row, trimmed. */
  readonly header: readonly string[];
  /**
   * Where the rows start: the byte after the header record (after its line
   * break, if any) and the lines up to there; for openCsvAt, its `at`. A
   * reader of whole lines (lineBlocks) can start there, as no record is open.
   */
  readonly dataStart: CsvPosition;
  /**
   * The data rows, read lazily; errors surface as DataError while iterating.
   * Use either `records` or `batches`: they share one reader.
   */
  readonly records: AsyncIterable<CsvRecord>;
  /** The same rows in batches (a few hundred, one per block read), for fast consumers. */
  readonly batches: AsyncIterable<readonly CsvRecord[]>;
  /** Closes the file without reading on (reading to the end, or an error, closes it too). */
  close(): Promise<void>;
}

/**
 * Bytes per read, so a batch is a few hundred rows. Small batches keep a
 * consumer's per-row objects short-lived: V8's young-generation GC copies
 * whatever is still alive, and a batch of thousands of rows being scored is.
 * Measured on 1 M survey rows (batch → scoreWithModel → CSV): 9.5 s with
 * 256 KiB reads, 4.7 s with 16 KiB; predict's speed barely changes.
 */
const BLOCK = 16 * 1024;

/** Where a value is, for error messages. */
export function locate(path: string, line?: number, column?: string): string {
  return `${path}${line === undefined ? '' : `, line ${line}`}${column === undefined ? '' : `, column "${column}"`}`;
}

/**
 * Opens a CSV file and reads its header row. Handles a UTF-8 BOM, CRLF or LF
 * line ends, quoted fields (with commas, doubled quotes and line breaks) and
 * blank lines (skipped). Rows must have as many fields as the header.
 *
 * @throws DataError when the file is missing, not a file, empty, or its header
 *   has an unnamed or repeated column, or shows the file is not comma-separated
 *   with LF or CRLF line ends (one column holding tabs or semicolons, a CR).
 */
export async function openCsv(path: string): Promise<CsvSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new DataError(
      error.code === 'ENOENT' ? `${path}: file not found${path === '-' ? ' (cvnet reads customer files by path, not from standard input)' : ''}` : `${path}: cannot read (${error.message})`,
    );
  });
  if (!info.isFile()) throw new DataError(`${path}: not a file${path === '/dev/stdin' ? ' (cvnet reads customer files by path, not from standard input)' : ''}`);

  const scanner = new Scanner(path);
  const blocks = readBlocks(path, scanner);
  // The header comes out of the first non-empty batch; rows after it in the
  // same batch are handed out before the next block is read.
  let pending: CsvRecord[] = [];
  let head: CsvRecord | undefined;
  while (head === undefined) {
    const next = await blocks.next();
    if (next.done === true) break;
    pending = next.value;
    head = pending.shift();
  }
  if (head === undefined) {
    throw new DataError(`${path}: file is empty (expected a header row with column names)`);
  }
  const header = checkHeader(head.fields, locate(path, head.line), head.line);
  scanner.width = header.length;
  scanner.columns = header;

  return sourceOf(path, header, scanner.firstRecordEnd!, blocks, pending);
}

/**
 * A CsvSource over a block reader: `pending` rows (read with the header,
 * before the scanner knew the width) first, then the rest.
 */
function sourceOf(path: string, header: readonly string[], dataStart: CsvPosition, blocks: AsyncGenerator<CsvRecord[], void>, pending: readonly CsvRecord[] = []): CsvSource {
  async function* batches(): AsyncGenerator<readonly CsvRecord[]> {
    try {
      if (pending.length > 0) {
        const bad = pending.findIndex((r) => r.fields.length !== header.length);
        if (bad >= 0) {
          if (bad > 0) yield pending.slice(0, bad);
          throw raggedRow(path, pending[bad]!.line, pending[bad]!.fields.length, header.length);
        }
        yield pending;
        pending = []; // not kept alive for the rest of the file
      }
      for (let next = await blocks.next(); next.done !== true; next = await blocks.next()) {
        if (next.value.length > 0) yield next.value;
      }
    } finally {
      // A reader that stops early (or fails) closes the file.
      await blocks.return(undefined);
    }
  }
  const shared = batches();
  async function* records(): AsyncGenerator<CsvRecord> {
    for await (const batch of shared) yield* batch;
  }
  return {
    path,
    header,
    dataStart,
    records: lazily(records),
    batches: { [Symbol.asyncIterator]: () => shared },
    close: async () => {
      await blocks.return(undefined);
    },
  };
}

/** Where a scan starts in the middle of a file: at a line's first byte. */
export interface CsvPosition {
  /** Byte offset in the file. */
  readonly byte: number;
  /** Lines before that byte (the number of the line it ends). */
  readonly line: number;
}

/**
 * The records of a CSV file from `at` on, read like openCsv's (same
 * grammar, line numbers and errors) under an already-read `header`: a
 * reader that handled the lines before `at` itself hands the rest over.
 */
export function openCsvAt(path: string, header: readonly string[], at: CsvPosition): CsvSource {
  const scanner = new Scanner(path, at);
  scanner.width = header.length;
  scanner.columns = header;
  return sourceOf(path, header, at, readBlocks(path, scanner, at.byte));
}

/**
 * The records of whole lines of a CSV file, as openCsv reads them, for a
 * reader that takes lines in bulk and hands a block back when it cannot;
 * undefined when the block is the record reader's from its first line on:
 * when the last record is still open at the end of `bytes` (a quoted field
 * going on past it), or when a record is malformed (openCsvAt then hands
 * out the rows before it first, so an error in an earlier row comes first).
 *
 * @param linesBefore lines of the file before `bytes[0]`, where no record is open.
 */
export function recordsOfLines(path: string, width: number, bytes: Buffer, linesBefore: number): CsvRecord[] | undefined {
  const scanner = new Scanner(path, { byte: 0, line: linesBefore });
  scanner.width = width;
  const out: CsvRecord[] = [];
  try {
    scanner.push(bytes, out);
    if (scanner.isOpen) return undefined;
    scanner.end(out);
  } catch (error) {
    if (error instanceof DataError) return undefined;
    throw error;
  }
  return out;
}

/** An iterable whose iterator is created on first use (one pass only). */
function lazily<T>(make: () => AsyncIterator<T>): AsyncIterable<T> {
  let iterator: AsyncIterator<T> | undefined;
  return { [Symbol.asyncIterator]: () => (iterator ??= make()) };
}

/** The file's records from byte `start` on, one batch per block read. */
async function* readBlocks(path: string, scanner: Scanner, start = 0): AsyncGenerator<CsvRecord[], void, undefined> {
  const stream = createReadStream(path, { highWaterMark: BLOCK, start });
  try {
    let first = start === 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bom = first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
      if (bom) scanner.skip(3);
      yield* upTo((out) => scanner.push(bom ? chunk.subarray(3) : chunk, out));
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`${path}: cannot read (${(error as Error).message})`);
  } finally {
    stream.destroy();
  }
  yield* upTo((out) => scanner.end(out));
}

/**
 * The records a scanner step found, then its error if it failed: the rows
 * before a bad one are handed out first, so the error surfaces when the
 * reader gets to it (as with a record-by-record parser), not at openCsv.
 */
function* upTo(step: (out: CsvRecord[]) => void): Generator<CsvRecord[]> {
  const out: CsvRecord[] = [];
  try {
    step(out);
  } catch (error) {
    if (out.length > 0) yield out;
    throw error;
  }
  yield out;
}

function raggedRow(path: string, line: number, got: number, expected: number): DataError {
  return new DataError(`${locate(path, line)}: row has ${got} fields, expected ${expected} (one per header column)`, { row: line });
}

const QUOTE = 34;
const COMMA = 44;

/**
 * Splits text into records line by line, carrying a partial last line (or an
 * open quoted field) over to the next block. Checks row widths once `width`
 * (the header's) is set.
 */
class Scanner {
  /** Header width; 0 until the header is read. */
  width = 0;
  /** Header names once known, to name the column of a byte that is not UTF-8. */
  columns: readonly string[] = [];
  /** Lines seen so far: the number of the line being completed. */
  private line: number;
  /** File offset of the first byte not yet split into lines (`rest[0]`). */
  private byte: number;
  /** Bytes after the last line break of the previous block. */
  private rest: Buffer = Buffer.alloc(0);
  /** Where the first record it found ends (openCsv's header): undefined until then. */
  firstRecordEnd: CsvPosition | undefined;
  /** A quoted record still open at a line break: its text so far and first line. */
  private open: { text: string; from: number } | undefined;

  /** Whether a quoted field is open at the last line break seen. */
  get isOpen(): boolean {
    return this.open !== undefined;
  }

  /** @param at where the first byte it is given is (a scan may start mid-file). */
  constructor(private readonly path: string, at: CsvPosition = { byte: 0, line: 0 }) {
    this.line = at.line;
    this.byte = at.byte;
  }

  /** Counts `bytes` file bytes that are not given to it (a BOM). */
  skip(bytes: number): void {
    this.byte += bytes;
  }

  /**
   * Lines are found in the bytes (an LF byte never occurs inside a UTF-8
   * sequence) and decoded one by one: each line is then its own small
   * string, so a field kept by a consumer (an id in a duplicate check) pins
   * its line, never a whole block as a slice of a decoded block would.
   */
  push(chunk: Buffer, out: CsvRecord[]): void {
    const bytes = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    // The whole lines of the block checked in one pass (simdutf): only a block that fails is checked line by line.
    const utf8 = isUtf8(bytes.subarray(0, bytes.lastIndexOf(10) + 1));
    let start = 0;
    for (let end = bytes.indexOf(10); end >= 0; end = bytes.indexOf(10, start)) {
      this.line++;
      this.take(utf8 ? bytes.toString('utf8', start, end) : this.decode(bytes.subarray(start, end), out), out);
      start = end + 1;
      this.noteFirstRecord(out, this.byte + start);
    }
    this.byte += start;
    this.rest = bytes.subarray(start);
  }

  end(out: CsvRecord[]): void {
    if (this.rest.length > 0) {
      this.line++;
      this.take(this.decode(this.rest, out), out);
      this.byte += this.rest.length;
      this.noteFirstRecord(out, this.byte);
      this.rest = Buffer.alloc(0);
    }
    if (this.open !== undefined) throw this.unclosed(this.open.text, this.open.from);
  }

  /**
   * One line as text, for a line whose block failed the UTF-8 check (and the
   * last line). Decoding turns bytes that are not UTF-8 (a Latin-1 "é" from a
   * spreadsheet export) into U+FFFD without a word, which would corrupt ids
   * and make different ones equal; only a line holding U+FFFD can be one.
   */
  private decode(line: Buffer, out: readonly CsvRecord[]): string {
    const text = line.toString('utf8');
    if (text.indexOf('\uFFFD') >= 0 && !isUtf8(line)) throw this.notUtf8(line, out);
    return text;
  }

  /** The error for `line`, naming the column from the header (openCsv sets it after the first block; within that block it is the first record out). */
  private notUtf8(line: Buffer, out: readonly CsvRecord[]): DataError {
    const bad = firstInvalidUtf8(line);
    // The field it is in, counted in its record, which may have begun lines ago.
    const record = `${this.open === undefined ? '' : `${this.open.text}\n`}${line.toString('utf8', 0, bad)}`;
    const header = this.columns.length > 0 ? this.columns : this.firstRecordEnd === undefined ? undefined : out[0]?.fields.map((name) => name.trim());
    return notUtf8(locate(this.path, this.line), this.line, line[bad]!, fieldAtEnd(record), header);
  }

  /** Notes where the first record ends once one is out, `byte` being the end of the line just taken. */
  private noteFirstRecord(out: readonly CsvRecord[], byte: number): void {
    if (this.firstRecordEnd === undefined && out.length > 0) this.firstRecordEnd = { byte, line: this.line };
  }

  /** One physical line, without its LF. */
  private take(raw: string, out: CsvRecord[]): void {
    if (this.open !== undefined) {
      // Inside a quoted field the line break and any CR belong to the value.
      this.open.text += `\n${raw}`;
      this.quoted(this.open.text, this.open.from, out);
      return;
    }
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line === '') return;
    if (line.indexOf('"') < 0) {
      const fields = line.split(',');
      if (this.width !== 0 && fields.length !== this.width) throw raggedRow(this.path, this.line, fields.length, this.width);
      out.push(line.indexOf('\r') < 0 ? { line: this.line, fields, text: line } : { line: this.line, fields });
      return;
    }
    this.quoted(raw, this.line, out);
  }

  /** Set by splitQuoted: whether every quoted field it read needed its quotes. */
  private readonly quoting = { needed: true };

  /** A record with quotes, `raw` from line `from` to the current one (raw line ends inside). */
  private quoted(raw: string, from: number, out: CsvRecord[]): void {
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const fields = splitQuoted(text, this.quoting);
    if (fields === 'open') {
      this.open ??= { text: raw, from };
      return;
    }
    this.open = undefined;
    const parsed = fields === 'invalid' ? this.viaCsvParse(text, from) : fields;
    if (this.width !== 0 && parsed.length !== this.width) throw raggedRow(this.path, this.line, parsed.length, this.width);
    // Quoted as csv-stringify quotes, on one line without CR: its own text is the writers'.
    const own = fields !== 'invalid' && this.quoting.needed && from === this.line && text.indexOf('\r') < 0;
    out.push(own ? { line: this.line, fields: parsed, text } : { line: this.line, fields: parsed });
  }

  /** csv-parse's reading of a record the scanner refused: one record, or its error. */
  private viaCsvParse(text: string, from: number): string[] {
    let rows: string[][];
    try {
      rows = csvParse().parse(text, { relax_column_count: true, record_delimiter: LINE_ENDS }) as string[][];
    } catch (error) {
      throw this.toDataError(error, from);
    }
    if (rows.length !== 1) throw new DataError(`${locate(this.path, from)}: malformed CSV (a quote does not close where a field ends)`, { row: from });
    return rows[0]!;
  }

  /** csv-parse's error for a record still open at the end, at the line where it opens. */
  private unclosed(text: string, from: number): DataError {
    try {
      csvParse().parse(text, { record_delimiter: LINE_ENDS });
    } catch (error) {
      return this.toDataError(error, from, from);
    }
    return new DataError(`${locate(this.path, from)}: malformed CSV (quote not closed)`, { row: from });
  }

  /** csv-parse's error, its line counted from `from` (the record's first line) unless `at` is given. */
  private toDataError(error: unknown, from: number, at?: number): DataError {
    if (!(error instanceof csvParse().CsvError)) throw error;
    const line = at ?? from + ((error as CsvError & { lines?: number }).lines ?? 1) - 1;
    // csv-parse's own message ends with "at line N"; our prefix says where.
    const reason = error.message.replace(/:? (?:at|on) line \d+.*$/, '');
    return new DataError(`${locate(this.path, line)}: malformed CSV (${reason})`, { row: line });
  }
}

/**
 * The fields of one record with quotes, by RFC 4180: a quoted field starts
 * at a field start, doubles its inner quotes and ends at a comma or the end;
 * 'open' when the text ends inside a quoted field (the record goes on on the
 * next line); 'invalid' for anything else (left to csv-parse).
 * `quoting.needed` tells whether every quoted field holds a quote, comma,
 * CR or LF (the fields csv-stringify quotes).
 */
function splitQuoted(s: string, quoting: { needed: boolean }): string[] | 'open' | 'invalid' {
  const fields: string[] = [];
  quoting.needed = true;
  let i = 0;
  for (;;) {
    if (s.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = s.indexOf('"', from);
        if (q < 0) return 'open';
        if (s.charCodeAt(q + 1) === QUOTE) {
          value += s.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += s.slice(from, q);
        i = q + 1;
        break;
      }
      if (!NEEDS_QUOTES.test(value)) quoting.needed = false;
      fields.push(value);
      if (i === s.length) return fields;
      if (s.charCodeAt(i) !== COMMA) return 'invalid';
      i++;
    } else {
      const comma = s.indexOf(',', i);
      const value = s.slice(i, comma < 0 ? s.length : comma);
      if (value.indexOf('"') >= 0) return 'invalid';
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** Whether a field is a plain decimal number (what parseNumber accepts). */
export function isNumeric(text: string): boolean {
  return decimalValue(text) !== undefined;
}


/**
 * A field as a finite number. Only plain decimal notation is accepted (no
 * hex, no empty fields, which Number() would silently read as 0).
 *
 * @throws DataError naming file, line and column.
 */
export function parseNumber(text: string, path: string, line: number, column: string): number {
  const value = decimalValue(text);
  if (value !== undefined) return value;
  const trimmed = text.trim();
  const where = locate(path, line, column);
  if (trimmed === '') throw new DataError(`${where}: empty value, expected a number`, { row: line, column });
  if (/^[+-]?(?:nan|inf(?:inity)?)$/i.test(trimmed)) {
    throw new DataError(`${where}: ${JSON.stringify(trimmed)} is not a finite number`, { row: line, column });
  }
  if (!DECIMAL.test(trimmed)) {
    throw new DataError(`${where}: ${JSON.stringify(trimmed)} is not a number`, { row: line, column });
  }
  throw new DataError(`${where}: ${trimmed} is too large for a 64-bit float`, { row: line, column });
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
