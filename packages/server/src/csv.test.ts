import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from './csv.js';
import { HttpProblem } from './problem.js';

const problemOf = (f: () => unknown): HttpProblem => {
  try {
    f();
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('no problem raised');
};

describe('parseCsv', () => {
  it('reads what csv-parse reads: quotes, doubled quotes, newlines in fields, CRLF, a BOM', () => {
    const text = '\uFEFFid,note,x\r\n1,"a, ""b""",2\r\n2,"two\nlines",\r\n\r\n3,,4';
    const table = parseCsv(text, 10);
    const reference = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
    expect([table.header, ...table.records.map((r) => r.fields)]).toEqual(reference);
    expect(table.records.map((r) => r.line)).toEqual([2, 3, 6]);
  });

  it('refuses broken CSV with the line, and too many rows with 413', () => {
    expect(problemOf(() => parseCsv('id,x\n1,"open\n', 10))).toMatchObject({ problem: 'malformed-body', message: 'CSV line 3: a quoted field is not closed' });
    expect(problemOf(() => parseCsv('id,x\n1,2,3\n', 10))).toMatchObject({ problem: 'malformed-body', message: 'CSV line 2: 3 fields, but the header has 2' });
    expect(problemOf(() => parseCsv('id,x\n1,a"b\n', 10)).problem).toBe('malformed-body');
    expect(problemOf(() => parseCsv('', 10)).problem).toBe('malformed-body');
    expect(parseCsv('id\n1\n2\n', 2).records).toHaveLength(2);
    expect(problemOf(() => parseCsv('id\n1\n2\n3\n', 2)).problem).toBe('too-many-customers');
  });

  it('csvLine quotes only fields that need it, and csv-parse reads them back', () => {
    const values = ['plain', 'a, b', 'say "hi"', 'two\nlines', 0.1 + 0.2, -0];
    const line = csvLine(values);
    expect(line).toBe('plain,"a, b","say ""hi""","two\nlines",0.30000000000000004,0\n');
    expect(parse(line)).toEqual([['plain', 'a, b', 'say "hi"', 'two\nlines', '0.30000000000000004', '0']]);
  });
});
