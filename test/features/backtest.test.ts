/**
 * The backtests the README reports, run on the real data in CI (300 epochs to
 * keep them quick). The assertions are figures a broken pipeline would miss:
 * a model no better than chance, a reversed ranking, lost customers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backtestTransactions, parseMapping } from '../../packages/core/src/features/index.js';
import { parseConfig } from '../../packages/core/src/indicators/config.js';
import { loadEngine } from '../../packages/core/src/wasm/node.js';
import type { BacktestFigures } from '../../packages/core/src/backtest/backtest.js';
import { backtestHtml } from '../../packages/core/src/backtest/report.js';
import { sharedData } from '../shared-data.js';

const example = (path: string): string => readFileSync(fileURLToPath(new URL(`../../examples/${path}`, import.meta.url)), 'utf8');

function sane(f: BacktestFigures): void {
  expect(f.spearman).toBeGreaterThan(0.3);
  expect(f.auc).toBeGreaterThan(0.7);
  expect(f.top10).toBeGreaterThan(0.3);
  expect(f.top25).toBeGreaterThan(0.6);
  expect(f.top25).toBeGreaterThan(f.top10);
  expect(f.captureA).toBeGreaterThanOrEqual(0);
  expect(f.captureA).toBeLessThanOrEqual(1);
}

async function backtest(name: string, file: string, asOf: string, horizonDays: number) {
  return backtestTransactions({
    input: sharedData(file),
    mapping: parseMapping(example(`${name}/mapping.json`)),
    config: parseConfig(example(`${name}/config.json`)),
    engine: await loadEngine(),
    asOf,
    horizonDays,
    epochs: 300,
  });
}

describe('backtests on real data', () => {
  it('CDNOW, as-of 1997-09-30, horizon to the end of the data', async () => {
    const { result, setup, trained } = await backtest('cdnow', 'CDNOW_master.txt', '1997-09-30', 273);
    expect(setup).toMatchObject({ trainCut: '1997-05-17', trainHorizonDays: 136 });
    expect(result.customers).toBe(23_500);
    expect(trained.model.outputs.names).toEqual(['purchase', 'spendRank']);
    expect(trained.model.layers.map((l) => l.biases.length)).toEqual([9, 2]);
    for (const f of [result.model, result.rfm, result.current]) sane(f);
    // A third of the cohort buys again; the purchase probability must separate them.
    expect(result.details.purchaseRate).toBeGreaterThan(0.25);
    expect(result.details.purchaseRate).toBeLessThan(0.35);
    const html = backtestHtml(result, setup);
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
    expect(html).toContain('Cumulative revenue capture');
  });

  it('Online Retail invoices, as-of 2011-09-09, 90 days', async () => {
    const { result, setup } = await backtest('online-retail', 'online_retail_invoices_clean_2010-2011.csv', '2011-09-09', 90);
    expect(setup).toMatchObject({ trainCut: '2011-06-11', trainHorizonDays: 90 });
    expect(result.customers).toBe(3_370);
    for (const f of [result.model, result.rfm, result.current]) sane(f);
    expect(result.model.captureA).toBeGreaterThan(0.3);
    expect(result.details.classA.model).toBeGreaterThan(0);
  });
});
