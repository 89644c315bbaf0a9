/**
 * CSV lines exactly as csv-stringify (default options) writes them, without
 * its per-field cost (option merging, casting, a record object per row,
 * about 1 µs a field): numbers are written with csv-stringify's own cast
 * (`'' + value`, JavaScript's shortest round-trip form) and strings that
 * need no quotes as they are; a string with a quote, comma, CR or LF —
 * exactly the ones csv-stringify quotes — is still handed to csv-stringify,
 * so its quoting rules are the library's, not a copy of them.
 */
import { createRequire } from 'node:module';

type CsvStringifySync = typeof import('csv-stringify/sync');
let csvStringifyModule: CsvStringifySync | undefined;

/**
 * csv-stringify's `stringify`, loaded on first use: numbers and plain strings
 * never need it, and its CommonJS build loads in about 4 ms against about
 * 9 ms for the ESM one at every start-up (`cvnet predict` start-up time).
 */
function stringify(...args: Parameters<CsvStringifySync['stringify']>): string {
  csvStringifyModule ??= createRequire(import.meta.url)('csv-stringify/sync') as CsvStringifySync;
  return csvStringifyModule.stringify(...args);
}

/** What makes csv-stringify quote a field: a quote, comma, CR or LF in it. */
export const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Quoted forms of recent short strings: the same few (class strategies,
 * labels with commas) recur on every row. Bounded in entries and length.
 */
const quotedCache = new Map<string, string>();

function quoted(value: string): string {
  let text = quotedCache.get(value);
  if (text === undefined) {
    text = stringify([[value]]).slice(0, -1);
    if (value.length <= 256) {
      if (quotedCache.size >= 1024) quotedCache.clear();
      quotedCache.set(value, text);
    }
  }
  return text;
}

/** One field as csv-stringify writes it (quoted only when it must be). */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return `${value}`;
  return NEEDS_QUOTES.test(value) ? quoted(value) : value;
}

/** One record as a CSV line ending in LF, byte-identical to `stringify([values])`. */
export function csvLine(values: readonly (string | number)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ',';
    line += csvField(values[i]!);
  }
  return `${line}\n`;
}

/** Records as CSV text, byte-identical to `stringify(records)`. */
export function csvRows(records: readonly (readonly (string | number)[])[]): string {
  let text = '';
  for (const record of records) text += csvLine(record);
  return text;
}
