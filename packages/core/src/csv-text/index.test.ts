/**
 * The in-memory reader against two references: csv-parse's Node API (the
 * library itself, not its browser build) and core's openCsv (the CLI's file
 * reader), on awkward inputs and on seeded random ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvError, parse, type Info } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { openCsv } from '../data/csv.js';
import { DataError } from '../errors.js';
import { CsvRecordLimitError, readCsvText, type CsvText } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'cvnet-csv-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { header: readonly string[]; records: { line: number; fields: readonly string[] }[] } | { error: string; row: number | undefined };

/**
 * Ours equals openCsv's, except that ours has more to say: a ragged row's
 * message goes on to name the missing or extra column, and header errors
 * carry their line as `row` too.
 */
function expectSameAsOpenCsv(ours: Outcome, cli: Outcome, what: string): void {
  if ('error' in ours && 'error' in cli) {
    expect(ours.error.startsWith(cli.error), `${what}: ${ours.error} / ${cli.error}`).toBe(true);
    if (cli.row !== undefined) expect(ours.row, what).toBe(cli.row);
  } else {
    expect(ours, what).toEqual(cli);
  }
}

const outcome = (read: () => CsvText): Outcome => {
  try {
    const { header, records } = read();
    return { header, records: [...records] };
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return { error: error.message, row: error.row };
  }
};

let files = 0;
/** openCsv's reading of `text` as a file; its messages without the file name, to compare with ours. */
async function viaOpenCsv(text: string): Promise<Outcome> {
  const path = join(dir, `${files++}.csv`);
  writeFileSync(path, text);
  try {
    const source = await openCsv(path);
    const records: { line: number; fields: readonly string[] }[] = [];
    for await (const r of source.records) records.push({ line: r.line, fields: r.fields });
    return { header: source.header, records };
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return { error: error.message.replace(`${path}, `, ''), row: error.row };
  }
}

/** csv-parse's Node build with the reader's options; the header and width checks are the reader's own, so left out. */
function viaNodeApi(text: string): { records: { line: number; fields: string[] }[] } | { error: string } {
  try {
    const rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, record_delimiter: ['\r\n', '\n'], info: true }) as unknown as { record: string[]; info: Info }[];
    return { records: rows.map((r) => ({ line: r.info.lines, fields: r.record })) };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { error: error.code };
  }
}

/** Awkward inputs: quotes, line breaks in values, CRLF, BOM, blank lines, multi-byte text, and broken ones. */
const AWKWARD: [string, string][] = [
  ['quotes and doubled quotes', 'id,a,b\n1,"x, ""y""",""\n"2",plain,"a""b"\n'],
  ['line breaks inside values', 'id,a\n1,"two\nlines"\n2,"three\n\nlines"\n3,z'],
  ['CRLF', 'id,a\r\n1,2\r\n3,"x"\r\n'],
  ['BOM, header names trimmed', '\uFEFF id , a \n1,2\n'],
  ['blank lines anywhere', '\n\nid,a\n\n1,2\n\r\n\n3,4\n\n'],
  ['mixed CRLF and LF', 'id,a\r\n1,2\n3,4\r\n5,6'],
  ['multi-byte text', '\uFEFFid,name\n1,"Zoë\n🙂"\n2,日本\n'],
  ['spaces kept in values', 'id,a\n 1 , x \n'],
  ['header only', 'id,a\n'],
  ['ragged: too few', 'id,a,b\n1,2,3\n4,5\n'],
  ['ragged: too many', 'id,a\n1,2\n3,4,5\n'],
  ['ragged after a multi-line value', 'id,a\n1,"x\ny"\n2\n'],
  ['ragged: a blank-looking line of spaces', 'id,a\n1,2\n  \n'],
  ['unterminated quote', 'id,a\n1,2\n3,"open\n4,5\n'],
  ['unterminated quote after BOM and blank lines', '\uFEFFid,a\n\n\n1,"open'],
  ['unterminated quote in the header', 'id,"a\n1,2\n'],
  ['quote inside an unquoted field', 'id,a\n1,a"b\n'],
  ['text after a closing quote', 'id,a\n1,"a"b\n'],
  ['text after a closing quote, lines into a value', 'id,a\n1,2\n\n3,"x\ny\nz"w\n'],
  ['repeated header name', 'id,a,id\n1,2,3\n'],
  ['unnamed header column', 'id,,b\n1,2,3\n'],
];

/** Inputs with a CR that is not part of a CRLF line end, where csv-parse's line count (not its records) differs from openCsv's. */
const WITH_CR: [string, string][] = [
  ['CRLF inside a quoted value', 'id,a\r\n1,"x\r\ny"\r\n2,3\r\n'],
  ['lone CR inside values', 'id,a\n1,"cr\ronly"\n2,x\ry\n3,4\n'],
  ['CRLF in a value before a broken quote', 'id,a\n1,"p\r\nq"\n2,"x\r\ny"z'],
];

/** A file ending in a lone CR: openCsv drops it (a line's trailing CR), csv-parse keeps it in the last value. */
const TRAILING_CR: [string, string][] = [
  ['a lone CR at the very end', 'id,a\n1,2\r'],
  ['a lone CR after a closing quote at the end', 'id,a\n1,"2"\r'],
];

