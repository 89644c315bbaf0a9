import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../indicators/defaults.js';
import { fitIndicatorSystem, scoreCustomers } from '../indicators/fit.js';
import { bandTable, band, currentValues, currentValueWeights } from '../method/current.js';
import { computeWeights } from '../weights/compute.js';
import { toCsv } from './csv.js';
import { SURVEY_INDICATORS, SYNTHETIC_NOTICE, generateSurvey } from './survey.js';

describe('synthetic survey', () => {
  const rows = generateSurvey();

  it('has 548 customers with unique ids and 1–5 integer answers for the 14 indicators', () => {
    expect(rows).toHaveLength(548);
    expect(new Set(rows.map((r) => r.id)).size).toBe(548);
    expect(Object.keys(rows[0]!)).toEqual(['id', ...SURVEY_INDICATORS]);
    for (const r of rows) for (const ind of SURVEY_INDICATORS) expect([1, 2, 3, 4, 5]).toContain(r[ind]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateSurvey({ seed: 1 })).toEqual(rows);
    expect(generateSurvey({ seed: 2 })).not.toEqual(rows);
  });

  it('populates every band of C with the default config and seed', () => {
    const config = defaultConfig();
    const { system } = fitIndicatorSystem(config, rows);
    const m = scoreCustomers(system, rows);
    const c = currentValues(m, currentValueWeights(computeWeights(config).weights, config.currentValue));
    const counts = bandTable(c.map(band)).bands.map((b) => b.count);
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(548);
  });

  it('answers are correlated through the latent value (recency vs monetary)', () => {
    const x = rows.map((r) => r.recency);
    const y = rows.map((r) => r.monetary);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const mx = mean(x);
    const my = mean(y);
    const cov = mean(x.map((v, i) => (v - mx) * (y[i]! - my)));
    const sd = (a: number[], m: number) => Math.sqrt(mean(a.map((v) => (v - m) ** 2)));
    expect(cov / (sd(x, mx) * sd(y, my))).toBeGreaterThan(0.5);
  });

  it('toCsv round-trips through csv-parse, with a synthetic label and quoting', () => {
    const text = toCsv([...rows.slice(0, 3), { ...rows[3]!, id: 'a,"b"' }], { comment: SYNTHETIC_NOTICE });
    expect(text.startsWith('# SYNTHETIC DATA')).toBe(true);
    const back = parse(text, { columns: true, comment: '#', cast: (v, ctx) => (ctx.header || ctx.column === 'id' ? v : Number(v)) });
    expect(back).toEqual([...rows.slice(0, 3), { ...rows[3]!, id: 'a,"b"' }]);
  });
});
