import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../indicators/defaults.js';
import { generateSurvey } from '../synthetic/survey.js';
import { prepareData } from './pipeline.js';

describe('prepareData on the synthetic survey', () => {
  const config = defaultConfig();
  const p = prepareData(config, generateSurvey());

  it('samples about half of every band and splits 229/274 of the sample for training', () => {
    for (const b of p.sample.perBand) expect(b.sampled).toBe(Math.max(b.population ? 1 : 0, Math.round(b.population / 2)));
    const n = p.sample.indices.length;
    expect(Math.abs(n - 274)).toBeLessThanOrEqual(3); // odd band sizes round up
    expect(p.train).toHaveLength(Math.round((229 / 274) * n));
    expect([...p.train, ...p.test]).toEqual(p.sample.indices);
  });

  it('uses the comprehensive score as target, consistent with the scores', () => {
    expect(p.target.source).toBe('comprehensive weighted score');
    const n = p.scores.indicators.length;
    const r = 5;
    const s = p.scores.indicators.reduce((acc, id, c) => acc + p.weights.weights[id]! * p.scores.values[r * n + c]!, 0);
    expect(p.target.values[r]).toBeCloseTo((s - 1) / 4, 12);
    expect(p.table.bands.reduce((acc, b) => acc + b.count, 0)).toBe(548);
  });

  it('shuffles the sample before splitting when shuffleSplit is set (seeded)', () => {
    const q = prepareData({ ...config, shuffleSplit: true }, generateSurvey());
    expect([...q.train, ...q.test].sort((a, b) => a - b)).toEqual(p.sample.indices);
    expect(q.train).toHaveLength(p.train.length);
    expect(q.train).not.toEqual(p.train);
    expect(prepareData({ ...config, shuffleSplit: true }, generateSurvey()).train).toEqual(q.train);
  });
});
