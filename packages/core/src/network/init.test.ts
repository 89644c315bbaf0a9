import { describe, expect, it } from 'vitest';
import { ShapeError, OptionsError } from '../errors.js';
import { createNetwork, defaultShape } from './init.js';
import { createPrng } from './prng.js';
import type { Network, NetworkShape } from './types.js';

/** Weights (S×R) and biases of layer l. */
function layer(net: Network, l: number): { w: Float64Array; b: Float64Array; r: number; s: number } {
  let r = net.inputs;
  let offset = 0;
  for (let k = 0; k < l; k++) {
    offset += net.sizes[k]! * r + net.sizes[k]!;
    r = net.sizes[k]!;
  }
  const s = net.sizes[l]!;
  return { w: net.params.subarray(offset, offset + s * r), b: net.params.subarray(offset + s * r, offset + s * r + s), r, s };
}

const rowNorm = (w: Float64Array, r: number, i: number): number =>
  Math.hypot(...Array.from(w.subarray(i * r, (i + 1) * r)));

describe('prng', () => {
  it('repeats a stream for a seed and differs between seeds', () => {
    const take = (seed: number): number[] => {
      const rng = createPrng(seed);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
    expect(take(2 ** 40)).not.toEqual(take(0)); // the high half of the seed matters
    expect(take(-1)).not.toEqual(take(2 ** 32 - 1));
    for (const v of take(7)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('is reasonably uniform', () => {
    const rng = createPrng(1);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(rng.next() * 10)]!++;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('rejects non-integer seeds', () => {
    expect(() => createPrng(1.5)).toThrow(OptionsError);
    expect(() => createPrng(Number.NaN)).toThrow(OptionsError);
  });
});

describe('defaultShape', () => {
  it('is the study’s n–(2n+1)–1 with tansig hidden and logsig output', () => {
    expect(defaultShape(14)).toEqual({ inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] });
    expect(defaultShape(3, 2).sizes).toEqual([7, 2]);
    expect(() => defaultShape(0)).toThrow(ShapeError);
  });
});

describe('createNetwork (Nguyen–Widrow as MATLAB initnw)', () => {
  const shape: NetworkShape = { inputs: 4, sizes: [6, 3, 2], transfers: ['tansig', 'logsig', 'purelin'] };

  it('is deterministic for a seed, bit for bit', () => {
    const a = createNetwork(shape, { seed: 5 });
    const b = createNetwork(shape, { seed: 5 });
    expect(Buffer.from(a.params.buffer)).toEqual(Buffer.from(b.params.buffer));
    expect(Array.from(createNetwork(shape, { seed: 6 }).params)).not.toEqual(Array.from(a.params));
  });

  it('scales rows to 0.7·s^(1/r) times the active half-range, with spaced biases', () => {
    // Inputs on [−1, 1] make the input mapping the identity, exposing the raw NW weights.
    const s = 5;
    const r = 3;
    const net = createNetwork({ inputs: r, sizes: [s], transfers: ['tansig'] }, {
      seed: 1, inputRanges: [[-1, 1], [-1, 1], [-1, 1]],
    });
    const { w, b } = layer(net, 0);
    const wMag = 0.7 * s ** (1 / r);
    for (let i = 0; i < s; i++) {
      expect(rowNorm(w, r, i)).toBeCloseTo(2 * wMag, 12); // tansig active range [−2, 2]: ×2
      const linspace = -1 + (2 * i) / (s - 1);
      expect(b[i]).toBeCloseTo(2 * wMag * linspace * Math.sign(w[i * r]!), 12);
    }
  });

  it('maps the logsig active range [−4, 4] and the default input range [0, 1]', () => {
    const s = 4;
    const r = 2;
    const net = createNetwork({ inputs: r, sizes: [s], transfers: ['logsig'] }, { seed: 9 });
    const { w, b } = layer(net, 0);
    const wMag = 0.7 * s ** (1 / r);
    for (let i = 0; i < s; i++) {
      // [0, 1] → [−1, 1]: w = 2w', b = b' − Σw' with w' = 4·wMag·dir and b' = 4·wMag·linspace·sign.
      const raw = Array.from(w.subarray(i * r, (i + 1) * r), (v) => v / 2);
      expect(Math.hypot(...raw)).toBeCloseTo(4 * wMag, 12);
      const bRaw = 4 * wMag * (-1 + (2 * i) / (s - 1)) * Math.sign(raw[0]!);
      expect(b[i]).toBeCloseTo(bRaw - raw.reduce((x, y) => x + y, 0), 12);
    }
  });

  it('gives a single neuron bias 0 (before range mapping)', () => {
    const net = createNetwork({ inputs: 3, sizes: [1], transfers: ['tansig'] }, {
      seed: 2, inputRanges: [[-1, 1], [-1, 1], [-1, 1]],
    });
    expect(layer(net, 0).b[0]).toBe(0);
  });

  it('gives constant inputs zero weights and leaves them out of wMag', () => {
    const s = 6;
    const net = createNetwork({ inputs: 3, sizes: [s], transfers: ['tansig'] }, {
      seed: 3, inputRanges: [[-1, 1], [5, 5], [-1, 1]],
    });
    const { w } = layer(net, 0);
    for (let i = 0; i < s; i++) {
      expect(w[i * 3 + 1]).toBe(0);
      expect(Math.hypot(w[i * 3]!, w[i * 3 + 2]!)).toBeCloseTo(2 * 0.7 * s ** (1 / 2), 12);
    }
  });

  it('uses the previous layer’s output range for later layers and rands for purelin', () => {
    const net = createNetwork(shape, { seed: 4 });
    // Layer 2 (logsig) sees tansig outputs on [−1, 1]: identity input mapping.
    const { w, r, s } = layer(net, 1);
    for (let i = 0; i < s; i++) expect(rowNorm(w, r, i)).toBeCloseTo(4 * 0.7 * s ** (1 / r), 12);
    const out = layer(net, 2);
    for (const v of [...out.w, ...out.b]) {
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
  });

  it('rejects bad input ranges', () => {
    expect(() => createNetwork({ inputs: 2, sizes: [3], transfers: ['tansig'] }, { seed: 1, inputRanges: [[0, 1]] }))
      .toThrow(/inputRanges has 1 entries, the network has 2 inputs/);
    expect(() =>
      createNetwork({ inputs: 1, sizes: [3], transfers: ['tansig'] }, { seed: 1, inputRanges: [[2, 1]] }),
    ).toThrow(OptionsError);
  });
});
