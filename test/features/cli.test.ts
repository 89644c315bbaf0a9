/** `cvnet features` and `cvnet backtest` as a user runs them (needs `npm run build`). */
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cvnet, readCsv, requireBuild, root } from '../cli/helpers.js';
import { sharedData } from '../shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'cvnet-features-cli-'));
beforeAll(requireBuild);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cvnet features / backtest', () => {
  it('writes one row per customer with the future columns and reports the dirty lines', () => {
    const out = join(dir, 'customers.csv');
    const r = cvnet(['features', sharedData('online_retail_first30000_rows.csv'), '--map', join(root, 'examples/online-retail/mapping-raw.json'),
      '--as-of', '2010-12-10', '--horizon', '4', '--out', out], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('10,043 without customer id');
    expect(r.stdout).toContain('494 cancellation invoices');
    const rows = readCsv(out);
    expect(rows[0]).toEqual(['customer_id', 'recency', 'frequency', 'monetary', 'repeat', 'cross', 'relationship', 'future_spend', 'future_purchase']);
    expect(new Set(rows.slice(1).map((x) => x[8]))).toEqual(new Set(['0', '1']));
  });

  it('--pseudonymize writes keyed HMAC-SHA256 ids and nothing else changes; without a key it stops first', () => {
    const args = (out: string): string[] => ['features', sharedData('CDNOW_master.txt'), '--map', join(root, 'examples/cdnow/mapping.json'), '--as-of', '1997-03-31', '--out', out];
    const plain = join(dir, 'plain.csv');
    const pseudo = join(dir, 'pseudo.csv');
    expect(cvnet(args(plain), dir).code).toBe(0);
    const key = 'features-test-key-0123456789';
    process.env.CVNET_PSEUDONYM_KEY = key;
    try {
      const r = cvnet([...args(pseudo), '--pseudonymize'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      delete process.env.CVNET_PSEUDONYM_KEY;
    }
    const a = readCsv(plain);
    const b = readCsv(pseudo);
    expect(b).toHaveLength(a.length);
    expect(b[0]).toEqual(a[0]);
    a.slice(1).forEach((row, i) => {
      expect(b[i + 1]!.slice(1)).toEqual(row.slice(1));
      expect(b[i + 1]![0]).toBe(createHmac('sha256', key).update(row[0]!).digest('hex'));
    });
    const text = readFileSync(pseudo, 'utf8');
    expect(a.slice(1, 50).some((row) => text.includes(`\n${row[0]},`))).toBe(false);

    const missing = join(dir, 'no-key.csv');
    const r = cvnet([...args(missing), '--pseudonymize'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CVNET_PSEUDONYM_KEY/);
    expect(existsSync(missing)).toBe(false);
  });

  it('prints the backtest figures as JSON in the documented shape and writes the report', () => {
    const report = join(dir, 'report.html');
    const r = cvnet(['backtest', sharedData('online_retail_invoices_clean_2010-2011.csv'), '--map', join(root, 'examples/online-retail/mapping.json'),
      '--as-of', '2011-09-09', '--horizon', '90', '--epochs', '50', '--report', report, '--json'], dir);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, Record<string, number>>;
    for (const key of ['model', 'rfm', 'current']) {
      expect(Object.keys(json[key]!).sort()).toEqual(['auc', 'captureA', 'spearman', 'top10', 'top25']);
    }
    expect(json.customers).toBe(3370);
    expect(readFileSync(report, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('features refuses a cut without customers, saying why, and writes nothing', () => {
    const log = join(dir, 'iso.csv');
    const lines = Array.from({ length: 199 }, (_, i) => `${i + 1},2020-0${1 + (i % 9)}-1${i % 10} 10:00:00,${1 + (i % 20)},A${i % 5},${1 + (i % 3)},5`);
    writeFileSync(log, `InvoiceNo,InvoiceDate,CustomerID,StockCode,Quantity,UnitPrice\n${lines.join('\n')}\n`);
    const dmy = join(dir, 'dmy.json');
    writeFileSync(dmy, '{"dateFormat": "%d/%m/%Y"}');
    const out = join(dir, 'none.csv');
    const badDates = cvnet(['features', log, '--map', dmy, '--as-of', '2020-12-31', '--out', out], dir);
    expect(badDates.code).toBe(2);
    expect(badDates.stderr).toBe(`Error: ${log}: no customers: none of the 199 lines is a usable purchase (199 bad or missing date; check the mapping's timestamp column and dateFormat)\n`);
    expect(badDates.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const early = cvnet(['features', log, '--as-of', '2000-01-01', '--out', out], dir);
    expect(early.code).toBe(2);
    expect(early.stderr).toBe(`Error: ${log}: no customers: none of the 199 purchases is on or before as-of 2000-01-01 (used lines from 2020-01-10 to 2020-09-19)\n`);
    expect(existsSync(out)).toBe(false);
    // The first day's two purchases (lines 2 and 92) are a result.
    expect(cvnet(['features', log, '--as-of', '2020-01-10', '--out', out], dir).code).toBe(0);
    expect(readCsv(out).map((row) => row[0])).toEqual(['customer_id', '1', '11']);
  });

  it('backtest refuses a horizon after the last transaction and warns about one the data ends inside', () => {
    const args = (asOf: string, horizon: string, report: string): string[] => ['backtest', sharedData('CDNOW_master.txt'), '--map', join(root, 'examples/cdnow/mapping.json'),
      '--as-of', asOf, '--horizon', horizon, '--epochs', '20', '--report', report];
    const past = join(dir, 'past.html');
    const refused = cvnet(args('1999-01-01', '30', past), dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`Error: ${sharedData('CDNOW_master.txt')}: the horizon 1999-01-02 … 1999-01-31 starts after the last transaction (1998-06-30); choose an as-of before 1998-06-30\n`);
    expect(refused.stdout).toBe('');
    expect(existsSync(past)).toBe(false);
    // The data's last day itself as as-of: the horizon starts the day after.
    expect(cvnet(args('1998-06-30', '1', past), dir).code).toBe(2);

    const partly = cvnet(args('1998-06-01', '90', join(dir, 'partly.html')), dir);
    expect(partly.code).toBe(0);
    expect(partly.stderr).toBe(`Warning: ${sharedData('CDNOW_master.txt')}: the data ends 1998-06-30, inside the horizon 1998-06-02 … 1998-08-30: only 29 of its 90 days are observed, so future spend and purchases are undercounted\n`);
    expect(partly.stdout).toMatch(/^model \(\d+ A\)\s+0\.\d{3}/m);
    // --json carries the same warning, and an empty list when there is none.
    const json = cvnet([...args('1998-06-01', '90', join(dir, 'partly-json.html')), '--json'], dir);
    expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings).toEqual([partly.stderr.slice('Warning: '.length, -1)]);
    // A horizon that ends on the last day is fully observed.
    expect(cvnet(args('1998-06-01', '29', join(dir, 'full.html')), dir).stderr).toBe('');
  });

  it('features --horizon: the same refusal and warning as backtest, for the outcome columns', () => {
    const args = (asOf: string, horizon: string, out: string): string[] => ['features', sharedData('CDNOW_master.txt'), '--map', join(root, 'examples/cdnow/mapping.json'),
      '--as-of', asOf, '--horizon', horizon, '--out', out];
    const past = join(dir, 'past.csv');
    const refused = cvnet(args('1998-07-01', '30', past), dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`Error: ${sharedData('CDNOW_master.txt')}: the horizon 1998-07-02 … 1998-07-31 starts after the last transaction (1998-06-30); choose an as-of before 1998-06-30\n`);
    expect(existsSync(past)).toBe(false);
    const partly = cvnet(args('1998-06-01', '90', join(dir, 'partly.csv')), dir);
    expect(partly.code).toBe(0);
    expect(partly.stderr).toBe(`Warning: ${sharedData('CDNOW_master.txt')}: the data ends 1998-06-30, inside the horizon 1998-06-02 … 1998-08-30: only 29 of its 90 days are observed, so future spend and purchases are undercounted\n`);
    expect(cvnet(args('1998-06-01', '29', join(dir, 'full.csv')), dir).stderr).toBe('');
  });

  it('fails with one line and exit 2 on bad input, leaving no output file', () => {
    const out = join(dir, 'bad.csv');
    const r = cvnet(['features', sharedData('CDNOW_master.txt'), '--map', join(root, 'examples/cdnow/mapping.json'), '--as-of', '1997-13-01', '--out', out], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('as-of date "1997-13-01" is not a valid YYYY-MM-DD date');
    expect(existsSync(out)).toBe(false);
    const m = cvnet(['features', sharedData('CDNOW_master.txt'), '--map', join(dir, 'missing.json'), '--as-of', '1997-09-30', '--out', out], dir);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('cannot read the mapping file');
  });

  it('refuses a memory limit DuckDB would not take, naming the flag', () => {
    writeFileSync(join(dir, 'log.csv'), 'InvoiceNo,InvoiceDate,CustomerID,StockCode,Quantity,UnitPrice\n1,2020-01-02 10:00:00,c1,A,1,5\n');
    const runs = [
      cvnet(['features', 'log.csv', '--as-of', '2020-01-10', '--memory-limit', 'lots', '--out', 'limited.csv'], dir),
      cvnet(['backtest', 'log.csv', '--as-of', '2020-01-10', '--horizon', '3', '--memory-limit', 'lots'], dir),
    ];
    for (const r of runs) {
      expect(r.stderr).toBe('Error: --memory-limit must be a size such as 2GB or 512MiB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got "lots"\n');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'limited.csv'))).toBe(false);
  });

  it('refuses a directory as --out before reading the source', () => {
    // The source does not exist: the --out check must come first.
    for (const out of [dir, '.']) {
      const r = cvnet(['features', 'missing.csv', '--as-of', '2020-01-10', '--out', out], dir);
      expect(r.stderr).toBe(`Error: ${out}: is a directory (expected a file name)\n`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
