import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvLine, csvRows } from './csv-write.js';

describe('csvLine and csvRows', () => {
  it('write byte for byte what csv-stringify writes, for awkward strings and numbers', () => {
    const strings = ['plain', '', ' ', ' spaced ', 'a,b', 'say "hi"', '"', '""', 'two\nlines', 'cr\rhere', 'crlf\r\n', 'é€😀', '=1+2', '-3', '+4', '@x', '#x', '\t', "'q'", 'a;b', 'NaN'];
    const numbers = [0, -0, 1, -1.5, 0.1 + 0.2, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 123456789012345680000, Math.PI, Number.NaN, Infinity, -Infinity];
    let state = 11;
    const rand = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    const records: (string | number)[][] = [];
    for (let r = 0; r < 2000; r++) {
      records.push(Array.from({ length: 1 + rand(6) }, () => (rand(2) === 0 ? strings[rand(strings.length)]! : numbers[rand(numbers.length)]!)));
    }
    records.push([''], ['', ''], [0], ['a'], [-0, '']);
    for (const record of records) expect(csvLine(record), JSON.stringify(record)).toBe(stringify([record]));
    expect(csvRows(records)).toBe(stringify(records));
  });
});
