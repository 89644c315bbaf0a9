/** The beyond-the-score core functions on a model trained by the real pipeline. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_SEGMENTS, RFM_SEGMENTS, VALUE17_SEGMENTS } from '../../packages/core/src/segments/builtin.js';
import { compileSegments, subjectOf } from '../../packages/core/src/segments/engine.js';
import { summarizeSegments } from '../../packages/core/src/segments/summary.js';
import { explainCustomers } from '../../packages/core/src/explain/integrated.js';
import { permutationImportance } from '../../packages/core/src/explain/importance.js';
import { clusterCustomers } from '../../packages/core/src/cluster/profile.js';
import { scoreWithModel } from '../../packages/core/src/method/score-model.js';
import { referenceEngine } from '../../packages/core/src/network/reference.js';
import { fixture } from './fixtures.js';

describe('on a trained 14–29–1 model', async () => {
  const f = await fixture();
  // The plain TS reference: these tests do not depend on the Wasm build.
  const engine = referenceEngine;
  const batch = scoreWithModel(engine, f.run.model, f.rows);

  it('explanations: Σ contributions = K(engine) − K_base within 1e-6 for every customer', () => {
    const ex = explainCustomers(f.run.model, batch.customers.map((c) => c.scores));
    expect(ex.indicators).toEqual(batch.indicators);
    expect(ex.baseline).toEqual(f.run.model.inputs.min);
    ex.customers.forEach((c, i) => {
      const sum = c.contributions.reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - (batch.customers[i]!.K - ex.kBase))).toBeLessThan(1e-6);
      expect(Math.abs(c.residual)).toBeLessThan(1e-9);
    });
  });

  it('permutation importance on the test part: R, F, M among the informative indicators, seeded', () => {
    const { scores, test, target } = f.run.prepared;
    const n = scores.indicators.length;
    const rows = test.map((r) => Array.from(scores.values.subarray(r * n, (r + 1) * n)));
    const imp = permutationImportance(engine, f.run.model, rows, test.map((r) => target.values[r]!), { seed: 5, repeats: 3 });
    expect(imp.samples).toBe(test.length);
    expect(imp.indicators.map((i) => i.id)).toEqual(batch.indicators);
    expect(imp.indicators.some((i) => i.importance > 0)).toBe(true);
    expect(permutationImportance(engine, f.run.model, rows, test.map((r) => target.values[r]!), { seed: 5, repeats: 3 })).toEqual(imp);
  });

  it('segments every scored customer with both shipped maps; sizes add up', () => {
    for (const config of [VALUE17_SEGMENTS, RFM_SEGMENTS]) {
      const map = compileSegments(config, { indicators: batch.indicators });
      const assigned = batch.customers.map((c) => ({ segment: map.assign(subjectOf(c, batch.indicators)).segment.id, K: c.K, C: c.C }));
      const summary = summarizeSegments(map, assigned);
      expect(summary.segments.reduce((s, x) => s + x.count, 0)).toBe(batch.customers.length);
      expect(summary.segments.reduce((s, x) => s + x.valueShare, 0)).toBeCloseTo(1, 12);
    }
  });

  it('clusters line up with the classes far better than chance', () => {
    const a = clusterCustomers(batch.indicators, batch.customers, { k: 4, seed: 1, ranges: f.run.model.inputs });
    expect(a.profiles.map((p) => p.size).reduce((s, x) => s + x, 0)).toBe(batch.customers.length);
    expect(a.adjustedRand).toBeGreaterThan(0.2);
    for (let i = 1; i < a.profiles.length; i++) expect(a.profiles[i - 1]!.meanK).toBeGreaterThanOrEqual(a.profiles[i]!.meanK);
  });
});

describe('examples/segments', () => {
  it('hold exactly the shipped maps', () => {
    for (const name of Object.keys(BUILTIN_SEGMENTS)) {
      const path = fileURLToPath(new URL(`../../examples/segments/${name}.json`, import.meta.url));
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(BUILTIN_SEGMENTS[name]);
    }
  });
});
