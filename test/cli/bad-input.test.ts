import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cvnet, requireBuild, writeFixture } from './helpers.js';

let dir: string;
const write = (name: string, text: string): void => writeFileSync(join(dir, name), text);

beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'cvnet-bad-'));
  writeFixture(join(dir, 'good.csv'), 60);
  // A valid model to predict with (3 inputs a, b, c).
  const run = cvnet(['train', 'good.csv', '--target', 'K', '--epochs', '20', '--seed', '1', '--out', 'model.json'], dir);
  if (run.code !== 0) throw new Error(run.stderr);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Exactly one line on stderr, exit code 2, and nothing on stdout. */
function expectOneLineError(args: string[], message: RegExp): void {
  const run = cvnet(args, dir);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^Error: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
}

/** No output file, and no temporary file left beside it. */
function expectNoOutput(name: string): void {
  expect(existsSync(join(dir, name))).toBe(false);
  expect(readdirSync(dir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
}

describe('flags and arguments oclif refuses', () => {
  it.each([
    ['an integer flag given text', ['train', 'good.csv', '--target', 'K', '--epochs', 'abc', '--out', 'never.json'], /^Error: Parsing --epochs: Expected an integer but received: abc \(see --help\)$/m],
    ['an unknown flag', ['predict', 'good.csv', '--modle', 'model.json'], /^Error: Nonexistent flag: --modle \(see --help\)$/m],
    ['a missing argument', ['predict', '--model', 'model.json'], /^Error: Missing 1 required arg: data .*\(see --help\)$/m],
    ['a missing required flag', ['predict', 'good.csv'], /^Error: .*Missing required flag model \(see --help\)$/m],
    ['a value not among the options', ['classify', 'good.csv', '--model', 'model.json', '--format', 'xml'], /^Error: Expected --format=xml to be one of: csv, jsonl \(see --help\)$/m],
  ])('%s: one line, exit 2, no usage block', (_, args, message) => {
    expectOneLineError(args, message);
    expectNoOutput('never.json');
  });
});

describe('--json and bad input', () => {
  it('prints the same one line on stderr, and on stdout only {"error": {code, message}}', () => {
    write('text.csv', 'a,b,K\n1,x,0.5\n2,3,0.4\n');
    const run = cvnet(['train', 'text.csv', '--target', 'K', '--features', 'a,b', '--out', 'never.json', '--json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Error: [^\n]+\n$/);
    const message = run.stderr.slice('Error: '.length, -1);
    expect(message).toMatch(/text\.csv.*line 2.*"b"/);
    expect(JSON.parse(run.stdout)).toEqual({ error: { code: 'DATA', message } });
    expectNoOutput('never.json');
  });
});

describe('cvnet train on bad input', () => {
  const cases: [string, string | undefined, string[], RegExp][] = [
    ['missing file', undefined, [], /^Error: missing file\.csv: file not found$/m],
    ['empty file', '', [], /^Error: empty file\.csv: file is empty \(expected a header row/m],
    ['header only', 'a,b,K\n', [], /header only\.csv: no data rows below the header/],
    ['missing target', 'a,b,T\n1,2,0.5\n', [], /missing target\.csv: no column "K" \(columns: a, b, T\)/],
    ['missing feature', 'a,b,K\n1,2,0.5\n', ['--features', 'a,zz'], /missing feature\.csv: no column "zz" \(columns: a, b, K\)/],
    ['non-numeric', 'a,b,K\n1,2,0.5\n3,abc,0.1\n', [], /non-numeric\.csv, line 3, column "b": "abc" is not a number/],
    ['empty value', 'a,b,K\n1,2,0.5\n3,,0.1\n', [], /empty value\.csv, line 3, column "b": empty value, expected a number/],
    ['nan', 'a,b,K\n1,2,0.5\n3,NaN,0.1\n', [], /nan\.csv, line 3, column "b": "NaN" is not a finite number/],
    ['infinite', 'a,b,K\r\n1,2,0.5\r\n3,4,0.1\r\n5,Infinity,0.2\r\n', [], /infinite\.csv, line 4, column "b": "Infinity" is not a finite number/],
    ['ragged', 'a,b,K\n1,2,0.5\n3,4\n', [], /ragged\.csv, line 3: row has 2 fields, expected 3/],
    ['bad quote', 'a,b,K\n1,2,0.5\n3,"4,0.1\n', [], /bad quote\.csv, line 3: malformed CSV/],
    ['first value', 'a,b,K\n1,abc,0.5\n3,4,0.1\n5,6,0.2\n', [], /^Error: first value\.csv, line 2, column "b": "abc" is not a number, but 2 of the first 3 rows have a number there, so the column is not left out silently: fix the value, or choose the inputs with --features a$/m],
    ['first empty', 'a,b,K\n1,,0.5\n3,4,0.1\n5,6,0.2\n', [], /^Error: first empty\.csv, line 2, column "b": empty value, but 2 of the first 3 rows have a number there/],
    ['target range', 'a,b,K\n1,2,0.5\n3,4,1.5\n', [], /target range\.csv, line 3, column "K": target 1\.5 is outside \[0, 1\].*rescale/],
    ['bad option', 'a,b,K\n1,2,0.5\n', ['--lr-dec', '1.5'], /--lr-dec: /],
    ['lr not a number', 'a,b,K\n1,2,0.5\n', ['--lr', 'abc'], /^Error: --lr must be a finite decimal number, got "abc"$/m],
    ['goal not a number', 'a,b,K\n1,2,0.5\n', ['--goal', 'abc'], /^Error: --goal must be a finite decimal number, got "abc"$/m],
    ['mc not a number', 'a,b,K\n1,2,0.5\n', ['--mc', 'abc'], /^Error: --mc must be a finite decimal number, got "abc"$/m],
    ['validation not a number', 'a,b,K\n1,2,0.5\n', ['--validation', 'abc'], /^Error: --validation must be a finite decimal number, got "abc"$/m],
    ['lr too large', 'a,b,K\n1,2,0.5\n', ['--lr', '1e400'], /^Error: --lr must be a finite decimal number, got "1e400"$/m],
    ['lr hexadecimal', 'a,b,K\n1,2,0.5\n', ['--lr', '0x10'], /^Error: --lr must be a finite decimal number, got "0x10"$/m],
    ['bad validation', 'a,b,K\n1,2,0.5\n3,4,0.1\n', ['--validation', '0.1'], /bad validation\.csv: 2 rows cannot be split/],
  ];
  it.each(cases)('%s', (name, text, extra, message) => {
    const file = `${name}.csv`;
    if (text !== undefined) write(file, text);
    const out = `${name}.json`;
    expectOneLineError(['train', file, '--target', 'K', '--epochs', '5', '--out', out, ...extra], message);
    expectNoOutput(out);
  });

  it('reports the error as JSON with --json', () => {
    write('json.csv', 'a,b,K\n1,x,0.5\n');
    const run = cvnet(['train', 'json.csv', '--target', 'K', '--features', 'a,b', '--out', 'json.json', '--json'], dir);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toBe('json.csv, line 2, column "b": "x" is not a number');
    expectNoOutput('json.json');
  });
});

describe('cvnet predict on bad input', () => {
  beforeAll(() => {
    // A bad value after the first 4096-row chunk has been produced.
    const rows = readFileSync(join(dir, 'good.csv'), 'utf8').trimEnd().split('\n');
    const body = Array.from({ length: 5000 }, (_, i) => rows[1 + (i % 60)]!);
    body[4500] = body[4500]!.replace(/^(\d+),[^,]+,/, '$1,oops,');
    write('late-error.csv', `${[rows[0], ...body].join('\n')}\n`);
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    write('v7.json', JSON.stringify({ ...model, version: 7 }));
    write('broken.json', JSON.stringify({ ...model, layers: [model.layers[0], { ...model.layers[1], biases: [] }] }));
    model.layers[1].weights[0].pop();
    write('shape.json', JSON.stringify(model));
    write('notjson.json', '{"format": "cvnet-model",');
  });

  const cases: [string, string, string, RegExp][] = [
    ['missing data', 'nope.csv', 'model.json', /^Error: nope\.csv: file not found$/m],
    ['missing model', 'good.csv', 'nope.json', /^Error: nope\.json: model file not found$/m],
    ['model version', 'good.csv', 'v7.json', /v7\.json: unsupported model version 7 \(this cvnet reads version 1\)/],
    ['malformed model', 'good.csv', 'broken.json', /broken\.json: layers\[1\]\.biases: /],
    ['model shapes', 'good.csv', 'shape.json', /shape\.json: layers\[1\]\.weights\[0\] has 6 values, expected 7/],
    ['model not JSON', 'good.csv', 'notjson.json', /notjson\.json: not valid JSON/],
    ['late bad value', 'late-error.csv', 'model.json', /late-error\.csv, line 4502, column "a": "oops" is not a number/],
  ];
  it.each(cases)('%s', (name, data, model, message) => {
    const out = `${name}.out.csv`;
    expectOneLineError(['predict', data, '--model', model, '--out', out], message);
    expectNoOutput(out);
  });

  it('names the columns the model needs when the data lacks them', () => {
    write('fewer.csv', 'id,a,K\n1,2,0.5\n');
    expectOneLineError(
      ['predict', 'fewer.csv', '-m', 'model.json', '-o', 'fewer.out.csv'],
      /fewer\.csv: no column "b", "c", which model model\.json needs as input \(columns: id, a, K\)/,
    );
    expectNoOutput('fewer.out.csv');
  });

  it('leaves an existing output file untouched on error', () => {
    write('keep.csv', 'precious\n');
    expectOneLineError(['predict', 'late-error.csv', '-m', 'model.json', '-o', 'keep.csv'], /line 4502/);
    expect(readFileSync(join(dir, 'keep.csv'), 'utf8')).toBe('precious\n');
  });
});
