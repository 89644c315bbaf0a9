/**
 * Happy paths and output contracts of the customer-value commands on the
 * bundled synthetic survey.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../packages/core/src/indicators/config.js';
import { defaultConfig } from '../../packages/core/src/indicators/defaults.js';
import { scoreWithModel } from '../../packages/core/src/method/score-model.js';
import { parseModelText } from '../../packages/core/src/model/model.js';
import { toCsv } from '../../packages/core/src/synthetic/csv.js';
import { generateSurvey } from '../../packages/core/src/synthetic/survey.js';
import { loadEngine } from '../../packages/core/src/wasm/node.js';
import { bundled, cvnet, ifoodConfig, setup } from './helpers.js';

const INDICATORS = defaultConfig().indicators.map((i) => i.id);
const CONTRACT = ['id', 'C', 'band', 'K', 'class', 'strategy', ...INDICATORS];

const records = (path: string): Record<string, string>[] => parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];

describe('cvnet run on the bundled synthetic survey', () => {
  let dir: string;
  beforeAll(() => {
    dir = setup('cvnet-run-');
  });

  it('writes customers.csv, model.json and a self-contained report.html, and says the data is synthetic', () => {
    const run = cvnet(['run', '--out', 'out'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SYNTHETIC DATA');
    expect(run.stdout).toMatch(/Target: comprehensive weighted score/);
    expect(run.stdout).toMatch(/Network: 14-29-1/);
    for (const f of ['customers.csv', 'model.json', 'report.html']) expect(existsSync(join(dir, 'out', f))).toBe(true);

    const rows = parse(readFileSync(join(dir, 'out/customers.csv'), 'utf8')) as string[][];
    expect(rows[0]).toEqual(CONTRACT);
    expect(rows).toHaveLength(549);

    const html = readFileSync(join(dir, 'out/report.html'), 'utf8');
    expect(html).toContain('Synthetic data');
    for (const section of ['bands', 'training', 'k-distribution', 'classes', 'confusion', 'weights']) expect(html).toContain(`<section id="${section}">`);
    // The engine records the test MSE every epoch, so the report draws the curve, not the final level.
    expect(html).toContain('test MSE');
    expect(html).not.toContain('test MSE (final)');
    const history = JSON.parse(readFileSync(join(dir, 'out/model.json'), 'utf8')).training.history;
    expect(history.tperf).toHaveLength(history.perf.length);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\bsrc=|@import|url\(/i);
  });

  it('writes byte-identical model.json for the same seed, and a different one for another seed', () => {
    expect(cvnet(['run', '--out', 'a', '--seed', '5'], dir).code).toBe(0);
    expect(cvnet(['run', '--out', 'b', '--seed', '5'], dir).code).toBe(0);
    expect(cvnet(['run', '--out', 'c', '--seed', '6'], dir).code).toBe(0);
    const model = (d: string): string => readFileSync(join(dir, d, 'model.json'), 'utf8');
    expect(model('a')).toBe(model('b'));
    expect(model('c')).not.toBe(model('a'));
    expect(readFileSync(join(dir, 'a/customers.csv'), 'utf8')).toBe(readFileSync(join(dir, 'b/customers.csv'), 'utf8'));
  });

  it('--json prints the summary with the target used and the files written', () => {
    const run = cvnet(['run', '--out', 'j', '--json'], dir);
    expect(run.code).toBe(0);
    const s = JSON.parse(run.stdout);
    expect(s).toMatchObject({ synthetic: true, customers: 548, network: '14-29-1', target: { kind: 'comprehensive', source: 'comprehensive weighted score' } });
    expect(s.sample.train + s.sample.test).toBe(s.sample.size);
    expect(Object.values(s.classes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(548);
    expect(s.outputs).toEqual({ customers: join('j', 'customers.csv'), model: join('j', 'model.json'), report: join('j', 'report.html') });
  });

  it('classify reproduces the run, equals scoreWithModel to the last digit, and its output is valid input', async () => {
    const model = join(dir, 'out/model.json');
    expect(cvnet(['classify', bundled, '--model', model, '--out', 'c1.csv'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'c1.csv'), 'utf8')).toBe(readFileSync(join(dir, 'out/customers.csv'), 'utf8'));

    const engine = await loadEngine();
    const survey = records(bundled);
    const expected = scoreWithModel(engine, parseModelText(readFileSync(model, 'utf8')), survey).customers;
    const got = records(join(dir, 'c1.csv'));
    got.forEach((row, i) => {
      const e = expected[i]!;
      expect(row.id).toBe(e.id);
      expect(Number(row.K)).toBe(e.K);
      expect(Number(row.C)).toBe(e.C);
      expect([row.band, row.class, row.strategy]).toEqual([String(e.band), e.class, e.strategy]);
      expect(INDICATORS.map((id) => Number(row[id]))).toEqual(e.scores);
    });

    expect(cvnet(['classify', 'c1.csv', '--model', model, '--out', 'c2.csv'], dir).code).toBe(0);
    expect(records(join(dir, 'c2.csv')).map((r) => r.K)).toEqual(got.map((r) => r.K));
  });

  it('classify writes JSON lines with the same fields and values', () => {
    const run = cvnet(['classify', bundled, '--model', 'out/model.json', '--format', 'jsonl'], dir);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(548);
    expect(Object.keys(lines[0])).toEqual(CONTRACT);
    const csv = records(join(dir, 'out/customers.csv'));
    expect(lines.map((l) => l.K)).toEqual(csv.map((r) => Number(r.K)));
  });

  it('classify streams a file larger than one chunk and finds a duplicate id across chunks', () => {
    const rows = generateSurvey({ customers: 9000, seed: 3 });
    writeFileSync(join(dir, 'big.csv'), toCsv(rows));
    const run = cvnet(['classify', 'big.csv', '--model', 'out/model.json', '--out', 'big-out.csv'], dir);
    expect(run.code).toBe(0);
    const out = records(join(dir, 'big-out.csv'));
    expect(out.map((r) => r.id)).toEqual(rows.map((r) => r.id));

    // Same id on line 2 and on line 8002 (chunks hold 4096 rows).
    writeFileSync(join(dir, 'dup.csv'), toCsv(rows.map((r, i) => (i === 8000 ? { ...r, id: rows[0]!.id } : r))));
    const dup = cvnet(['classify', 'dup.csv', '--model', 'out/model.json', '--out', 'dup-out.csv'], dir);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/^Error: dup\.csv: row 8002, column "id": duplicate customer id "S0001" \(first on row 2\)\n$/);
    expect(existsSync(join(dir, 'dup-out.csv'))).toBe(false);
  });

  it('report re-renders a run directory and reports on data + model', () => {
    const fromDir = cvnet(['report', 'out', '--out', 'again.html'], dir);
    expect(fromDir.code).toBe(0);
    expect(fromDir.stdout).toMatch(/Test MSE: .*class accuracy/);
    const html = readFileSync(join(dir, 'again.html'), 'utf8');
    expect(html).toContain('<section id="confusion">');
    expect(html).not.toMatch(/https?:\/\//);

    const fromData = cvnet(['report', '--model', 'out/model.json', '--data', bundled, '--out', 'data.html'], dir);
    expect(fromData.code).toBe(0);
    expect(fromData.stdout).toContain('SYNTHETIC DATA');
    expect(readFileSync(join(dir, 'data.html'), 'utf8')).toContain('Synthetic data');
  });
});

describe('step by step: init, weights, preclassify, sample, train --config', () => {
  let dir: string;
  beforeAll(() => {
    dir = setup('cvnet-steps-');
  });

  it('init writes the commented study config and never overwrites without --force', () => {
    expect(cvnet(['init'], dir).code).toBe(0);
    const text = readFileSync(join(dir, 'cvnet.config.jsonc'), 'utf8');
    expect(text).toMatch(/^\/\//);
    expect(parseConfig(text)).toEqual(defaultConfig());
    writeFileSync(join(dir, 'cvnet.config.jsonc'), '// mine\n{}');
    const again = cvnet(['init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/cvnet\.config\.jsonc already exists; pass --force/);
    expect(readFileSync(join(dir, 'cvnet.config.jsonc'), 'utf8')).toBe('// mine\n{}');
    expect(cvnet(['init', '--force'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'cvnet.config.jsonc'), 'utf8')).toBe(text);
  });

  it('weights --json prints every final weight and the CR of every AHP matrix', () => {
    const experts = JSON.parse(cvnet(['weights', 'cvnet.config.jsonc', '--json'], dir).stdout);
    expect(Object.keys(experts.weights)).toEqual(INDICATORS);
    expect(experts.matrices).toEqual([]);
    // Mean of the three experts' vectors (each sums to 1), e.g. recency (0.10 + 0.11 + 0.09) / 3.
    expect(experts.weights.recency).toBeCloseTo(0.1, 12);
    expect(experts.weights.monetary).toBeCloseTo((0.14 + 0.15 + 0.13) / 3, 12);

    const ahp = JSON.parse(cvnet(['weights', ifoodConfig, '--json'], dir).stdout);
    expect(ahp.matrices.map((m: { name: string }) => m.name)).toEqual(['dimensions', 'within.online', 'within.current', 'within.potential']);
    for (const m of ahp.matrices) expect(m.cr).toBeLessThanOrEqual(0.1);
    // within.current [[1, 1/2, 1/2], [2, 1, 1], [2, 1, 1]] is consistent: weights 0.2, 0.4, 0.4, CR 0.
    expect(ahp.matrices[2].cr).toBeCloseTo(0, 12);
    const current = ahp.weights.recency + ahp.weights.frequency + ahp.weights.monetary;
    expect(ahp.weights.recency / current).toBeCloseTo(0.2, 10);
    expect(Object.values(ahp.weights as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('preclassify --json prints exactly the bands contract; the terminal shows Table 2', () => {
    const run = cvnet(['preclassify', bundled, '--json'], dir);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out)).toEqual(['bands']);
    expect(out.bands.map((b: object) => Object.keys(b))).toEqual(Array(5).fill(['band', 'lower', 'upper', 'count', 'proportion']));
    expect(out.bands.map((b: { band: number; lower: number; upper: number }) => [b.band, b.lower, b.upper])).toEqual([[1, 1, 2], [2, 2, 3], [3, 3, 4], [4, 4, 5], [5, 5, 5]]);
    const counts = out.bands.map((b: { count: number }) => b.count);
    expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(548);
    for (const b of out.bands) expect(b.proportion).toBe(b.count / 548);
    // Independent check of one band: C is the weighted mean of R, F, M with the experts' mean weights.
    const w = { recency: 0.3 / 3, frequency: 0.37 / 3, monetary: 0.42 / 3 };
    const total = w.recency + w.frequency + w.monetary;
    const band5 = records(bundled).filter((r) => (w.recency * +r.recency! + w.frequency * +r.frequency! + w.monetary * +r.monetary!) / total > 5 - 1e-9).length;
    expect(counts[4]).toBe(band5);

    const table = cvnet(['preclassify', bundled], dir);
    expect(table.stdout).toMatch(/5\s+C = 5\s+27\s+4\.9 %/);
  });

  it('sample writes the sampled rows with C, band and split, half of every band', () => {
    const run = cvnet(['sample', bundled, '--out', 'sample.csv'], dir);
    expect(run.code).toBe(0);
    const rows = records(join(dir, 'sample.csv'));
    expect(Object.keys(rows[0]!)).toEqual([...Object.keys(records(bundled)[0]!), 'C', 'band', 'split']);
    const pre = JSON.parse(cvnet(['preclassify', bundled, '--json'], dir).stdout).bands as { band: number; count: number }[];
    for (const b of pre) expect(rows.filter((r) => r.band === String(b.band))).toHaveLength(Math.max(1, Math.round(b.count / 2)));
    const train = rows.filter((r) => r.split === 'train').length;
    expect(train).toBe(Math.round((229 / 274) * rows.length));
    // The training part is the first rows of the sample, in data order.
    expect(rows.slice(0, train).every((r) => r.split === 'train')).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);

    expect(cvnet(['sample', bundled, '--seed', '2', '--out', 'sample2.csv'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'sample2.csv'), 'utf8')).not.toBe(readFileSync(join(dir, 'sample.csv'), 'utf8'));
  });

  it('train --config runs the whole pipeline to a model file and says which target it used', () => {
    const run = cvnet(['train', bundled, '--config', 'cvnet.config.jsonc', '--epochs', '200', '--out', 'model.json', '--json'], dir);
    expect(run.code).toBe(0);
    const s = JSON.parse(run.stdout);
    expect(s.target).toMatchObject({ kind: 'comprehensive', source: 'comprehensive weighted score' });
    expect(s.training).toMatchObject({ epochs: 200, stop: 'epochs' });
    const model = parseModelText(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(model.inputs.names).toEqual(INDICATORS);
    expect(model.method?.target.kind).toBe('comprehensive');
    expect(model.method?.evaluation?.mse).toBe(s.test.mse);

    const text = cvnet(['train', bundled, '--config', 'cvnet.config.jsonc', '--epochs', '200', '--out', 'model2.json'], dir);
    expect(text.stdout).toMatch(/Target: comprehensive weighted score/);
    expect(readFileSync(join(dir, 'model2.json'), 'utf8')).toBe(readFileSync(join(dir, 'model.json'), 'utf8'));
  });

  it('train --config uses an expert target column when the config names one', () => {
    const lines = readFileSync(bundled, 'utf8').trimEnd().split('\r\n');
    // Expert K: a made-up judgement from monetary and recency only.
    writeFileSync(join(dir, 'expert.csv'), [`${lines[0]},expert_k`, ...lines.slice(1).map((l) => {
      const f = l.split(',');
      return `${l},${((+f[7]! + +f[5]! - 2) / 8).toFixed(4)}`;
    })].join('\n'));
    const config = parseConfig(readFileSync(join(dir, 'cvnet.config.jsonc'), 'utf8'));
    writeFileSync(join(dir, 'expert.json'), JSON.stringify({ ...config, target: { column: 'expert_k', kind: 'value' } }));
    const run = cvnet(['train', 'expert.csv', '--config', 'expert.json', '--epochs', '50', '--out', 'expert-model.json'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Target: expert column "expert_k": expert-assessed value K in \[0, 1\]/);
  });

  it('train --config refuses flags of plain training; plain train still needs --target', () => {
    const mixed = cvnet(['train', bundled, '--config', 'cvnet.config.jsonc', '--target', 'K', '--out', 'x.json'], dir);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--target belongs to plain training and cannot be combined with --config/);
    const neither = cvnet(['train', bundled, '--out', 'x.json'], dir);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/give --target <column>.*or --config <file>/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});
