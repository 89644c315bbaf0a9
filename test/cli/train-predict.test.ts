import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMinMax, modelToNetwork, parseModelText, referenceForward } from '../../packages/core/src/index.js';
import { sharedData } from '../shared-data.js';
import { cvnet, readCsv, requireBuild, root, withoutTimestamp, writeFixture } from './helpers.js';

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'cvnet-cli-'));
  writeFixture(join(dir, 'train.csv'), 200, 1);
  // Over one predict chunk (4096 rows), so chunk boundaries are exercised.
  writeFixture(join(dir, 'big.csv'), 5000, 2);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Predictions recomputed independently: model file → reference forward pass. */
function referencePredictions(modelPath: string, csvPath: string): number[] {
  const model = parseModelText(readFileSync(modelPath, 'utf8'));
  const rows = readCsv(csvPath);
  const header = rows[0]!;
  const indexes = model.inputs.names.map((name) => header.indexOf(name));
  const data = rows.slice(1);
  const x = Float64Array.from(data.flatMap((row) => indexes.map((i) => Number(row[i]))));
  return Array.from(referenceForward(modelToNetwork(model), applyMinMax(x, model.inputs), data.length));
}

describe('cvnet train and predict', () => {
  it('trains, prints a --json summary and writes a model that predict applies', () => {
    const run = cvnet(['train', 'train.csv', '--target', 'K', '--epochs', '300', '--seed', '3', '--out', 'model.json', '--json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(Object.keys(summary).sort()).toEqual(
      ['bestEpoch', 'epochs', 'features', 'out', 'perf', 'samples', 'seed', 'skipped', 'stop', 'target', 'vperf'].sort(),
    );
    expect(summary).toMatchObject({ stop: 'epochs', epochs: 300, seed: 3, out: 'model.json', target: 'K', vperf: null });
    // Default features: numeric columns except the target and "id" (name is text, so not even listed as skipped).
    expect(summary.features).toEqual(['a', 'b', 'c']);
    expect(summary.skipped).toEqual([{ column: 'id', reason: 'a customer id, by its name' }]);
    expect(summary.samples).toEqual({ training: 200, validation: 0 });

    const model = parseModelText(readFileSync(join(dir, 'model.json'), 'utf8'), 'model.json');
    expect(model.layers.map((l) => l.weights.length)).toEqual([7, 1]); // 2n + 1 hidden
    expect(model.outputs.names).toEqual(['K']);
    expect(model.training?.history.perf[summary.bestEpoch]).toBe(summary.perf);
    expect(summary.perf).toBeLessThan(model.training!.history.perf[0]! / 4);

    const predict = cvnet(['predict', 'train.csv', '--model', 'model.json', '--out', 'scored.csv'], dir);
    expect(predict.stderr).toBe('');
    expect(predict.code).toBe(0);
    expect(predict.stdout).toBe('');
    const scored = readCsv(join(dir, 'scored.csv'));
    const input = readCsv(join(dir, 'train.csv'));
    // The file already has K, so the output is K_predicted; every input field is kept.
    expect(scored[0]).toEqual([...input[0]!, 'K_predicted']);
    expect(scored.map((row) => row.slice(0, -1))).toEqual(input);
    const predicted = scored.slice(1).map((row) => Number(row.at(-1)));
    const reference = referencePredictions(join(dir, 'model.json'), join(dir, 'train.csv'));
    predicted.forEach((y, q) => expect(y).toBeCloseTo(reference[q]!, 12));
    // Mean squared error of the written predictions equals the training MSE of the saved net.
    const mse = predicted.reduce((s, y, q) => s + (y - Number(input[q + 1]![5])) ** 2, 0) / predicted.length;
    expect(mse).toBeCloseTo(summary.perf, 6);
  });

  it('writes to stdout without --out, names the output after the target and streams in chunks', () => {
    writeFileSync(join(dir, 'nok.csv'), readFileSync(join(dir, 'big.csv'), 'utf8').replace(/,K\n/, ',target\n'));
    cvnet(['train', 'train.csv', '--target', 'K', '--epochs', '50', '--seed', '1', '--out', 'm.json'], dir);
    const out = cvnet(['predict', 'nok.csv', '-m', 'm.json'], dir);
    expect(out.code).toBe(0);
    const rows = parse(out.stdout) as string[][];
    expect(rows[0]).toEqual(['id', 'a', 'b', 'c', 'name', 'target', 'K']);
    expect(rows).toHaveLength(5001);
    const reference = referencePredictions(join(dir, 'm.json'), join(dir, 'nok.csv'));
    rows.slice(1).forEach((row, q) => expect(Number(row[6])).toBeCloseTo(reference[q]!, 12));
    const toFile = cvnet(['predict', 'nok.csv', '-m', 'm.json', '-o', 'nok-scored.csv'], dir);
    expect(toFile.code).toBe(0);
    expect(readFileSync(join(dir, 'nok-scored.csv'), 'utf8')).toBe(out.stdout);
  });

  it('scores its own output again under a new column name, which cvnet reads back', () => {
    expect(cvnet(['train', 'train.csv', '--target', 'K', '--epochs', '20', '--seed', '1', '--out', 'again.json'], dir).code).toBe(0);
    expect(cvnet(['predict', 'train.csv', '-m', 'again.json', '-o', 'again1.csv'], dir).code).toBe(0);
    expect(cvnet(['predict', 'again1.csv', '-m', 'again.json', '-o', 'again2.csv'], dir).code).toBe(0);
    const twice = cvnet(['predict', 'again2.csv', '-m', 'again.json'], dir);
    expect(twice.stderr).toBe('');
    expect(twice.code).toBe(0);
    expect((parse(twice.stdout) as string[][])[0]).toEqual(['id', 'a', 'b', 'c', 'name', 'K', 'K_predicted', 'K_predicted_2', 'K_predicted_3']);
  });

  it('says which columns it chose and which numeric-looking ones it left out, and why', () => {
    // "code" holds a number on every 10th row only (not the first): a text column with stray numbers.
    const lines = readFileSync(join(dir, 'train.csv'), 'utf8').trimEnd().split('\n');
    const coded = lines.map((line, i) => `${line},${i === 0 ? 'code' : i % 10 === 3 ? String(i) : `X${i}`}`);
    writeFileSync(join(dir, 'coded.csv'), `${coded.join('\n')}\n`);
    const run = cvnet(['train', 'coded.csv', '--target', 'K', '--epochs', '5', '--seed', '1', '--out', 'coded.json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'Features: a, b, c (every column with a number in the first row, except the target and "id").',
      'Skipped: id (a customer id, by its name), code (a number on only 10 of the first 100 rows, not on the first).',
    ]);
    const json = JSON.parse(cvnet(['train', 'coded.csv', '--target', 'K', '--epochs', '5', '--seed', '1', '--out', 'coded.json', '--json'], dir).stdout);
    expect(json.skipped).toEqual([{ column: 'id', reason: 'a customer id, by its name' }, { column: 'code', reason: 'a number on only 10 of the first 100 rows, not on the first' }]);
    // Chosen with --features: nothing is left out by cvnet.
    const given = cvnet(['train', 'coded.csv', '--target', 'K', '--features', 'a,b', '--epochs', '5', '--seed', '1', '--out', 'coded.json', '--json'], dir);
    expect(JSON.parse(given.stdout)).toMatchObject({ features: ['a', 'b'], skipped: [] });
  });

  it('is deterministic for a seed, and different seeds give different weights', () => {
    const args = ['train', 'train.csv', '--target', 'K', '--epochs', '100', '--validation', '0.25', '--hidden', '5'];
    expect(cvnet([...args, '--seed', '42', '--out', 's1.json'], dir).code).toBe(0);
    expect(cvnet([...args, '--seed', '42', '--out', 's2.json'], dir).code).toBe(0);
    expect(cvnet([...args, '--seed', '43', '--out', 's3.json'], dir).code).toBe(0);
    expect(withoutTimestamp(join(dir, 's1.json'))).toBe(withoutTimestamp(join(dir, 's2.json')));
    expect(withoutTimestamp(join(dir, 's1.json'))).not.toBe(withoutTimestamp(join(dir, 's3.json')));
    const model = parseModelText(readFileSync(join(dir, 's1.json'), 'utf8'));
    expect(model.training).toMatchObject({ seed: 42, validation: 0.25, samples: { training: 150, validation: 50 } });
    expect(model.layers[0]!.weights).toHaveLength(5);
    expect(model.training!.history.vperf).toHaveLength(model.training!.epochs + 1);
  });

  it('--init reproduces a run exactly from its initial weights', () => {
    const common = ['train', 'train.csv', '--target', 'K', '--validation', '0.2', '--seed', '9'];
    // --epochs 0 saves the Nguyen–Widrow initial network of seed 9.
    expect(cvnet([...common, '--epochs', '0', '--out', 'init.json'], dir).code).toBe(0);
    expect(cvnet([...common, '--epochs', '150', '--out', 'direct.json'], dir).code).toBe(0);
    expect(cvnet([...common, '--epochs', '150', '--init', 'init.json', '--out', 'resumed.json'], dir).code).toBe(0);
    expect(withoutTimestamp(join(dir, 'resumed.json'))).toBe(withoutTimestamp(join(dir, 'direct.json')));
  });

  it('refuses an --init model that does not fit the data or flags', () => {
    expect(cvnet(['train', 'train.csv', '--target', 'K', '--epochs', '0', '--seed', '1', '--out', 'i.json'], dir).code).toBe(0);
    const features = cvnet(['train', 'train.csv', '--target', 'K', '--features', 'a,b', '--init', 'i.json', '--out', 'x.json'], dir);
    expect(features.code).toBe(2);
    expect(features.stderr).toBe('Error: i.json: model inputs are a, b, c, but training uses a, b\n');
    const hidden = cvnet(['train', 'train.csv', '--target', 'K', '--hidden', '4', '--init', 'i.json', '--out', 'x.json'], dir);
    expect(hidden.stderr).toBe('Error: i.json: model has layers 7–1, but --hidden asks for 4–1\n');
  });

  it('trains and predicts on real customer data (ifood) with a derived target', () => {
    const rows = parse(readFileSync(sharedData('ifood_ml_project1_data.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const features = ['Recency', 'Kidhome', 'Teenhome', 'NumWebPurchases', 'NumCatalogPurchases', 'NumStorePurchases', 'NumWebVisitsMonth'];
    const spend = rows.map((r) => ['MntWines', 'MntFruits', 'MntMeatProducts', 'MntFishProducts', 'MntSweetProducts', 'MntGoldProds'].reduce((s, c) => s + Number(r[c]), 0));
    const lo = Math.min(...spend);
    const hi = Math.max(...spend);
    const lines = [['ID', ...features, 'Spend'].join(',')];
    rows.forEach((r, i) => lines.push([r.ID, ...features.map((f) => r[f]), (spend[i]! - lo) / (hi - lo)].join(',')));
    writeFileSync(join(dir, 'ifood.csv'), `${lines.join('\n')}\n`);

    const run = cvnet(['train', 'ifood.csv', '--target', 'Spend', '--epochs', '200', '--validation', '0.2', '--seed', '1', '--out', 'ifood.json', '--json'], dir);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.features).toEqual(features); // ID excluded
    expect(summary.samples).toEqual({ training: 1792, validation: 448 });
    const target = rows.map((_, i) => (spend[i]! - lo) / (hi - lo));
    const mean = target.reduce((s, y) => s + y, 0) / target.length;
    const variance = target.reduce((s, y) => s + (y - mean) ** 2, 0) / target.length;
    // Purchase counts explain much of the spend: far better than predicting the mean.
    expect(summary.vperf).toBeLessThan(variance / 2);

    expect(cvnet(['predict', 'ifood.csv', '-m', 'ifood.json', '-o', 'ifood-scored.csv'], dir).code).toBe(0);
    const scored = readCsv(join(dir, 'ifood-scored.csv'));
    expect(scored).toHaveLength(rows.length + 1);
    expect(scored[0]!.at(-1)).toBe('Spend_predicted');
  });

  it('is reachable as `cvnet` through the workspace bin link (npx cvnet)', () => {
    const run = cvnet(['--help'], dir);
    expect(run.stdout).toMatch(/train\s+Train a BP network/);
    expect(readFileSync(join(root, 'node_modules/.bin/cvnet'), 'utf8')).toBe(readFileSync(join(root, 'packages/cli/bin/run.js'), 'utf8'));
  });
});
