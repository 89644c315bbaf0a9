/**
 * The web app's file formats against the CLI's, in Node (no browser needed):
 * its CSV reader must see the same rows and line numbers as core's openCsv,
 * and its classified CSV must be byte-identical to `cvnet classify`'s
 * (csv-stringify) for awkward ids.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    ];
    for (const [text, expected] of cases) {
      const error = problem(text);
      expect(error).toMatchObject(expected);
      expect(error.message.startsWith(await cliMessage(text)), error.message).toBe(true);
    }
    expect(problem('\n\n')).toMatchObject({ message: 'the CSV text is empty (expected a header row with column names)' });
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
