/**
 * Bad input: every case is one clear line on stderr, exit 2, and no output
 * file (or run directory) left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundled, cvnet, expectRefused, root, setup, surveyLines, writeConfig } from './helpers.js';

const RUN_FILES = ['customers.csv', 'model.json', 'report.html'];

describe('bad input', () => {
  let dir: string;
  const lines = surveyLines();
  const header = lines[0]!.split(',');
  const write = (name: string, rows: readonly string[]): string => {
    writeFileSync(join(dir, name), `${rows.join('\n')}\n`);
    return name;
  };
  /** cvnet run into a fresh directory, which must not exist afterwards. */
  const refusedRun = (args: readonly string[], message: RegExp): void => {
    const out = `out-${Math.random().toString(36).slice(2)}`;
    expectRefused(cvnet(['run', ...args, '--out', out], dir), message);
    expect(existsSync(join(dir, out))).toBe(false);
  };

  beforeAll(() => {
    dir = setup('cvnet-bad-');
  });

  it('a missing column names the column, the indicator and the config', () => {
    const m = header.indexOf('monetary');
    write('no-monetary.csv', lines.map((l) => l.split(',').filter((_, i) => i !== m).join(',')));
    refusedRun(['no-monetary.csv'], /no-monetary\.csv: column "monetary" needed by indicator "monetary" \(source monetary\) is not in the data.*\(config built-in study config.*fix the indicator's "source"/);
    const config = writeConfig(dir, 'renamed.json', (c) => (c.indicators[6].source = 'spend'));
    refusedRun([bundled, '--config', config], /column "spend" needed by indicator "monetary".*config .*renamed\.json/);
  });

  it('duplicate customer ids', () => {
    write('dup.csv', [...lines, lines[4]!]);
    refusedRun(['dup.csv'], /dup\.csv: row 550, column "id": duplicate customer id "S004" \(first on row 5\)/);
    expectRefused(cvnet(['preclassify', 'dup.csv'], dir), /duplicate customer id "S004"/);
  });

  it('an out-of-range Likert score names row and column', () => {
    write('seven.csv', lines.map((l, i) => (i === 9 ? l.replace(/^(S009),\d/, '$1,7') : l)));
    refusedRun(['seven.csv'], /seven\.csv: row 10, column "profile" \(indicator "profile"\): expected an integer score 1–5 \(likert rule\), got "7"/);
  });

  it('an empty band is refused by run, sample and train (preclassify only warns)', () => {
    const cols = ['recency', 'frequency', 'monetary'].map((c) => header.indexOf(c));
    // Without customers scoring 5 on all of R, F, M, band 5 (C = 5) is empty.
    write('no-band5.csv', lines.filter((l, i) => i === 0 || cols.some((c) => l.split(',')[c] !== '5')));
    const message = /no-band5\.csv: band 5 \(C = 5\) has no customers.*--allow-empty-bands/;
    refusedRun(['no-band5.csv'], message);
    expectRefused(cvnet(['sample', 'no-band5.csv', '--out', 'sample.csv'], dir), message);
    expectRefused(cvnet(['train', 'no-band5.csv', '--config', writeConfig(dir, 'study.json'), '--out', 'model.json'], dir), message);
    expect(existsSync(join(dir, 'sample.csv')) || existsSync(join(dir, 'model.json'))).toBe(false);

    const pre = cvnet(['preclassify', 'no-band5.csv', '--json'], dir);
    expect(pre.code).toBe(0);
    expect(pre.stderr).toMatch(/Warning: band 5 \(C = 5\) has no customers/);
    expect(JSON.parse(pre.stdout).bands[4].count).toBe(0);
    expect(cvnet(['run', 'no-band5.csv', '--allow-empty-bands', '--out', 'allowed'], dir).code).toBe(0);
  });

  it('a sample too small to train', () => {
    write('tiny.csv', lines.slice(0, 13));
    refusedRun(['tiny.csv'], /tiny\.csv: the stratified sample has \d customer\(s\) \(12 customers × fraction 0\.5\); at least 10 are needed/);
  });

  it('final weights that do not sum to 1', () => {
    const config = writeConfig(dir, 'final.json', (c) => {
      c.weights = { type: 'final', values: Object.fromEntries(c.indicators.map((i: { id: string }) => [i.id, 0.07])) };
    });
    const message = /final\.json: weights\.values sum to 0\.98\d*, expected 1/;
    expectRefused(cvnet(['weights', config], dir), message);
    refusedRun([bundled, '--config', config], message);
  });

  it('an inconsistent AHP matrix, named', () => {
    const config = writeConfig(dir, 'ahp.json', (c) => {
      const ones = (n: number) => Array.from({ length: n }, () => Array(n).fill(1));
      c.weights = {
        type: 'ahp',
        dimensions: ones(3),
        within: { online: ones(4), current: [[1, 9, '1/9'], ['1/9', 1, 9], [9, '1/9', 1]], potential: ones(7) },
      };
    });
    const message = /ahp\.json: AHP matrix "within\.current" is inconsistent: consistency ratio \d+\.\d+ > 0\.1/;
    expectRefused(cvnet(['weights', config], dir), message);
    expect(cvnet(['weights', config, '--json'], dir).code).toBe(2);
    refusedRun([bundled, '--config', config], message);
  });

  it('classify refuses a model without the method, and leaves no output file', () => {
    writeFileSync(join(dir, 'plain.csv'), 'id,a,K\n1,1,0.1\n2,2,0.2\n3,3,0.3\n');
    expect(cvnet(['train', 'plain.csv', '--target', 'K', '--epochs', '5', '--seed', '1', '--out', 'plain.json'], dir).code).toBe(0);
    expectRefused(cvnet(['classify', bundled, '--model', 'plain.json', '--out', 'c.csv'], dir), /plain\.json has no customer-value method/);
    expect(existsSync(join(dir, 'c.csv'))).toBe(false);
  });

  it('an --out that cannot become a directory is named, and nothing is written', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    symlinkSync('nowhere', join(dir, 'dangling'));
    const cases: [string, RegExp][] = [
      ['a-file', /^Error: a-file: exists and is not a directory$/m],
      ['a-file/run', /^Error: a-file: exists and is not a directory$/m],
      ['dangling/run', /^Error: dangling: is a symbolic link to nowhere, which does not exist$/m],
    ];
    for (const [out, message] of cases) expectRefused(cvnet(['run', '--out', out], dir), message);
    expect(readFileSync(join(dir, 'a-file'), 'utf8')).toBe('x');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    // Missing parents are still made.
    expect(cvnet(['run', '--out', 'new/nested/run'], dir).code).toBe(0);
    expect(readdirSync(join(dir, 'new/nested/run')).sort()).toEqual(RUN_FILES.sort());
  });

  it.skipIf(!existsSync('/proc/self'))('an --out under /proc fails at once', () => {
    // Node's recursive mkdir loops forever on /proc's ENOENT; the timeout turns such a hang into a failure.
    const r = spawnSync(process.execPath, [join(root, 'packages/cli/bin/run.js'), 'run', '--out', '/proc/cvnet-test/run'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expectRefused({ code: r.status, stdout: r.stdout, stderr: r.stderr }, /^Error: \/proc\/cvnet-test: cannot create the directory \(ENOENT\)$/m);
  });

  it('leaves no temporary files behind', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'allowed')).sort()).toEqual(RUN_FILES.sort());
  });
});
