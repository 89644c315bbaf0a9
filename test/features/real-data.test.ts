/**
 * `cvnet features` on the real shared datasets with the shipped mappings:
 * the dirty-data counts must match the figures in ../shared/data/README.md,
 * and the output must fit the shipped configs (what `cvnet run` reads).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FeatureSession, parseMapping } from '../../packages/core/src/features/index.js';
import { parseConfig } from '../../packages/core/src/indicators/config.js';
import { prepareData } from '../../packages/core/src/method/pipeline.js';
import { sharedData } from '../shared-data.js';

const example = (path: string): string => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url));
const mapping = (path: string) => parseMapping(readFileSync(example(path), 'utf8'), path);
const config = (path: string) => parseConfig(readFileSync(example(path), 'utf8'), path);

describe('features on the real datasets', () => {
  it('Online Retail raw slice: cancellations, missing ids, duplicates and zero prices as in the data README', async () => {
    const session = await FeatureSession.open({ input: sharedData('online_retail_first30000_rows.csv'), mapping: mapping('online-retail/mapping-raw.json') });
    try {
      const q = { asOf: '2010-12-14', windowDays: 365, horizonDays: null };
      const s = await session.summary(q);
      expect(s.rows).toBe(30_000);
      expect(s.issues).toEqual({
        badDate: 0, noCustomer: 10_043, duplicate: 431, badAmount: 0, zeroAmount: 186,
        cancelledInvoice: 494, negativeQuantity: 562, cancelledStatus: 0,
      });
      const e = s.outcome.excluded;
      expect(s.outcome.purchase + s.outcome.return + e.badDate + e.noCustomer + e.duplicate + e.badAmount + e.cancelledStatus + e.zeroAmount).toBe(30_000);
      expect(e.noCustomer).toBe(10_043);
      // Every used line falls on or before the last day of the slice.
      expect(s.period).toEqual({ history: s.outcome.purchase + s.outcome.return, future: 0, later: 0 });
      const table = await session.customers(q);
      // 755 customers in the slice, 699 of them with a line that is not a cancellation and has a
      // positive quantity and price (counted independently with a plain DuckDB query on the file).
      expect(table.rows.length).toBe(s.customers);
      expect(s.customers).toBe(699);
      expect(table.rows.every((r) => !String(r.customer_id).includes('.'))).toBe(true);
      const run = prepareData(config('online-retail/config-raw.json'), table.rows);
      expect(run.scores.ids).toHaveLength(s.customers);
    } finally {
      await session.close();
    }
  });

  it('Olist: orders, items, payments and reviews joined; cancelled orders excluded, review score as rating', async () => {
    const session = await FeatureSession.open({ input: sharedData('olist_subset'), mapping: mapping('olist/mapping.json') });
    try {
      const q = { asOf: '2018-10-17', windowDays: 1000, horizonDays: null };
      const s = await session.summary(q);
      // One line per order item (8,365) plus one per order without items (775).
      expect(s.rows).toBe(8_365 + 775);
      expect(s.issues.duplicate).toBe(0);
      expect(s.issues.cancelledStatus).toBeGreaterThan(625);
      expect(s.outcome.excluded.cancelledStatus).toBe(s.issues.cancelledStatus);
      const table = await session.customers(q);
      expect(table.columns).toEqual(['customer_id', 'recency', 'frequency', 'monetary', 'repeat', 'cross', 'relationship', 'rating']);
      expect(table.rows.length).toBeLessThanOrEqual(8_016);
      const ratings = table.rows.map((r) => r.rating).filter((x): x is number => typeof x === 'number');
      expect(ratings.length).toBeGreaterThan(table.rows.length * 0.9);
      expect(ratings.every((x) => x >= 1 && x <= 5)).toBe(true);
      // Only 73 people ever ordered twice in the subset, cancelled orders included.
      const repeaters = table.rows.filter((r) => (r.frequency as number) >= 2).length;
      expect(repeaters).toBeGreaterThan(0);
      expect(repeaters).toBeLessThanOrEqual(73);
      const run = prepareData(config('olist/config.json'), table.rows);
      expect(run.scores.ids).toHaveLength(table.rows.length);
    } finally {
      await session.close();
    }
  });

  it('CDNOW: whitespace-separated, YYYYMMDD dates, the known zero amounts and duplicate lines', async () => {
    const session = await FeatureSession.open({ input: sharedData('CDNOW_master.txt'), mapping: mapping('cdnow/mapping.json') });
    try {
      const s = await session.summary({ asOf: '1998-06-30', windowDays: 365, horizonDays: null });
      expect(s.rows).toBe(69_659);
      expect(s.issues.zeroAmount).toBe(80);
      expect(s.issues.duplicate).toBe(255);
      expect(s.outcome.excluded.duplicate).toBe(0);
      expect(s.span).toEqual({ first: '1997-01-01 00:00:00', last: '1998-06-30 00:00:00' });
      // 23,570 customers; the ones whose every line is a zero amount have no purchase.
      expect(s.customers).toBeGreaterThan(23_500);
      expect(s.customers).toBeLessThanOrEqual(23_570);
    } finally {
      await session.close();
    }
  });
});
