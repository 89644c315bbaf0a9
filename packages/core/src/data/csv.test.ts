import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { atomicWriteStream } from './atomic.js';
import { openCsv, readNumericTable } from './csv.js';

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

  it('refuses a missing file', async () => {
    await expect(openCsv(join(dir, 'none.csv'))).rejects.toThrow(/none\.csv: file not found/);
  });
});

describe('atomic writes', () => {
  it('leaves no file (and no temp file) when the source fails, and keeps an existing file', async () => {
    const target = join(dir, 'out.txt');
    async function* failing(): AsyncGenerator<string> {
      yield 'partial';
      throw new DataError('boom');
    }
    await expect(atomicWriteStream(target, failing())).rejects.toThrow('boom');
    expect(existsSync(target)).toBe(false);
    writeFileSync(target, 'old');
    await expect(atomicWriteStream(target, failing())).rejects.toThrow('boom');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.includes('out.txt'))).toEqual(['out.txt']);
    await atomicWriteStream(target, ['new ', 'content']);
    expect(readFileSync(target, 'utf8')).toBe('new content');
  });
});
