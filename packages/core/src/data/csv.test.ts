import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { openCsv, parseNumber, readNumericTable } from './csv.js';

const dir = mkdtempSync(join(tmpdir(), 'cvnet-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('CSV reading', () => {
  it('handles a BOM, CRLF, quoted fields and blank lines, reporting file lines', async () => {
    const path = file('ok.csv', '\uFEFFid,"x",y\r\n1,"2.5",-3e2\r\n\r\n2," 4 ",.5\r\n');
    const table = await readNumericTable(path, ['x', 'y']);
    expect(table.columns).toEqual(['x', 'y']);
    expect(Array.from(table.data)).toEqual([2.5, -300, 4, 0.5]);
    expect(table.lines).toEqual([2, 4]);
  });

  it('lets a chooser pick columns from the header and first row', async () => {
    const path = file('choose.csv', 'a,b,c\n1,x,3\n4,y,6\n');
    const table = await readNumericTable(path, (header, first) =>
      header.filter((_, i) => first !== undefined && !Number.isNaN(Number(first.fields[i]))),
    );
    expect(table.columns).toEqual(['a', 'c']);
    expect(Array.from(table.data)).toEqual([1, 3, 4, 6]);
  });

  it.each([
    ['empty.csv', '', /empty\.csv: file is empty/],
    ['blank.csv', 'a,b\n1,\n', /blank\.csv, line 2, column "b": empty value, expected a number/],
    ['spaced.csv', 'a,b\n1, 2x \n', /spaced\.csv, line 2, column "b": "2x" is not a number/],
    ['hex.csv', 'a,b\n1,0x10\n', /hex\.csv, line 2, column "b": "0x10" is not a number/],
    ['inf.csv', 'a,b\n1,2\n\n1,-Infinity\n', /inf\.csv, line 4, column "b": "-Infinity" is not a finite number/],
    ['big.csv', 'a,b\n1,1e400\n', /big\.csv, line 2, column "b": 1e400 is too large/],
    ['ragged.csv', 'a,b\n1,2\n3,4,5\n', /ragged\.csv, line 3: row has 3 fields, expected 2/],
    ['dup.csv', 'a,a\n1,2\n', /dup\.csv, line 1: the header names column "a" twice/],
    ['nocol.csv', 'a,c\n1,2\n', /nocol\.csv: no column "b" \(columns: a, c\)/],
  ])('refuses %s with a located DataError', async (name, text, message) => {
    const error = await readNumericTable(file(name, text), ['a', 'b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
  });

  it.each(['\n', '\r\n'])('reads awkward files as csv-parse does, also across read blocks (line end %j)', async (eol) => {
    // Seeded fields with quotes, commas, line breaks inside quotes, spaces,
    // empty ones and non-ASCII, written by csv-stringify, with blank lines;
    // 300 kB so that many records straddle the 16 KiB read blocks.
    let state = eol.length;
    const rand = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    const pieces = ['a', '1.5', '', ' ', ',', '"', '""', '\n', 'é€😀', 'x y', '-3e2'];
    const field = (): string => Array.from({ length: rand(4) }, () => pieces[rand(pieces.length)]).join('');
    const lines = [stringify([['id', 'a', 'b', 'c']]).slice(0, -1)];
    for (let i = 0, size = 0; size < 3e5; i++) {
      lines.push(stringify([[String(i), field(), field(), field()]], { quoted: rand(5) === 0 }).slice(0, -1));
      size += lines[lines.length - 1]!.length;
      if (rand(50) === 0) lines.push('');
    }
    const text = `\uFEFF${lines.join(eol)}${eol}`;
    const expected = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as { record: string[]; info: { lines: number } }[];
    const source = await openCsv(file('awkward.csv', text));
    expect(source.header).toEqual(['id', 'a', 'b', 'c']);
    const got: { record: string[]; lines: number }[] = [];
    let withText = 0;
    let quotedWithText = 0;
    for await (const r of source.records) {
      got.push({ record: [...r.fields], lines: r.line });
      if (r.text !== undefined) {
        // The row's own text is what csv-stringify would write for its fields.
        expect(`${r.text}\n`).toBe(stringify([r.fields]));
        withText++;
        if (r.text.includes('"')) quotedWithText++;
      } else if (!r.fields.some((f) => /[\r\n]/.test(f))) {
        // … and only a line csv-stringify would write differently goes without it.
        expect(text).not.toContain(eol + stringify([r.fields]).slice(0, -1) + eol);
      }
    }
    expect(got).toEqual(expected.slice(1).map((e) => ({ record: e.record, lines: e.info.lines })));
    expect(withText).toBeGreaterThan(100);
    expect(quotedWithText).toBeGreaterThan(100);
    expect(got.length).toBeGreaterThan(3_000);
  });

  it('keeps CR LF inside quotes and counts physical lines', async () => {
    // csv-parse would count the CR inside the quotes as one more line.
    const source = await openCsv(file('crlf-in-quotes.csv', 'a,b\r\n"x\r\ny",2\r\n3,4\n'));
    const rows: { line: number; fields: readonly string[]; text?: string }[] = [];
    for await (const r of source.records) rows.push(r);
    expect(rows).toEqual([{ line: 3, fields: ['x\r\ny', '2'] }, { line: 4, fields: ['3', '4'], text: '3,4' }]);
  });

  it.each([
    ['stray.csv', 'a,b\n1,2\n3,x"y\n', /stray\.csv, line 3: malformed CSV \(Invalid Opening Quote: a quote is found on field 1/],
    ['closing.csv', 'a,b\n1,"2" \n', /closing\.csv, line 2: malformed CSV \(Invalid Closing Quote: got " "/],
    // csv-parse counts the lines read up to the end of the file.
    // An unclosed quote is reported where it opens.
    ['open.csv', 'a,b\n1,2\n3,"4\n5,6\n', /open\.csv, line 3: malformed CSV \(Quote Not Closed/],
    ['quoted-ragged.csv', 'a,b\n1,"2\n2",3\n', /quoted-ragged\.csv, line 3: row has 3 fields, expected 2/],
  ])('refuses %s with csv-parse\'s reason at the right line', async (name, text, message) => {
    const error = await readNumericTable(file(name, text), ['a', 'b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['late-ragged.csv', 'a,b\n1,2\n3,4,5\n', /late-ragged\.csv, line 3: row has 3 fields/],
    ['late-quote.csv', 'a,b\n1,2\n3,x"y\n', /late-quote\.csv, line 3: malformed CSV/],
  ])('opens %s and reports its bad row when the reader gets there, after the rows before it', async (name, text, message) => {
    const source = await openCsv(file(name, text));
    const seen: string[][] = [];
    const error = await (async () => {
      for await (const r of source.records) seen.push([...r.fields]);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([['1', '2']]);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
  });

  it('hands out the same rows in batches', async () => {
    const path = file('batches.csv', `a,b\n${Array.from({ length: 30_000 }, (_, i) => `${i},"q${i}"`).join('\n')}\n`);
    const source = await openCsv(path);
    const batches: (readonly { line: number; fields: readonly string[] }[])[] = [];
    for await (const batch of source.batches) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    const rows = batches.flat();
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 30_000 }, (_, i) => i + 2));
    expect(rows[29_999]!.fields).toEqual(['29999', 'q29999']);
  });

  it('parses numbers to the same double as Number()', () => {
    let state = 3;
    const rand = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    const digits = (k: number): string => Array.from({ length: k }, () => String(rand(10))).join('');
    const texts = ['0', '-0', '-0.000', '+7', '5.', '.5', '007.50', '123456789012345', '1234567890123456', '0.1', '0.3', '1e-7', '-2.5E+3'];
    for (let i = 0; i < 20_000; i++) {
      const sign = ['', '-', '+'][rand(3)]!;
      const whole = digits(rand(10));
      const frac = rand(4) === 0 ? '' : `.${digits(rand(12))}`;
      const text = `${sign}${whole === '' && frac.length < 2 ? '0' : whole}${frac}`;
      texts.push(text, `${text}e${rand(40) - 20}`);
    }
    for (const text of texts) expect(Object.is(parseNumber(text, 'f.csv', 2, 'x'), Number(text)), text).toBe(true);
  });

  it('refuses bytes that are not UTF-8 with their line and column, after the rows before them, and keeps a real U+FFFD', async () => {
    /** The rows read from `bytes` before the error, and the error. */
    const read = async (name: string, bytes: Buffer): Promise<{ ids: string[]; error: unknown }> => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const ids: string[] = [];
      try {
        const source = await openCsv(path);
        for await (const r of source.records) ids.push(r.fields[0]!);
      } catch (error) {
        return { ids, error };
      }
      return { ids, error: undefined };
    };
    // Latin-1 "José" and "Josè" would both decode to "Jos\uFFFD": one id, a false duplicate.
    const latin1 = await read('latin1.csv', Buffer.concat([Buffer.from('id,name\nA,ok\nB,"Jos'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    expect(latin1.ids).toEqual(['A']);
    expect(latin1.error).toBeInstanceOf(DataError);
    expect((latin1.error as DataError).message).toBe(`${join(dir, 'latin1.csv')}, line 3, column "name": byte 0xE9 is not UTF-8, which cvnet reads; save the file as UTF-8 (it may be Latin-1 or Windows-1252)`);
    expect([(latin1.error as DataError).row, (latin1.error as DataError).column]).toEqual([3, 'name']);
    // In the header, and far into a file (another block, the header long known).
    const header = await read('header.csv', Buffer.concat([Buffer.from('id,n'), Buffer.from([0xe8]), Buffer.from('\n1,2\n')]));
    expect((header.error as Error).message).toContain('header.csv, line 1 (header), field 2: byte 0xE8 is not UTF-8');
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},x`).join('\n');
    const late = await read('late.csv', Buffer.concat([Buffer.from(`id,name\n${rows}\nlast,`), Buffer.from([0xff]), Buffer.from('\n')]));
    expect(late.ids).toHaveLength(20_000);
    expect((late.error as Error).message).toContain(`line 20002, column "name": byte 0xFF`);
    // A replacement character written as UTF-8 is text like any other.
    const real = await read('real.csv', Buffer.from('id,name\n\uFFFD,x\n'));
    expect(real).toEqual({ ids: ['\uFFFD'], error: undefined });
  });

  it('names tab- or semicolon-separated files and CR-only line ends instead of reading them as one column', async () => {
    const cases: [string, string][] = [
      ['tabs.csv', 'ID\tYear_Birth\tIncome\n1\t1970\t5000\n'],
      ['semicolons.csv', 'id;a;b\n1;2,5;3\n'],
      ['cr.csv', 'id,a\r1,2\r3,4\r'],
    ];
    const messages = [];
    for (const [name, text] of cases) messages.push(await openCsv(file(name, text)).then(() => 'read', (e: Error) => e.message.replace(`${dir}/`, '')));
    expect(messages).toEqual([
      'tabs.csv, line 1: the header is one column holding tabs: cvnet reads comma-separated files; save the file as CSV with commas',
      'semicolons.csv, line 1: the header is one column holding semicolons: cvnet reads comma-separated files; save the file as CSV with commas',
      'cr.csv, line 1: the header holds a carriage return: the lines seem to end with CR alone (old Mac files); cvnet reads LF or CRLF line ends',
    ]);
    // A one-column file is fine.
    expect((await openCsv(file('one.csv', 'id\n1\n'))).header).toEqual(['id']);
  });

  it('refuses a missing file', async () => {
    await expect(openCsv(join(dir, 'none.csv'))).rejects.toThrow(/none\.csv: file not found/);
  });
});
