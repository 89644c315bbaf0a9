import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { decimalValue } from '../number-text.js';
import { isoDay, numericValue } from './source.js';

/** Days from 1970-01-01 to a proleptic Gregorian date, by plain arithmetic (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

describe('isoDay', () => {
  it('gives the day of every date of four sample years, years 1–99 included', () => {
    for (const y of [1, 99, 1900, 2024]) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= 31; d++) {
          const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
          const exists = d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
          expect(isoDay(text), text).toBe(exists ? daysFromCivil(y, m, d) : null);
        }
      }
    }
  });

  it('takes a timestamp with a valid time of day and ignores the time', () => {
    const day = daysFromCivil(2017, 10, 2);
    for (const text of ['2017-10-02 10:56:33', '2017-10-02T10:56', '2017-10-02T23:59:60.5Z', '2017-10-02 00:00:00+02:00', ' 2017-10-02T10:56:33-0500 ', '2017-10-02 10:56:33+00', '2017-10-02 10:56:33 UTC']) {
      expect(isoDay(text), text).toBe(day);
    }
  });

  it('refuses anything else after the date, and times that do not exist', () => {
    for (const text of ['2024-06-01 garbage', '2024-06-01T25:00', '2024-06-01 10:60', '2024-06-01T10:00:61', '2024-06-01T', '2024-06-01 10', '2024-6-1', '20240601', '2024-06-01 10:00+1', '2024-06-01 10:00 CET']) {
      expect(isoDay(text), text).toBeNull();
    }
  });
});

describe('decimalValue and the numbers indicators read', () => {
  it('reads decimal notation only, not the other literals Number() takes', () => {
    const cases: [string, number | undefined][] = [
      ['12', 12], [' -1.5 ', -1.5], ['+.5', 0.5], ['5.', 5], ['1e3', 1000], ['2.5E-2', 0.025],
      ['0x10', undefined], ['0b1', undefined], ['0o7', undefined], ['Infinity', undefined], ['1e999', undefined],
      ['', undefined], ['1,5', undefined], ['1_000', undefined], ['--1', undefined], ['.', undefined],
    ];
    for (const [text, value] of cases) expect(decimalValue(text), text).toBe(value);
  });

  it('refuses a hexadecimal cell with the row, column and indicator', () => {
    const cell = { line: 7, indicator: 'visits' };
    expect(numericValue('visits', { visits: ' 16 ' }, cell)).toBe(16);
    expect(() => numericValue('visits', { visits: '0x10' }, cell)).toThrow('row 7, column "visits" (indicator "visits"): expected a number, got "0x10"');
    expect(() => numericValue({ sum: ['a', 'b'] }, { a: '1', b: '0b1' }, cell)).toThrow(DataError);
  });
});
