/** Data-quality policies on the real iFood and e-commerce churn files (../shared/data). */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { applyQuality } from '../../packages/core/src/quality/apply.js';
import { sharedData } from '../shared-data.js';

describe('iFood (missing incomes, 666666, birth years 1893/1899/1900)', () => {
  const rows = parse(readFileSync(sharedData('ifood_ml_project1_data.csv'), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];

  it('imputes the 24 empty incomes, winsorises 666666 and flags the impossible birth years', () => {
    const r = applyQuality(rows, {
      idColumn: 'ID',
      missing: { Income: 'median' },
      outliers: { Income: { method: 'iqr', action: 'winsorise' }, Year_Birth: { method: 'zscore', action: 'flag' } },
    }, { firstLine: 2 });
    expect(r.report.input).toBe(2240);
    expect(r.report.output).toBe(2240);
    const income = r.report.missing[0]!;
    expect(income).toMatchObject({ column: 'Income', missing: 24, imputed: 24, dropped: 0 });
    const incomes = rows.filter((x) => x.Income!.trim() !== '').map((x) => Number(x.Income)).sort((a, b) => a - b);
    expect(income.value).toBe((incomes[1107]! + incomes[1108]!) / 2);
    const out = r.report.outliers.find((o) => o.column === 'Income')!;
    expect(out.flagged.map((f) => f.value)).toContain(666666);
    expect(Math.max(...r.rows.map((x) => Number(x.Income)))).toBe(out.upper);
    const births = r.report.outliers.find((o) => o.column === 'Year_Birth')!;
    expect(births.flagged.map((f) => f.value).sort()).toEqual([1893, 1899, 1900]);
    expect(r.report.decisions).toHaveLength(3);
  });

  it('can drop the rows without income instead', () => {
    const r = applyQuality(rows, { idColumn: 'ID', missing: { Income: 'drop' } });
    expect(r.report.output).toBe(2216);
    expect(r.rows.every((x) => String(x.Income).trim() !== '')).toBe(true);
  });
});

describe('e-commerce churn (unnamed index column, seven columns with gaps)', () => {
  const path = sharedData('ecommerce_customer_churn.csv');
  // README §6: the header names 20 columns but every row has 21 fields, the first an unnamed index.
  const [header, ...data] = parse(readFileSync(path, 'utf8'), { skip_empty_lines: true, relax_column_count: true }) as string[][];
  const rows = data.map((f) => Object.fromEntries(header!.map((h, i) => [h, f[i + 1]!])));

  it('reads 5,630 customers with the documented gaps', () => {
    expect(rows).toHaveLength(5630);
    expect(data.every((f) => f.length === 21)).toBe(true);
  });

  it('counts every decision: drop, three imputations, an outlier flag', () => {
    const r = applyQuality(rows, {
      idColumn: 'customerid',
      missing: { daysincelastorder: 'drop', tenure: 'median', ordercount: 'mode', hourspendonapp: 'mean' },
      outliers: { warehousetohome: { method: 'iqr', action: 'flag' } },
    }, { firstLine: 2 });
    const m = Object.fromEntries(r.report.missing.map((x) => [x.column, x]));
    expect(m.daysincelastorder).toMatchObject({ missing: 307, dropped: 307 });
    expect(r.report.output).toBe(5630 - 307);
    // Counts before dropping are the README's; imputed counts are what is left after the drop.
    expect(m.tenure!.missing).toBe(264);
    expect(m.ordercount!.missing).toBe(258);
    expect(m.hourspendonapp!.missing).toBe(255);
    for (const c of ['tenure', 'ordercount', 'hourspendonapp']) {
      expect(m[c]!.imputed).toBe(rows.filter((x) => x.daysincelastorder!.trim() !== '' && x[c]!.trim() === '').length);
    }
    expect(r.rows.every((x) => ['tenure', 'ordercount', 'hourspendonapp'].every((c) => String(x[c]).trim() !== ''))).toBe(true);
    const wh = r.report.outliers[0]!;
    expect(wh.flagged.map((f) => f.value)).toEqual(expect.arrayContaining([126, 127]));
  });
});
