/**
 * Feature SQL on a hand-made log whose every value is worked out in the
 * comments, as CSV and as Parquet.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMemoryLimit, FeatureSession, parseMapping, validateMapping } from '../../packages/core/src/features/index.js';
import { ConfigError, DataError, OptionsError } from '../../packages/core/src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cvnet-features-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// As-of 2020-01-10, window 5 days (2020-01-06 … 2020-01-10), horizon 5 days (2020-01-11 … 2020-01-15).
const LOG = `InvoiceNo,InvoiceDate,CustomerID,StockCode,Category,Quantity,UnitPrice
1,2020-01-01 10:00:00,1.0,A,x,2,5
2,2020-01-08 09:00:00,1.0,A,x,1,5
2,2020-01-08 09:00:00,1.0,B,y,1,20
2,2020-01-08 09:00:00,1.0,B,y,1,20
C3,2020-01-09 12:00:00,1.0,B,y,-1,20
11,2020-01-09 08:00:00,1,A,x,1,5
4,2020-01-10 23:00:00,2,A,x,1,7
5,not a date,2,A,x,1,7
6,2020-01-05 10:00:00,,A,x,1,7
7,2020-01-07 10:00:00,2,A,x,0,7
8,2020-01-12 10:00:00,1,A,x,3,5
9,2020-01-13 10:00:00,3,A,x,1,9
10,2020-03-01 10:00:00,2,A,x,1,100
`;
const csv = join(dir, 'log.csv');
writeFileSync(csv, LOG);
const query = { asOf: '2020-01-10', windowDays: 5, horizonDays: 5 };

const EXPECTED = [
  // customer 1: last purchase 01-09 (recency 1), first 01-01 (relationship 9); window orders 2 and 11
  // (C3 is a return, not an order); monetary 5 + 20 − 20 + 5 = 10 (the duplicate B line dropped);
  // A bought in orders 2 and 11 → repeat 1; categories x, y → cross 2; future: order 8, 15.
  { customer_id: '1', recency: 1, frequency: 2, monetary: 10, repeat: 1, cross: 2, relationship: 9, future_spend: 15, future_purchase: 1 },
  // customer 2: only valid purchase on as-of day (the 01-07 line has quantity 0); order 10 is after the horizon.
  { customer_id: '2', recency: 0, frequency: 1, monetary: 7, repeat: 0, cross: 1, relationship: 0, future_spend: 0, future_purchase: 0 },
];

async function features(input: string) {
  const session = await FeatureSession.open({ input, mapping: validateMapping({}) });
  try {
    return { summary: await session.summary(query), table: await session.customers(query) };
  } finally {
    await session.close();
  }
}

describe('cvnet features SQL', () => {
  it('computes every indicator and outcome of a hand-checked log', async () => {
    const { table } = await features(csv);
    expect(table.columns).toEqual(['customer_id', 'recency', 'frequency', 'monetary', 'repeat', 'cross', 'relationship', 'future_spend', 'future_purchase']);
    expect(table.rows).toEqual(EXPECTED);
  });

  it('reports where every line went', async () => {
    const { summary } = await features(csv);
    expect(summary.rows).toBe(13);
    expect(summary.issues).toEqual({
      badDate: 1, noCustomer: 1, duplicate: 1, badAmount: 0, zeroAmount: 1, cancelledInvoice: 1, negativeQuantity: 1, cancelledStatus: 0,
    });
    expect(summary.outcome).toEqual({
      purchase: 8, return: 1, excluded: { badDate: 1, noCustomer: 1, duplicate: 1, badAmount: 0, cancelledStatus: 0, zeroAmount: 1 },
    });
    expect(summary.period).toEqual({ history: 6, future: 2, later: 1 });
    expect(summary.customers).toBe(2);
    expect(summary.newInHorizon).toBe(1);
    expect(summary.columns).toMatchObject({ customer: 'CustomerID', order: 'InvoiceNo', quantity: 'Quantity', unitPrice: 'UnitPrice', product: 'StockCode', category: 'Category' });
  });

  it('reads the same log from Parquet', async () => {
    const parquet = join(dir, 'log.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT * FROM read_csv('${csv}', all_varchar=true)) TO '${parquet}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    expect((await features(parquet)).table.rows).toEqual(EXPECTED);
  });

  it('writes the CSV atomically with COPY', async () => {
    const session = await FeatureSession.open({ input: csv, mapping: validateMapping({}) });
    const out = join(dir, 'customers.csv');
    await session.writeCustomers(query, out);
    await session.close();
    const { readFileSync, readdirSync } = await import('node:fs');
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe('1,1,2,10.0,1,2,9,15.0,1');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports each stage to a progress listener', async () => {
    const stages: string[] = [];
    const session = await FeatureSession.open({ input: csv, mapping: validateMapping({}), onProgress: (p) => stages.push(p.stage) });
    await session.customers(query);
    await session.close();
    expect(stages).toEqual(['reading', 'aggregating']);
  });

  it('refuses bad input with typed errors', async () => {
    await expect(FeatureSession.open({ input: join(dir, 'nope.csv'), mapping: validateMapping({}) })).rejects.toThrow(DataError);
    await expect(FeatureSession.open({ input: csv, mapping: validateMapping({ columns: { customer: 'Client' } }) })).rejects.toThrow(/columns.customer is "Client", which is not a column/);
    const session = await FeatureSession.open({ input: csv, mapping: validateMapping({}) });
    await expect(session.customers({ ...query, asOf: '2020-02-30' })).rejects.toThrow(ConfigError);
    await session.close();
    expect(() => parseMapping('{"columns": {"customer": 3}}', 'm.json')).toThrow(/m.json is invalid:\n {2}columns.customer/);
    expect(() => parseMapping('{"tables": {"a": "a.csv"}}', 'm.json')).toThrow(/"tables" and "query" go together/);
    writeFileSync(join(dir, 'noamount.csv'), 'CustomerID,InvoiceDate,Foo\n1,2020-01-01,3\n');
    await expect(FeatureSession.open({ input: join(dir, 'noamount.csv'), mapping: validateMapping({}) })).rejects.toThrow(/no amount column/);
  });

  it('takes the memory limits DuckDB takes and names any other', async () => {
    // Each accepted spelling is one DuckDB sets (its own refusal is a bare "Failed to set config").
    for (const limit of ['1GB', '512MiB', '1.5 GB', ' 2gb ', '.5GB', '64M', '1 gigabyte', '10 megabytes', '1TiB']) {
      expect(() => checkMemoryLimit(limit), limit).not.toThrow();
      const instance = await DuckDBInstance.create(':memory:', { memory_limit: limit });
      instance.closeSync();
    }
    for (const limit of ['lots', '1000', '1,5GB', '1PB', '1 mebibyte', 'GB', '']) {
      expect(() => checkMemoryLimit(limit, '--memory-limit'), limit).toThrow(`--memory-limit must be a size such as 2GB or 512MiB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got "${limit}"`);
    }
    await expect(FeatureSession.open({ input: csv, mapping: validateMapping({}), memoryLimit: 'lots' })).rejects.toThrow(OptionsError);
  });
});
