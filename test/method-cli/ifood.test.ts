/**
 * cvnet run on the real iFood file with the shipped example config (the
 * data stays in ../shared/data; it is never copied into the repository).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { sharedData } from '../shared-data.js';
import { cvnet, ifoodConfig, setup } from './helpers.js';

it('runs the whole method on the real iFood customers and classifies its own output identically', () => {
  const dir = setup('cvnet-ifood-');
  const data = sharedData('ifood_ml_project1_data.csv');
  const run = cvnet(['run', data, '--config', ifoodConfig, '--out', 'out', '--json'], dir);
  expect(run.code).toBe(0);
  const s = JSON.parse(run.stdout);
  expect(s).toMatchObject({ synthetic: false, customers: 2240, network: '10-21-1', target: { kind: 'comprehensive' } });
  expect(s.bands.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(2240);
  expect(s.warnings.some((w: string) => /indicator "profile".*24 empty value\(s\)/.test(w))).toBe(true);
  // The network learns the weighted score well: far below the variance of K.
  expect(s.test.mse).toBeLessThan(0.01);

  const customers = parse(readFileSync(join(dir, 'out/customers.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  expect(customers).toHaveLength(2240);
  expect(Object.keys(customers[0]!)).toEqual(['id', 'C', 'band', 'K', 'class', 'strategy', ...s.indicators]);
  expect(customers[0]!.id).toBe('5524');
  const html = readFileSync(join(dir, 'out/report.html'), 'utf8');
  expect(html).not.toContain('Synthetic data');
  expect(html).toContain('AHP matrix');

  // Its output (scores under the indicator ids, id column "id" instead of "ID") scores the same.
  expect(cvnet(['classify', 'out/customers.csv', '--model', 'out/model.json', '--out', 'again.csv'], dir).code).toBe(0);
  expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'out/customers.csv'), 'utf8'));
});
