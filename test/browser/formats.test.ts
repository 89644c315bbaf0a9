/**
 * The web app's file formats against the CLI's, in Node (no browser needed):
 * its CSV reader must see the same rows and line numbers as core's openCsv,
 * and its classified CSV must be byte-identical to `cvnet classify`'s
 * (csv-stringify) for awkward ids.
 */
import { isUtf8 } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCsvBytes } from '../../packages/core/src/csv-text/index.js';
import { openCsv } from '../../packages/core/src/data/csv.js';
import type { CvnetError, ScoredBatch } from '../../packages/core/src/index.js';
import { formatBatch } from '../../packages/cli/src/lib/method-output.js';
import { toRow } from '../../packages/cli/src/lib/file-rows.js';
import { classifiedCsv } from '../../packages/web/src/classified.js';
import { parseCustomers } from '../../packages/web/src/csv.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvnet-web-formats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function viaCli(text: string): Promise<{ rows: unknown[]; lines: number[] }> {
  const path = join(dir, 'in.csv');
  writeFileSync(path, text);
  const source = await openCsv(path);
  const rows: unknown[] = [];
  const lines: number[] = [];
  for await (const r of source.records) {
    rows.push(toRow(source.header, r.fields));
    lines.push(r.line);
  }
  return { rows, lines };
}

describe('web CSV reader', () => {
  it('reads BOM, CRLF, quoted commas and line breaks, blank lines like the CLI', async () => {
    const text = '\uFEFF id , a,b\r\n1,"x, y",2\r\n\r\n2,"two\nlines",3\r\n"3",4,"5 ""q"""';
    const web = parseCustomers(text);
    expect(web.header).toEqual(['id', 'a', 'b']);
    expect({ rows: web.rows, lines: web.lines }).toEqual(await viaCli(text));
    expect(web.lines).toEqual([2, 5, 6]);
  });

  it('names the line and column of a ragged row, the line of malformed CSV, as the CLI does', async () => {
    // By code: the web's reader is core's built module, the CLI's its source, so their DataError classes differ.
    const isDataError = (e: unknown): e is CvnetError => (e as CvnetError | null)?.code === 'DATA';
    const problem = (text: string): CvnetError => {
      try {
        parseCustomers(text);
      } catch (e) {
        if (isDataError(e)) return e;
        throw e;
      }
      throw new Error('no error');
    };
    /** The CLI's message for the same file, without the file name; the web's may say more after it. */
    const cliMessage = async (text: string): Promise<string> => {
      try {
        await viaCli(text);
      } catch (e) {
        if (isDataError(e)) return e.message.replace(`${join(dir, 'in.csv')}, `, '');
        throw e;
      }
      throw new Error('the CLI read it');
    };
    const cases: [string, object][] = [
      ['id,a,b\n1,2,3\n4,5\n', { row: 3, column: 'b', message: 'line 3: row has 2 fields, expected 3 (one per header column); column "b" onwards is missing' }],
      ['id,a\n1,2,3\n', { row: 2, column: 'a', message: expect.stringContaining('extra field(s) after the last column "a"') }],
      ['id,a\n1,"2\n', { row: 2, message: expect.stringMatching(/^line 2: malformed CSV \(Quote Not Closed/) }],
      ['id,a\n1,a"b\n', { row: 2, message: expect.stringMatching(/^line 2: malformed CSV \(Invalid Opening Quote/) }],
      ['id,a,id\n1,2,3\n', { row: 1, column: 'id', message: 'line 1: the header names column "id" twice' }],
      ['ID\tIncome\n1\t5\n', { row: 1, message: expect.stringContaining('the header is one column holding tabs') }],
      ['id;a\n1;2\n', { row: 1, message: expect.stringContaining('the header is one column holding semicolons') }],
      ['id,a\r1,2\r', { row: 1, message: expect.stringContaining('the lines seem to end with CR alone') }],
    ];
    for (const [text, expected] of cases) {
      const error = problem(text);
      expect(error).toMatchObject(expected);
      expect(error.message.startsWith(await cliMessage(text)), error.message).toBe(true);
    }
    expect(problem('\n\n')).toMatchObject({ message: 'the CSV text is empty (expected a header row with column names)' });
  });
});

describe('web CSV bytes', () => {
  it('refuses bytes that are not UTF-8 with the CLI\'s message (line, column, byte)', async () => {
    const cliMessage = async (bytes: Buffer): Promise<string> => {
      const path = join(dir, 'bytes.csv');
      writeFileSync(path, bytes);
      try {
        for await (const _ of (await openCsv(path)).records);
      } catch (e) {
        return (e as Error).message.replace(`${path}, `, '');
      }
      throw new Error('the CLI read it');
    };
    const cases = [
      Buffer.concat([Buffer.from('id,name\nA,ok\nB,"Jos'), Buffer.from([0xe9]), Buffer.from('"\n')]),
      Buffer.concat([Buffer.from('id,n'), Buffer.from([0xe8]), Buffer.from('\n1,2\n')]),
      Buffer.concat([Buffer.from('id,a,b\r\n1,"x,\ny",'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\r\n')]), // a surrogate, after a quoted line break
      Buffer.concat([Buffer.from('\uFEFFid,a\n1,'), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from('\n')]), // past U+10FFFF
      Buffer.concat([Buffer.from('id,a,b\n\uFFFD,x,'), Buffer.from([0xc3]), Buffer.from('\n')]), // a real U+FFFD before it, then a cut-off sequence
    ];
    for (const bytes of cases) {
      let web: unknown;
      try {
        decodeCsvBytes(bytes);
      } catch (e) {
        web = e;
      }
      expect((web as CvnetError | undefined)?.code).toBe('DATA');
      expect((web as Error).message).toBe(await cliMessage(bytes));
    }
  });

  it('accepts exactly the bytes Node calls UTF-8, and names the byte Node\'s decoder replaces first', () => {
    let state = 11;
    const pick = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    // Lead and continuation bytes of every kind, and bytes that are never UTF-8.
    const alphabet = [0x41, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    let invalid = 0;
    for (let n = 0; n < 20_000; n++) {
      const bytes = Buffer.from(Array.from({ length: 1 + pick(6) }, () => alphabet[pick(alphabet.length)]!));
      let message: string | undefined;
      try {
        expect(decodeCsvBytes(bytes)).toBe(bytes.toString('utf8'));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message === undefined, bytes.toString('hex')).toBe(isUtf8(bytes));
      if (message === undefined) continue;
      invalid++;
      const decoded = bytes.toString('utf8');
      const byte = bytes[Buffer.byteLength(decoded.slice(0, decoded.indexOf('\uFFFD')))]!;
      expect(message, bytes.toString('hex')).toBe(`line 1 (header), field 1: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8, which cvnet reads; save the file as UTF-8 (it may be Latin-1 or Windows-1252)`);
    }
    expect(invalid).toBeGreaterThan(5000);
  });
});

describe('web classified CSV', () => {
  it('is byte-identical to cvnet classify for awkward ids and numbers', () => {
    const ids = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' spaced ', 'cr\rhere', ''];
    const batch: ScoredBatch = {
      indicators: ['recency', 'monetary'],
      customers: ids.map((id, i) => ({
        id, C: 1 + i / 3, band: 1, K: i === 0 ? 0 : 1 / (i + 7), class: 'D', strategy: 'Keep, "nurture"', scores: [1 + (i % 5), 5e-7 * i],
      })),
    };
    expect(classifiedCsv(batch)).toBe(formatBatch(batch, 'csv', true));
  });
});
