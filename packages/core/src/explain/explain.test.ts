import { describe, expect, it } from 'vitest';
import { networkToModel } from '../model/model.js';
import type { Model } from '../model/schema.js';
import { createNetwork } from '../network/init.js';
import { createPrng } from '../network/prng.js';
import { referenceEngine, referenceForward } from '../network/reference.js';
import type { Network } from '../network/types.js';
import { inputGradient } from './gradient.js';
import { permutationImportance, renderImportanceSection } from './importance.js';
import { explainCustomers, explanationFields, explanationHeader, explanationObject } from './integrated.js';

const NAMES = ['a', 'b', 'c', 'd', 'e'];

/** A 5–11–1 tansig/logsig network with weights large enough to be strongly non-linear. */
function network(seed: number, zeroInput?: number): Network {
  const net = createNetwork({ inputs: 5, sizes: [11, 1], transfers: ['tansig', 'logsig'] }, { seed });
  const params = net.params.map((p) => p * 2.5);
  if (zeroInput !== undefined) for (let i = 0; i < 11; i++) params[i * 5 + zeroInput] = 0;
  return { ...net, params };
}

function modelOf(net: Network): Model {
  return networkToModel(net, { inputs: { names: NAMES.slice(0, net.inputs), min: Array(net.inputs).fill(1), max: Array(net.inputs).fill(5) }, outputs: { names: ['K'] } });
}

function randomScores(rows: number, width: number, seed: number): number[][] {
  const rng = createPrng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: width }, () => 1 + Math.floor(rng.next() * 5)));
}

const K = (net: Network, x: readonly number[]): number => referenceForward(net, Float64Array.from(x), 1)[0]!;

describe('input gradient', () => {
  it('matches central finite differences of the reference forward pass', () => {
    const net = network(3);
    const rng = createPrng(9);
    for (let t = 0; t < 20; t++) {
      const x = Array.from({ length: 5 }, () => rng.uniform(-0.2, 1.2));
      const { y, gradient } = inputGradient(net, x);
      expect(y).toBeCloseTo(K(net, x), 14);
      const h = 1e-6;
      x.forEach((_, j) => {
        const up = [...x];
        const down = [...x];
        up[j]! += h;
        down[j]! -= h;
        expect(Math.abs(gradient[j]! - (K(net, up) - K(net, down)) / (2 * h))).toBeLessThan(1e-8);
      });
    }
  });

  it('works through two hidden layers', () => {
    const net = createNetwork({ inputs: 3, sizes: [4, 3, 1], transfers: ['tansig', 'logsig', 'purelin'] }, { seed: 2 });
    const x = [0.2, 0.9, 0.4];
    const { gradient } = inputGradient(net, x);
    x.forEach((_, j) => {
      const up = [...x];
      const down = [...x];
      up[j]! += 1e-6;
      down[j]! -= 1e-6;
      expect(gradient[j]!).toBeCloseTo((K(net, up) - K(net, down)) / 2e-6, 7);
    });
  });
});

describe('integrated gradients', () => {
  it('contributions sum to K − K(baseline) within 1e-9, for every baseline kind', () => {
    const model = modelOf(network(5));
    const net = network(5);
    const scores = randomScores(40, 5, 1);
    for (const baseline of ['min', 'mean', [3, 3, 3, 3, 3]] as const) {
      const ex = explainCustomers(model, scores, { baseline });
      const b = ex.baseline.map((s) => (s - 1) / 4);
      expect(ex.kBase).toBeCloseTo(K(net, b), 14);
      ex.customers.forEach((c, r) => {
        const k = K(net, scores[r]!.map((s) => (s - 1) / 4));
        expect(c.K).toBeCloseTo(k, 14);
        const sum = c.contributions.reduce((s, v) => s + v, 0);
        expect(Math.abs(sum - (k - ex.kBase))).toBeLessThan(1e-9);
        expect(Math.abs(c.residual)).toBeLessThan(1e-9);
      });
    }
  });

  it('gives an input with zero weights exactly zero contribution', () => {
    const ex = explainCustomers(modelOf(network(7, 2)), randomScores(20, 5, 2));
    for (const c of ex.customers) {
      expect(c.contributions[2]).toBe(0);
      expect(c.contributions.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    }
  });

  it('equals w_j·(x_j − b_j) on a linear network (independent closed form)', () => {
    const w = [0.3, -0.2, 0.5];
    const net: Network = { inputs: 3, sizes: [1], transfers: ['purelin'], params: Float64Array.from([...w, 0.1]) };
    const model = networkToModel(net, { inputs: { names: ['a', 'b', 'c'], min: [1, 1, 1], max: [5, 5, 5] }, outputs: { names: ['K'] } });
    const ex = explainCustomers(model, [[5, 2, 4]]);
    const x = [1, 0.25, 0.75];
    ex.customers[0]!.contributions.forEach((v, j) => expect(v).toBeCloseTo(w[j]! * x[j]!, 14));
  });

  it('is the same on score scale and normalised scale: a constant training column gets zero', () => {
    const net = network(11);
    const model = networkToModel(net, { inputs: { names: NAMES, min: [1, 1, 3, 1, 1], max: [5, 5, 3, 5, 5] }, outputs: { names: ['K'] } });
    const ex = explainCustomers(model, [[5, 4, 3, 2, 1]]);
    expect(ex.customers[0]!.contributions[2]).toBe(0);
    expect(() => explainCustomers(model, [[1, 2]])).toThrow(/2 scores, expected 5/);
  });
});

describe('permutation importance', () => {
  const net = network(13, 1);
  const model = modelOf(net);
  const scores = randomScores(200, 5, 4);
  const target = Array.from(referenceForward(net, Float64Array.from(scores.flat().map((s) => (s - 1) / 4)), 200));

  it('is zero for an input the network ignores, positive for the others, and seeded', () => {
    const r = permutationImportance(referenceEngine, model, scores, target, { seed: 3, repeats: 4 });
    expect(r.mse).toBe(0);
    expect(r.indicators[1]!.importance).toBe(0);
    for (const j of [0, 2, 3, 4]) expect(r.indicators[j]!.importance).toBeGreaterThan(0);
    expect(permutationImportance(referenceEngine, model, scores, target, { seed: 3, repeats: 4 })).toEqual(r);
    expect(permutationImportance(referenceEngine, model, scores, target, { seed: 4, repeats: 4 })).not.toEqual(r);
    const html = renderImportanceSection(r, { a: 'Alpha <x>' });
    expect(html).toContain('<section id="importance">');
    expect(html).toContain('Alpha &lt;x&gt;');
  });
});

describe('explanation columns', () => {
  it('names K_base and one contrib:<id> column per indicator, values in the same order', () => {
    const ex = explainCustomers(modelOf(network(5)), [[1, 2, 3, 4, 5]]);
    expect(explanationHeader(ex.indicators)).toEqual(['K_base', 'contrib:a', 'contrib:b', 'contrib:c', 'contrib:d', 'contrib:e']);
    expect(explanationFields(ex, 0)).toEqual([ex.kBase, ...ex.customers[0]!.contributions]);
    expect(explanationObject(ex, 0).contributions.c).toBe(ex.customers[0]!.contributions[2]);
  });
});
