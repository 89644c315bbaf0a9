/**
 * What both CSV readers (openCsv in data/csv.ts, streaming files in Node;
 * readCsvText in csv-text/, text in memory on any runtime) check the same
 * way, so a file gets the same verdict from the CLI, the server and the web
 * app: the header, and bytes that are not UTF-8.
 */
import { DataError } from './errors.js';

/**
 * The trimmed header names, or a DataError (`at` is where the header is,
 * e.g. "file.csv, line 1"): a name missing or repeated, or a header that
 * shows the file is not comma-separated with LF or CRLF line ends.
 */
export function checkHeader(fields: readonly string[], at: string, line: number): string[] {
  const header = fields.map((name) => name.trim());
  if (header.some((name) => name.includes('\r'))) {
    throw new DataError(`${at}: the header holds a carriage return: the lines seem to end with CR alone (old Mac files); cvnet reads LF or CRLF line ends`, { row: line });
  }
  const separator = header.length === 1 ? /[\t;]/.exec(header[0]!)?.[0] : undefined;
  if (separator !== undefined) {
    throw new DataError(`${at}: the header is one column holding ${separator === '\t' ? 'tabs' : 'semicolons'}: cvnet reads comma-separated files; save the file as CSV with commas`, { row: line });
  }
  header.forEach((name, i) => {
    if (name === '') throw new DataError(`${at}: column ${i + 1} of the header has no name`, { row: line });
    if (header.indexOf(name) !== i) throw new DataError(`${at}: the header names column "${name}" twice`, { row: line, column: name });
  });
  return header;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode 15, table 3-7), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (more === 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates or code points past U+10FFFF).
    const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= more; k++) {
      const d = bytes[i + k];
      if (d === undefined || d < (k === 1 ? low : 0x80) || d > (k === 1 ? high : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

/** The 0-based field a record's text reaches at its end: commas outside quotes. */
export function fieldAtEnd(record: string): number {
  let field = 0;
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 44 && !quoted) field++;
  }
  return field;
}

/**
 * The error for a byte that is not UTF-8: decoding would turn it into U+FFFD
 * without a word, corrupting ids and making different ones equal.
 *
 * @param at where its line is ("file.csv, line 3").
 * @param header the header's names, or undefined when the byte is in the header.
 */
export function notUtf8(at: string, line: number, byte: number, field: number, header: readonly string[] | undefined): DataError {
  const column = header?.[field];
  const where = column === undefined ? `${at}${header === undefined ? ' (header)' : ''}, field ${field + 1}` : `${at}, column "${column}"`;
  return new DataError(
    `${where}: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8, which cvnet reads; save the file as UTF-8 (it may be Latin-1 or Windows-1252)`,
    { row: line, ...(column === undefined ? {} : { column }) },
  );
}
