import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../errors.js';
import { applyQuality, quantile } from './apply.js';
import { renderQualitySection } from './render.js';

const rows = [
  { id: '1', x: '10', y: 'a', z: '' },
  { id: '2', x: '', y: 'b', z: '5' },
  { id: '3', x: '30', y: '', z: '6' },
  { id: '1', x: '11', y: 'c', z: '7' },
  { id: '4', x: '20', y: 'b', z: '' },
];

describe('applyQuality', () => {
  it('fails on a duplicated id by default, naming both rows', () => {
    expect(() => applyQuality(rows, {}, { firstLine: 2 })).toThrow(/row 5, column "id": duplicate customer id "1" \(first on row 2\)/);
  });

  it('merges duplicates into the first row: fills its empty fields, keeps its values on conflict', () => {
    const r = applyQuality(rows, { duplicates: 'merge' }, { firstLine: 2 });
    expect(r.rows).toHaveLength(4);
    expect(r.rows[0]).toEqual({ id: '1', x: '10', y: 'a', z: '7' });
    expect(r.lines).toEqual([2, 3, 4, 6]);
    expect(r.report.duplicates).toEqual({ policy: 'merge', groups: 1, rowsMerged: 1, fieldsFilled: 1, conflicts: 2 });
    expect(rows[0]!.z).toBe(''); // input untouched
  });

  it('drops, imputes mean / median / mode, and fails, as configured per column', () => {
    const r = applyQuality(rows, { duplicates: 'merge', missing: { x: 'median', y: 'mode', z: 'drop' } });
    // Row 4 (z empty) is dropped before imputation, so x's median is over 10, 30.
    expect(r.rows.map((x) => x.id)).toEqual(['1', '2', '3']);
    expect(r.rows[1]!.x).toBe('20');
    expect(r.rows[2]!.y).toBe('a'); // a and b tie once row 4 is gone; the first seen wins
    const byCol = Object.fromEntries(r.report.missing.map((m) => [m.column, m]));
    expect(byCol.z).toMatchObject({ missing: 1, dropped: 1, imputed: 0 });
    expect(byCol.x).toMatchObject({ missing: 1, imputed: 1, value: 20 });
    expect(applyQuality(rows, { duplicates: 'merge', missing: { x: 'mean' } }).rows[1]!.x).toBe(String((10 + 30 + 20) / 3));
    expect(() => applyQuality(rows, { duplicates: 'merge', missing: { x: 'fail' } }, { firstLine: 2 })).toThrow(/row 3, column "x": empty value \(1 empty in all\)/);
    expect(() => applyQuality(rows, { duplicates: 'merge', missing: { y: 'mean' } })).toThrow(DataError);
    expect(() => applyQuality(rows, { missing: { nope: 'drop' } })).toThrow(/column "nope", which is not in the data/);
    expect(() => applyQuality(rows, { missing: { x: 'average' } } as never)).toThrow(ConfigError);
  });

  it('finds outliers by IQR and z-score and flags, winsorises or fails', () => {
    const data = Array.from({ length: 21 }, (_, i) => ({ id: String(i), v: String(i === 20 ? 1000 : 10 + i) }));
    // IQR of 10..29 plus 1000: Q1 = 15, Q3 = 25 → bounds 0 … 40.
    const flag = applyQuality(data, { outliers: { v: { method: 'iqr', action: 'flag' } } });
    expect(flag.report.outliers[0]).toMatchObject({ lower: 0, upper: 40, outliers: 1, flagged: [{ id: '20', value: 1000, row: 21 }] });
    expect(flag.rows[20]!.v).toBe('1000');
    const w = applyQuality(data, { outliers: { v: { method: 'iqr', action: 'winsorise' } } });
    expect(w.rows[20]!.v).toBe('40');
    expect(w.report.outliers[0]!.winsorised).toBe(1);
    expect(() => applyQuality(data, { outliers: { v: { method: 'zscore', threshold: 2, action: 'fail' } } })).toThrow(/row 21, column "v": 1000 is an outlier/);
    expect(applyQuality(data, { outliers: { v: { method: 'zscore', action: 'flag' } } }).report.outliers[0]!.outliers).toBe(1);
  });

  it('renders a section without raw ids unless asked', () => {
    const data = [{ id: 'secret-7', v: '1' }, { id: 'b', v: '2' }, { id: 'c', v: '2' }, { id: 'd', v: '3' }, { id: 'e', v: '99' }];
    const r = applyQuality(data, { outliers: { v: { method: 'iqr', action: 'flag' } } });
    expect(r.report.outliers[0]!.flagged.map((f) => f.id)).toEqual(['e']);
    expect(renderQualitySection(r.report)).not.toContain('>e ');
    expect(renderQualitySection(r.report, { showId: (id) => `#${id}` })).toContain('#e (line 5): 99');
  });

  it('quantile is type 7', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([7], 0.5)).toBe(7);
  });
});
