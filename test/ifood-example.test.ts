/**
 * The iFood example config against the real public file (not in the repo:
 * see examples/ifood/README.md).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../packages/core/src/indicators/config.js';
import { fitIndicatorSystem, scoreCustomers } from '../packages/core/src/indicators/fit.js';
import { band, bandTable, currentValues, currentValueWeights } from '../packages/core/src/method/current.js';
import { stratifiedSample, splitTrainTest } from '../packages/core/src/method/sample.js';
import { computeTarget } from '../packages/core/src/method/target.js';
import { computeWeights } from '../packages/core/src/weights/compute.js';
import { sharedData } from './shared-data.js';

const csvPath = sharedData('ifood_ml_project1_data.csv');
const configPath = fileURLToPath(new URL('../examples/ifood/config.json', import.meta.url));

describe('iFood example (real data)', () => {
  it('fits, scores and pre-classifies all 2,240 customers', () => {
    const config = parseConfig(readFileSync(configPath, 'utf8'), 'examples/ifood/config.json');
    const rows = parse(readFileSync(csvPath, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2240);

    const { system, warnings } = fitIndicatorSystem(config, rows, { firstLine: 2 });
    // The 24 empty incomes are imputed with the median score and reported.
    expect(warnings.some((w) => /indicator "profile".*24 empty value\(s\) scored [1-5] \(median score\)/.test(w))).toBe(true);
    const m = scoreCustomers(system, rows, { firstLine: 2 });
    expect(m.indicators).toHaveLength(10);
    expect(m.values.every((s) => Number.isInteger(s) && s >= 1 && s <= 5)).toBe(true);
    // Every indicator uses more than one score level.
    m.indicators.forEach((_, c) => {
      const levels = new Set(m.ids.map((__, r) => m.values[r * m.indicators.length + c]));
      expect(levels.size).toBeGreaterThan(1);
    });

    const { weights, matrices } = computeWeights(config);
    expect(Object.values(weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    expect(matrices.every((x) => x.cr <= 0.1)).toBe(true);

    const c = currentValues(m, currentValueWeights(weights, config.currentValue));
    const table = bandTable(c.map(band));
    expect(table.bands.reduce((s, b) => s + b.count, 0)).toBe(2240);

    const sample = stratifiedSample(c.map(band), config.sampleFraction, config.seed);
    const { train, test } = splitTrainTest(sample.indices, config.trainShare);
    expect(train.length + test.length).toBe(sample.indices.length);
    const target = computeTarget(config, m, weights, rows);
    expect(target.values.every((k) => k >= 0 && k <= 1)).toBe(true);
  });
});
