/**
 * The kernel variants against each other and the reference:
 * - f64 SIMD vs f64 scalar kernels: forward passes are bit-identical (same
 *   per-neuron summation order; the f64x2 exp equals Math.exp lane by lane);
 *   gradients and training runs differ only by reassociation of sums over
 *   samples: relative 1e-12 for runs short enough not to amplify it.
 * - f32 vs f64: outputs within 2e-5 absolute (f32 rounding of weights and
 *   data plus the rational tanh's ~2.4e-7); after 300 epochs the final
 *   training perf within 1 % relative.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { createNetwork } from '../network/init.js';
import { referenceEngine } from '../network/reference.js';
import type { Engine, NetworkShape, Precision } from '../network/types.js';
import { kernelEngines, maxAbs, maxRel, randomData } from '../network/test-helpers.js';

let simd: Engine;
let scalar: Engine;
beforeAll(async () => {
  ({ simd, scalar } = await kernelEngines());
});

const shapes: NetworkShape[] = [
  { inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] },
  { inputs: 5, sizes: [7, 4, 3], transfers: ['logsig', 'tansig', 'purelin'] },
  { inputs: 3, sizes: [1], transfers: ['tansig'] },
];

describe.each(shapes)('f64 SIMD vs scalar kernels, %o', (shape) => {
  // 613 samples: three 256-sample chunks, the last one padded.
  const net = createNetwork(shape, { seed: 11 });
  const data = randomData(12, shape, 613, [-2, 2]);

  it('forward is bit-identical', () => {
    const a = simd.forward(net, data.inputs, data.samples);
    const b = scalar.forward(net, data.inputs, data.samples);
    expect(Buffer.from(a.buffer)).toEqual(Buffer.from(b.buffer));
  });

  it('gradient agrees to reassociation (1e-12), and both agree with the reference', () => {
    const a = simd.perfGradient(net, data);
    const b = scalar.perfGradient(net, data);
    const r = referenceEngine.perfGradient(net, data);
    expect(maxRel(a.gradient, b.gradient)).toBeLessThan(1e-12);
    expect(maxRel(a.gradient, r.gradient)).toBeLessThan(1e-12);
    expect(maxRel([a.perf], [r.perf])).toBeLessThan(1e-14);
  });

  it('a traingdx run agrees to 1e-12', () => {
    const options = { params: { epochs: 80, lr: 0.05 } };
    const a = simd.train(net, data, options);
    const b = scalar.train(net, data, options);
    expect(a.epochs).toBe(b.epochs);
    expect(maxRel(a.history.perf, b.history.perf)).toBeLessThan(1e-12);
    expect(maxRel(a.network.params, b.network.params)).toBeLessThan(1e-12);
  });
});

describe.each(shapes)('f32 precision vs f64, %o', (shape) => {
  const net = createNetwork(shape, { seed: 21 });
  const data = randomData(22, shape, 517, [-2, 2]);

  it('forward outputs within 2e-5 and clearly not the f64 values', () => {
    const f64 = simd.forward(net, data.inputs, data.samples);
    const f32 = simd.forward(net, data.inputs, data.samples, { precision: 'f32' });
    expect(maxAbs(f32, f64)).toBeLessThan(2e-5);
    expect(maxAbs(f32, f64)).toBeGreaterThan(0);
  });

  it('training ends within 1 % of the f64 perf', () => {
    const run = (precision: Precision) =>
      simd.train(net, data, { precision, params: { epochs: 300, minGrad: 0 } });
    const a = run('f32');
    const b = run('f64');
    expect(a.epochs).toBe(300);
    expect(Math.abs(a.history.perf.at(-1)! - b.history.perf.at(-1)!) / b.history.perf.at(-1)!).toBeLessThan(0.01);
    // And it did learn: perf fell well below the initial network's.
    expect(a.history.perf.at(-1)!).toBeLessThan(0.9 * a.history.perf[0]!);
  });
});

it('rejects an unknown precision', () => {
  const shape = shapes[0]!;
  const net = createNetwork(shape, { seed: 1 });
  const data = randomData(1, shape, 10, [-2, 2]);
  expect(() => simd.train(net, data, { precision: 'f16' as Precision })).toThrow(OptionsError);
  expect(() => simd.forward(net, data.inputs, 10, { precision: 'x' as Precision })).toThrow(OptionsError);
});
