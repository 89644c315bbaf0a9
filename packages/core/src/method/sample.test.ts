import { describe, expect, it } from 'vitest';
import type { Band } from './current.js';
import { splitTrainTest, stratifiedSample } from './sample.js';

/** 100 customers in band 1, 60 in 2, 30 in 3, 9 in 4, 1 in 5, interleaved. */
const bands: Band[] = [];
const sizes: Record<Band, number> = { 1: 100, 2: 60, 3: 30, 4: 9, 5: 1 };
for (let i = 0; bands.length < 200; i++) for (const b of [1, 2, 3, 4, 5] as Band[]) if (bands.filter((x) => x === b).length < sizes[b] && bands.length < 200) bands.push(b);

describe('stratified sample', () => {
  it('takes round(fraction · count) from each band, at least 1 from a non-empty band', () => {
    const s = stratifiedSample(bands, 0.5, 7);
    expect(s.perBand.map((p) => p.sampled)).toEqual([50, 30, 15, 5, 1]);
    for (const p of s.perBand) expect(s.indices.filter((i) => bands[i] === p.band)).toHaveLength(p.sampled);
    expect(new Set(s.indices).size).toBe(s.indices.length);
    expect([...s.indices].sort((a, b) => a - b)).toEqual(s.indices);
    expect(s.warnings).toEqual([]);
  });
  it('is deterministic for a seed and differs between seeds', () => {
    expect(stratifiedSample(bands, 0.5, 7).indices).toEqual(stratifiedSample(bands, 0.5, 7).indices);
    expect(stratifiedSample(bands, 0.5, 8).indices).not.toEqual(stratifiedSample(bands, 0.5, 7).indices);
  });
  it('warns about empty bands', () => {
    const s = stratifiedSample(bands.filter((b) => b !== 5), 0.5, 1);
    expect(s.warnings).toEqual(['band 5 (C = 5) has no customers, so the sample has none either']);
  });
  it('refuses a sample too small to train', () => {
    expect(() => stratifiedSample([1, 1, 2, 2, 3, 3, 4, 4] as Band[], 0.5, 1)).toThrow(/has 4 customer\(s\).*at least 10/);
  });
});

describe('train/test split', () => {
  const idx = Array.from({ length: 274 }, (_, i) => i * 2);
  it('defaults to the first share in order: 229 of 274 as in the study', () => {
    const { train, test } = splitTrainTest(idx, 229 / 274);
    expect(train).toEqual(idx.slice(0, 229));
    expect(test).toEqual(idx.slice(229));
  });
  it('can shuffle with a seed, keeping every index exactly once', () => {
    const a = splitTrainTest(idx, 0.8, { shuffle: true, seed: 3 });
    expect(a.train).not.toEqual(idx.slice(0, 219));
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(idx);
    expect(splitTrainTest(idx, 0.8, { shuffle: true, seed: 3 })).toEqual(a);
  });
  it('refuses fewer than 2 test customers', () => {
    expect(() => splitTrainTest(idx.slice(0, 10), 0.9)).toThrow(/9 training and 1 test customers; at least 2 of each/);
  });
});
