/**
 * Engine.forward runs its own streamed kernel (assembly/network.ts score():
 * 64-sample blocks transposed by SIMD shuffles, layers computed into a small
 * workspace, then activated) instead of the training pass's Batch. Checked
 * here against the reference and against the training pass itself, on sample
 * counts around the block size and the 2- and 4-sample transposition steps,
 * odd input widths (the unpaired last input) and several layers and outputs;
 * and its input check, which replaces the host's scan for NaN/±Infinity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteError } from '../errors.js';
import { referenceEngine } from '../network/reference.js';
import type { Engine, NetworkShape, Precision } from '../network/types.js';
import { kernelEngines, maxAbs, maxRel, randomData, randomNet } from '../network/test-helpers.js';

let simd: Engine;
let scalar: Engine;
beforeAll(async () => {
  ({ simd, scalar } = await kernelEngines());
});

const shapes: NetworkShape[] = [
  { inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] },
  { inputs: 5, sizes: [7, 4, 3], transfers: ['logsig', 'tansig', 'purelin'] },
  { inputs: 9, sizes: [6, 2], transfers: ['tansig', 'tansig'] },
  { inputs: 1, sizes: [3], transfers: ['logsig'] },
];
const counts = [1, 2, 3, 5, 8, 63, 64, 65, 130, 613];

describe.each(shapes)('scoring %o', (shape) => {
  const net = randomNet(31, shape, 2);
  const outputs = shape.sizes[shape.sizes.length - 1]!;

  it.each(counts)('n = %i: f64 equals the reference (1e-12), SIMD and scalar kernels bit for bit', (n) => {
    const inputs = randomData(n, shape, n, [-3, 3]).inputs;
    const reference = referenceEngine.forward(net, inputs, n);
    const a = simd.forward(net, inputs, n);
    const b = scalar.forward(net, inputs, n);
    expect(a).toHaveLength(n * outputs);
    expect(maxRel(a, reference)).toBeLessThan(1e-12);
    expect(Buffer.from(a.buffer)).toEqual(Buffer.from(b.buffer));
  });

  it.each(counts)('n = %i: f32 within 2e-5 of the reference', (n) => {
    const inputs = randomData(n, shape, n, [-3, 3]).inputs;
    const f32 = simd.forward(net, inputs, n, { precision: 'f32' });
    expect(maxAbs(f32, referenceEngine.forward(net, inputs, n))).toBeLessThan(2e-5);
  });

  // The training pass reports perf = Σe²/M summed sample by sample, outputs
  // inner; with zero targets e = −y, so summing the scores' squares in that
  // order must give the same perf to the last bit if the scores are the
  // training pass's outputs.
  it.each([
    ['f64 SIMD', 'f64', () => simd],
    ['f64 scalar', 'f64', () => scalar],
    ['f32 SIMD', 'f32', () => simd],
  ] as const)('%s scores are the training pass outputs, bit for bit', (_, precision: Precision, engine) => {
    const n = 613;
    const inputs = randomData(7, shape, n, [-3, 3]).inputs;
    const run = engine().train(net, { samples: n, inputs, targets: new Float64Array(n * outputs) }, {
      precision, params: { epochs: 0 },
    });
    const scores = engine().forward(net, inputs, n, { precision });
    let sse = 0;
    for (let k = 0; k < scores.length; k++) sse += scores[k]! * scores[k]!;
    expect(run.history.perf[0]).toBe(sse / (n * outputs));
  });
});

describe('scoring checks its inputs', () => {
  const shape = shapes[1]!; // 5 inputs: both the paired inputs and the odd last one
  const net = randomNet(3, shape, 2);
  const n = 131;
  const engines = [
    ['f64 SIMD', () => simd, 'f64'],
    ['f64 scalar', () => scalar, 'f64'],
    ['f32 SIMD', () => simd, 'f32'],
  ] as const;
  // Rows in the first block, in a later block's SIMD steps and in the last
  // block's one-by-one tail (131 = 2·64 + 3); columns paired and unpaired.
  const spots = [
    [1, 1, Number.NaN],
    [67, 5, Number.NEGATIVE_INFINITY],
    [68, 2, Number.NaN],
    [70, 4, Number.POSITIVE_INFINITY],
    [129, 5, Number.NEGATIVE_INFINITY],
    [131, 2, Number.NaN],
  ] as const;

  describe.each(engines)('%s', (_, engine, precision) => {
    it.each(spots)('row %i, column %i = %d is a NonFiniteError naming it', (row, column, value) => {
      const inputs = randomData(5, shape, n, [-3, 3]).inputs;
      inputs[(row - 1) * shape.inputs + column - 1] = value;
      expect(() => engine().forward(net, inputs, n, { precision })).toThrow(NonFiniteError);
      expect(() => engine().forward(net, inputs, n, { precision })).toThrow(
        `inputs row ${row}, column ${column} is ${value}, expected a finite number`,
      );
    });

    it('reports the first bad value when there are several, and stays usable', () => {
      const inputs = randomData(5, shape, n, [-3, 3]).inputs;
      inputs[100 * shape.inputs + 2] = Number.NaN;
      inputs[80 * shape.inputs + 3] = Number.POSITIVE_INFINITY;
      expect(() => engine().forward(net, inputs, n, { precision })).toThrow('inputs row 81, column 4 is Infinity');
      const clean = randomData(5, shape, n, [-3, 3]).inputs;
      expect(maxAbs(engine().forward(net, clean, n, { precision }), referenceEngine.forward(net, clean, n))).toBeLessThan(2e-5);
    });

    it('accepts the largest finite inputs', () => {
      const inputs = randomData(5, shape, n, [-3, 3]).inputs.map((v) => (v < 0 ? -Number.MAX_VALUE : Number.MAX_VALUE));
      const scores = engine().forward(net, inputs, n, { precision });
      expect(scores).toHaveLength(n * shape.sizes.at(-1)!);
    });
  });
});
