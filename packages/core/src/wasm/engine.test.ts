import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError, NonFiniteError, OptionsError, ShapeError } from '../errors.js';
import { createNetwork } from '../network/init.js';
import { referenceEngine } from '../network/reference.js';
import type { Engine, NetworkShape, TrainingResult } from '../network/types.js';
import { maxRel, randomData, randomNet } from '../network/test-helpers.js';
import { createEngine, createScorer } from './engine.js';
import { loadEngine, loadModule } from './node.js';

let wasm: Engine;
beforeAll(async () => {
  wasm = await loadEngine();
});

function expectSameRun(w: TrainingResult, r: TrainingResult): void {
  expect(w.stop).toBe(r.stop);
  expect(w.epochs).toBe(r.epochs);
  expect(w.bestEpoch).toBe(r.bestEpoch);
  for (const key of ['perf', 'lr', 'gradient', 'vperf', 'tperf'] as const) {
    expect(w.history[key]).toHaveLength(r.history[key].length);
    expect(maxRel(w.history[key], r.history[key], { nanEqual: true })).toBeLessThan(1e-12);
  }
  expect(maxRel(w.network.params, r.network.params)).toBeLessThan(1e-12);
}

const shapes: NetworkShape[] = [
  { inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] },
  { inputs: 5, sizes: [7, 4, 3], transfers: ['logsig', 'tansig', 'purelin'] },
  { inputs: 2, sizes: [2], transfers: ['tansig'] },
];

describe('Wasm engine equals the TypeScript reference (relative 1e-12)', () => {
  // 300 samples crosses the core's 256-sample blocks; odd widths exercise the SIMD tails.
  it.each(shapes)('forward and perfGradient for %o', (shape) => {
    const net = randomNet(1, shape);
    const data = randomData(2, shape, 301);
    expect(maxRel(wasm.forward(net, data.inputs, data.samples), referenceEngine.forward(net, data.inputs, data.samples)))
      .toBeLessThan(1e-12);
    const w = wasm.perfGradient(net, data);
    const r = referenceEngine.perfGradient(net, data);
    expect(maxRel([w.perf], [r.perf])).toBeLessThan(1e-12);
    expect(maxRel(w.gradient, r.gradient)).toBeLessThan(1e-12);
  });

  it.each(shapes)('a full traingdx run without validation for %o', (shape) => {
    const net = createNetwork(shape, { seed: 3 });
    const data = randomData(4, shape, 260);
    // AssemblyScript's exp (musl) and V8's (fdlibm) differ by an ulp now and then; training
    // amplifies that once lr has grown large, so runs are kept short enough to stay at 1e-12.
    const options = { params: { epochs: 100, lr: 0.05 } };
    expectSameRun(wasm.train(net, data, options), referenceEngine.train(net, data, options));
  });

  it.each(shapes)('a full traingdx run with validation for %o', (shape) => {
    const net = createNetwork(shape, { seed: 5 });
    const data = randomData(6, shape, 120);
    const validation = randomData(7, shape, 41);
    const options = { validation, params: { epochs: 200, lr: 0.2, maxFail: 4 } };
    const w = wasm.train(net, data, options);
    expectSameRun(w, referenceEngine.train(net, data, options));
    expect(w.history.vperf).toHaveLength(w.epochs + 1);
  });

  it.each(shapes)('tperf of a run with validation and a test set for %o', (shape) => {
    const net = createNetwork(shape, { seed: 8 });
    const data = randomData(9, shape, 150);
    const validation = randomData(10, shape, 33);
    const test = randomData(11, shape, 277);
    const options = { validation, test, params: { epochs: 120, lr: 0.2, maxFail: 5 } };
    const w = wasm.train(net, data, options);
    expectSameRun(w, referenceEngine.train(net, data, options));
    expect(w.history.tperf).toHaveLength(w.epochs + 1);
  });

  it('forward on zero samples is empty', () => {
    const net = randomNet(1, shapes[0]!);
    expect(wasm.forward(net, new Float64Array(0), 0)).toEqual(new Float64Array(0));
  });
});

