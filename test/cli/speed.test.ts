/**
 * The speed options and fast paths of train and predict: --precision f32
 * stays close to f64, --threads is reproducible, bad values are one-line
 * errors, predict's hand-written CSV equals csv-stringify's byte for byte,
 * and the oclif manifest (which start-up relies on) matches the commands.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cvnet, readCsv, requireBuild, root, withoutTimestamp, writeFixture } from './helpers.js';

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'cvnet-speed-'));
  writeFixture(join(dir, 'train.csv'), 300, 4);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const train = (out: string, ...extra: string[]): void => {
  const run = cvnet(['train', 'train.csv', '--target', 'K', '--epochs', '40', '--seed', '5', '--out', out, ...extra], dir);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
};
const predictions = (model: string, ...extra: string[]): number[] => {
  const run = cvnet(['predict', 'train.csv', '--model', model, ...extra], dir);
  expect(run.code).toBe(0);
  return (parse(run.stdout) as string[][]).slice(1).map((row) => Number(row.at(-1)));
};

describe('train and predict speed options', () => {
  it('--precision f32 trains and predicts within 1e-4 of f64 on the same seed', () => {
    train('f64.json');
    train('f32.json', '--precision', 'f32');
    const exact = predictions('f64.json');
    const fast = predictions('f32.json', '--precision', 'f32');
    const f32Forward = predictions('f64.json', '--precision', 'f32');
    expect(exact).toHaveLength(300);
    exact.forEach((y, q) => {
      expect(Math.abs(fast[q]! - y)).toBeLessThan(1e-4);
      expect(Math.abs(f32Forward[q]! - y)).toBeLessThan(1e-4);
    });
    // f32 really ran: not the f64 numbers.
    expect(f32Forward.some((y, q) => y !== exact[q])).toBe(true);
  });

  it('--threads 2 gives bit-identical models on two runs, close to one thread', () => {
    train('t2a.json', '--threads', '2');
    train('t2b.json', '--threads', '2');
    train('t1.json');
    expect(withoutTimestamp(join(dir, 't2a.json'))).toBe(withoutTimestamp(join(dir, 't2b.json')));
    const one = predictions('t1.json');
    predictions('t2a.json').forEach((y, q) => expect(Math.abs(y - one[q]!)).toBeLessThan(1e-8));
  });

  it.each([
    [['train', 'train.csv', '--target', 'K', '--precision', 'f16'], /--precision must be f64 or f32, got "f16"/],
    [['train', 'train.csv', '--target', 'K', '--threads', '0'], /--threads must be an integer from 1 to 256, got "0"/],
    [['train', 'train.csv', '--target', 'K', '--threads', '1.5'], /--threads must be an integer from 1 to 256, got "1\.5"/],
    [['train', 'train.csv', '--target', 'K', '--threads', '400'], /--threads must be an integer from 1 to 256/],
    [['train', 'train.csv', '--config', 'none.json', '--precision', 'f16'], /--precision must be f64 or f32, got "f16"/],
    [['predict', 'train.csv', '--model', 'f64.json', '--precision', 'double'], /--precision must be f64 or f32, got "double"/],
  ])('refuses %j with one line', (args, message) => {
    const run = cvnet([...args, '--out', 'never.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
    expect(readdirSync(dir)).not.toContain('never.json');
  });
});

describe('config mode (the customer-value method) speed options', () => {
  const survey = join(root, 'packages/cli/data/synthetic-survey-548.csv');
  const trainMethod = (out: string, ...extra: string[]): void => {
    const run = cvnet(['train', survey, '--epochs', '40', '--seed', '5', '--out', out, ...extra], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  };
  const classifiedK = (model: string): number[] => {
    const run = cvnet(['classify', survey, '--model', model], dir);
    expect(run.code).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    return rows.map((row) => Number(row.K));
  };
  const training = (model: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, model), 'utf8')).training;

  beforeAll(() => expect(cvnet(['init', '--out', 'method.config.jsonc'], dir).code).toBe(0));

  it('--precision f32 scores within 1e-4 of f64 and is recorded in the model (f64 is not)', () => {
    trainMethod('m64.json', '--config', 'method.config.jsonc');
    trainMethod('m32.json', '--config', 'method.config.jsonc', '--precision', 'f32');
    const exact = classifiedK('m64.json');
    const fast = classifiedK('m32.json');
    expect(exact).toHaveLength(548);
    exact.forEach((k, i) => expect(Math.abs(fast[i]! - k)).toBeLessThan(1e-4));
    expect(fast.some((k, i) => k !== exact[i])).toBe(true);
    expect(training('m32.json').precision).toBe('f32');
    expect(training('m64.json')).not.toHaveProperty('precision');
    expect(training('m64.json')).not.toHaveProperty('threads');
  });

  it('--threads 2 gives bit-identical models on two runs, close to one thread, and is recorded', () => {
    trainMethod('mt2a.json', '--config', 'method.config.jsonc', '--threads', '2');
    trainMethod('mt2b.json', '--config', 'method.config.jsonc', '--threads', '2');
    expect(readFileSync(join(dir, 'mt2a.json'), 'utf8')).toBe(readFileSync(join(dir, 'mt2b.json'), 'utf8'));
    expect(training('mt2a.json').threads).toBe(2);
    const one = classifiedK('m64.json');
    classifiedK('mt2a.json').forEach((k, i) => expect(Math.abs(k - one[i]!)).toBeLessThan(1e-8));
  });
});

describe('predict output', () => {
  it('is byte-identical to csv-stringify for awkward fields, quoted or not', () => {
    const rows = readCsv(join(dir, 'train.csv'));
    const names = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' spaced ', 'cr\rhere', '', 'é€😀', '=1+2', '#x'];
    const awkward = rows.map((row, q) => (q === 0 ? row : row.map((v, j) => (j === 4 ? names[q % names.length]! : v))));
    writeFileSync(join(dir, 'awkward.csv'), stringify(awkward, { quoted: false }));
    const run = cvnet(['predict', 'awkward.csv', '--model', 'f64.json'], dir);
    expect(run.code).toBe(0);
    const out = parse(run.stdout) as string[][];
    const k = out.slice(1).map((row) => Number(row.at(-1)));
    expect(run.stdout).toBe(stringify([[...awkward[0]!, 'K_predicted'], ...awkward.slice(1).map((row, q) => [...row, k[q]!])]));
  });
});

describe('oclif manifest', () => {
  it('lists exactly the built commands, at the package version (rebuild with npm run build:ts)', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages/cli/oclif.manifest.json'), 'utf8')) as { version: string; commands: Record<string, unknown> };
    const pkg = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string };
    const built = readdirSync(join(root, 'packages/cli/dist/commands')).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3));
    expect(manifest.version).toBe(pkg.version);
    expect(Object.keys(manifest.commands).sort()).toEqual(built.sort());
  });
});