describe('readCsvText', () => {
  it.each([...AWKWARD, ...WITH_CR, ...TRAILING_CR])('reads %s as openCsv reads the file', async (_, text) => {
    expectSameAsOpenCsv(outcome(() => readCsvText(text)), await viaOpenCsv(text), JSON.stringify(text));
  });

  it.each(AWKWARD)('reads %s as csv-parse\'s Node API: records, lines, verdict', (_, text) => {
    const ours = outcome(() => readCsvText(text));
    const node = viaNodeApi(text);
    if ('error' in node) {
      expect(ours).toMatchObject({ error: expect.stringContaining('malformed CSV') });
      return;
    }
    if ('error' in ours) {
      // Only the reader's own checks may refuse what csv-parse reads: header names and row widths.
      expect(ours.error).toMatch(/the header names|of the header has no name|row has \d+ fields/);
      return;
    }
    expect([{ line: node.records[0]!.line, fields: ours.header }, ...ours.records]).toEqual(
      node.records.map((r, i) => (i === 0 ? { ...r, fields: r.fields.map((f) => f.trim()) } : r)),
    );
  });

  it('reads values with a lone CR as csv-parse\'s Node API does, numbering lines by LFs', () => {
    for (const [, text] of WITH_CR.slice(0, 2)) {
      const ours = readCsvText(text);
      const node = viaNodeApi(text);
      if ('error' in node) throw new Error(node.error);
      expect([ours.header, ...ours.records.map((r) => r.fields)]).toEqual(node.records.map((r) => r.fields));
    }
    // LF lines: 1 header, 2–3 the quoted value, 4 the next row (csv-parse counts 5 and 6).
    expect(readCsvText(WITH_CR[0]![1]).records.map((r) => r.line)).toEqual([3, 4]);
  });

  it('names the line and column of a ragged row, the line of malformed CSV', () => {
    expect(outcome(() => readCsvText('id,a,b\n1,2,3\n4,5\n'))).toEqual({
      error: 'line 3: row has 2 fields, expected 3 (one per header column); column "b" onwards is missing', row: 3,
    });
    expect(() => readCsvText('id,a\n1,2,3\n')).toThrow(expect.objectContaining({ row: 2, column: 'a', message: expect.stringContaining('extra field(s) after the last column "a"') }));
    // Where the quote opens, not where the text ends.
    expect(outcome(() => readCsvText('id,a\n1,"open\n2,3\n\n'))).toEqual({
      error: 'line 2: malformed CSV (Quote Not Closed: the parsing is finished with an opening quote)', row: 2,
    });
    expect(outcome(() => readCsvText('id,a\n1,"a"b\n'))).toEqual({ error: 'line 2: malformed CSV (Invalid Closing Quote: got "b")', row: 2 });
    expect(() => readCsvText('id,a,id\n')).toThrow(expect.objectContaining({ row: 1, column: 'id', message: 'line 1: the header names column "id" twice' }));
    for (const empty of ['', '\uFEFF', '\n\r\n\n']) {
      expect(outcome(() => readCsvText(empty))).toEqual({ error: 'the CSV text is empty (expected a header row with column names)', row: 1 });
    }
  });

  it('stops at the first row past maxRecords', () => {
    expect(readCsvText('id\n1\n2\n', { maxRecords: 2 }).records).toHaveLength(2);
    let error: unknown;
    try {
      // The broken quote after the extra row is never read.
      readCsvText('id\n1\n\n2\n3\n"open', { maxRecords: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvRecordLimitError);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ limit: 2, row: 5, message: 'line 5: more than 2 rows (the limit)' });
    // A ragged row before the limit is reported as such.
    expect(() => readCsvText('id\n1\n2,3\n4\n', { maxRecords: 2 })).toThrow(/line 3: row has 2 fields/);
  });

  it('agrees with csv-parse\'s Node API and openCsv on seeded random texts of quotes, commas, CR and LF', async () => {
    // mulberry32, seed 7: the same 400 texts on every run.
    let seed = 7;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = ['a', 'b', ',', ',', '"', '"', '\n', '\n', '\r\n', '\r', ' ', 'é'];
    const counts = { accepted: 0, refused: 0, withOpenCsv: 0 };
    for (let n = 0; n < 400; n++) {
      const length = 1 + Math.floor(random() * 16);
      const text = `h1,h2\n${Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]!).join('')}`;
      const what = JSON.stringify(text);
      const ours = outcome(() => readCsvText(text));
      counts['error' in ours ? 'refused' : 'accepted']++;
      // The library's verdict and records (on the text without a final lone CR, which the reader drops as openCsv does).
      const node = viaNodeApi(text.replace(/\r$/, ''));
      if ('error' in node) {
        // Refused too, maybe at a ragged row before the malformed part.
        expect(ours, what).toHaveProperty('error');
      } else if ('records' in ours) {
        expect([ours.header, ...ours.records.map((r) => r.fields)], what).toEqual(node.records.map((r, i) => (i === 0 ? r.fields.map((f) => f.trim()) : r.fields)));
        // csv-parse's own line count agrees when no CR can be counted as a line.
        if (!text.includes('\r')) expect(ours.records.map((r) => r.line), what).toEqual(node.records.slice(1).map((r) => r.line));
      } else {
        expect(ours.error, what).toMatch(/row has \d+ fields/);
      }
      // openCsv hands a line with a lone CR after a quote to csv-parse with a detected line end, which may take the CR
      // for one (and so accept `"x"\r` inside a line): compared without lone CRs.
      if (/\r(?!\n)/.test(text)) continue;
      expectSameAsOpenCsv(ours, await viaOpenCsv(text), what);
      counts.withOpenCsv++;
    }
    // Both verdicts occur, and most texts reach openCsv.
    expect(counts.accepted).toBeGreaterThan(40);
    expect(counts.refused).toBeGreaterThan(40);
    expect(counts.withOpenCsv).toBeGreaterThan(200);
  });
});