describe('determinism', () => {
  const shape = shapes[0]!;
  it('same seed → identical network and trained model, bit for bit', () => {
    const data = randomData(8, shape, 100);
    const run = (seed: number): TrainingResult => wasm.train(createNetwork(shape, { seed }), data, { params: { epochs: 60 } });
    const a = run(42);
    const b = run(42);
    expect(Buffer.from(a.network.params.buffer)).toEqual(Buffer.from(b.network.params.buffer));
    expect(a.history).toEqual(b.history);
    expect(Array.from(run(43).network.params)).not.toEqual(Array.from(a.network.params));
  });

  it('leaves the caller’s network untouched', () => {
    const net = createNetwork(shape, { seed: 1 });
    const before = Float64Array.from(net.params);
    wasm.train(net, randomData(1, shape, 50), { params: { epochs: 20 } });
    expect(net.params).toEqual(before);
  });
});

describe('engine errors and robustness', () => {
  const shape = shapes[0]!;
  const net = createNetwork(shape, { seed: 1 });
  const data = randomData(1, shape, 20);

  it('rejects bad input with typed errors before entering Wasm', () => {
    expect(() => wasm.train(net, { ...data, inputs: data.inputs.subarray(0, 20 * 13) })).toThrow(ShapeError);
    expect(() => wasm.train(net, data, { params: { lr: -1 } })).toThrow(OptionsError);
    expect(() => wasm.train(net, data, { onProgress: () => true, progressEvery: -2 })).toThrow(OptionsError);
    const bad = Float64Array.from(data.targets);
    bad[3] = Number.NaN;
    expect(() => wasm.perfGradient(net, { ...data, targets: bad })).toThrow(NonFiniteError);
    expect(() => wasm.train(net, data, { validation: { ...data, samples: 3 } })).toThrow(/validation\.inputs/);
    expect(() => wasm.forward(net, data.inputs, 19)).toThrow(ShapeError);
  });

  it('rethrows an error from onProgress and stays usable', () => {
    expect(() =>
      wasm.train(net, data, {
        onProgress: (e) => {
          if (e.epoch === 2) throw new Error('listener failed');
        },
      }),
    ).toThrow('listener failed');
    expect(wasm.train(net, data, { params: { epochs: 3 } }).stop).toBe('epochs');
  });

  it('refuses re-entrant calls from onProgress', () => {
    expect(() => wasm.train(net, data, { onProgress: () => void wasm.forward(net, data.inputs, 20) })).toThrow(EngineError);
    expect(wasm.forward(net, data.inputs, 20)).toHaveLength(20);
  });

  it('does not leak Wasm memory over many calls', async () => {
    const engine = await createEngine(await loadModule());
    const big = randomData(2, shape, 2000);
    engine.train(net, big, { params: { epochs: 2 }, validation: data, test: data });
    // Memory grows for the first run; repeated runs must reuse the freed blocks.
    const memoryOf = (e: Engine): number => (e as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory.buffer.byteLength;
    const after = memoryOf(engine);
    for (let i = 0; i < 30; i++) {
      engine.train(net, big, { params: { epochs: 2 }, validation: data, test: data });
      engine.perfGradient(net, big);
      engine.forward(net, big.inputs, big.samples);
    }
    expect(memoryOf(engine)).toBe(after);
  });

  it('caches the loaded engine', async () => {
    expect(await loadEngine()).toBe(wasm);
  });

  it('a scorer (createScorer) gives the engine\'s outputs bit for bit and refuses to train', async () => {
    const shape: NetworkShape = { inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] };
    const net = randomNet(21, shape);
    const data = randomData(22, shape, 301);
    const scorer = await createScorer(await loadModule());
    expect(scorer.forward(net, data.inputs, data.samples)).toEqual(wasm.forward(net, data.inputs, data.samples));
    expect(scorer.forward(net, data.inputs, data.samples, { precision: 'f32' })).toEqual(wasm.forward(net, data.inputs, data.samples, { precision: 'f32' }));
    expect(() => (scorer as unknown as Engine).train(net, data)).toThrow(EngineError);
  });
});
