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
    // The line each row ends on, as `cvnet classify` numbers rows.
    expect(table.records.map((r) => r.line)).toEqual([2, 4, 6]);
  });

  it('refuses broken CSV with the line, and too many rows with 413', () => {
    expect(problemOf(() => parseCsv('id,x\n1,"open\n', 10))).toMatchObject({
      problem: 'malformed-body', message: 'line 2: malformed CSV (Quote Not Closed: the parsing is finished with an opening quote)',
    });
    expect(problemOf(() => parseCsv('id,x\n1,2,3\n', 10))).toMatchObject({
      problem: 'malformed-body', message: 'line 2: row has 3 fields, expected 2 (one per header column); extra field(s) after the last column "x"',
    });
    expect(problemOf(() => parseCsv('id,x\n1,a"b\n', 10))).toMatchObject({ problem: 'malformed-body', message: expect.stringMatching(/^line 2: malformed CSV \(Invalid Opening Quote/) });
    expect(problemOf(() => parseCsv('id,x,id\n1,2,3\n', 10))).toMatchObject({ problem: 'malformed-body', message: 'line 1: the header names column "id" twice' });
    expect(problemOf(() => parseCsv('', 10))).toMatchObject({ problem: 'malformed-body', message: 'the CSV text is empty (expected a header row with column names)' });
    expect(parseCsv('id\n1\n2\n', 2).records).toHaveLength(2);
    expect(problemOf(() => parseCsv('id\n1\n2\n3\n', 2))).toMatchObject({
      problem: 'too-many-customers', message: 'the CSV body has more than 2 customers (the limit per request)',
    });
  });

  it('csvLine quotes only fields that need it, and csv-parse reads them back', () => {
    const values = ['plain', 'a, b', 'say "hi"', 'two\nlines', 0.1 + 0.2, -0];
    const line = csvLine(values);
    expect(line).toBe('plain,"a, b","say ""hi""","two\nlines",0.30000000000000004,0\n');
    expect(parse(line)).toEqual([['plain', 'a, b', 'say "hi"', 'two\nlines', '0.30000000000000004', '0']]);
  });
});
