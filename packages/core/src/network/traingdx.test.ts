/**
 * Gradient and traingdx rules, checked on both engines: the Wasm core and the
 * TypeScript reference must each satisfy them on their own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine } from '../wasm/node.js';
import { parameterCount } from './options.js';
import { createPrng } from './prng.js';
import { referenceEngine } from './reference.js';
import type { Dataset, Engine, Network, NetworkShape, TrainingResult } from './types.js';

function randomCase(seed: number, shape: NetworkShape, samples: number, scale = 1): { net: Network; data: Dataset } {
  const rng = createPrng(seed);
  const params = new Float64Array(parameterCount(shape)).map(() => rng.uniform(-scale, scale));
  const outputs = shape.sizes[shape.sizes.length - 1]!;
  const last = shape.transfers[shape.transfers.length - 1];
  const inputs = new Float64Array(samples * shape.inputs).map(() => rng.next());
  const targets = new Float64Array(samples * outputs).map(() => (last === 'logsig' ? rng.next() : rng.uniform(-1, 1)));
  return { net: { ...shape, params }, data: { samples, inputs, targets } };
}

const shapes: [string, NetworkShape][] = [
  ['1 hidden tansig→logsig, 2 outputs', { inputs: 3, sizes: [5, 2], transfers: ['tansig', 'logsig'] }],
  ['2 hidden logsig→tansig→purelin, 3 outputs', { inputs: 4, sizes: [6, 4, 3], transfers: ['logsig', 'tansig', 'purelin'] }],
  ['1 hidden purelin→tansig', { inputs: 2, sizes: [3, 1], transfers: ['purelin', 'tansig'] }],
];

const engines: [string, () => Engine][] = [];
let wasm: Engine;
beforeAll(async () => {
  wasm = await loadEngine();
});
engines.push(['wasm', () => wasm], ['reference', () => referenceEngine]);

describe.each(engines)('%s engine', (_name, engine) => {
  describe.each(shapes)('gradient of %s', (_label, shape) => {
    it('matches central finite differences (relative error < 1e-6)', () => {
      const { net, data } = randomCase(11, shape, 17);
      const { perf, gradient } = engine().perfGradient(net, data);
      expect(perf).toBeGreaterThan(0);
      const h = 1e-6;
      const fd = new Float64Array(gradient.length);
      for (let k = 0; k < fd.length; k++) {
        const plus = Float64Array.from(net.params);
        const minus = Float64Array.from(net.params);
        plus[k]! += h;
        minus[k]! -= h;
        fd[k] = (engine().perfGradient({ ...net, params: plus }, data).perf
          - engine().perfGradient({ ...net, params: minus }, data).perf) / (2 * h);
      }
      let diff = 0;
      let size = 0;
      for (let k = 0; k < fd.length; k++) {
        diff += (fd[k]! - gradient[k]!) ** 2;
        size += gradient[k]! ** 2;
      }
      expect(Math.sqrt(size)).toBeGreaterThan(1e-3);
      expect(Math.sqrt(diff / size)).toBeLessThan(1e-6);
    });
  });

  describe('traingdx', () => {
    const shape: NetworkShape = { inputs: 3, sizes: [5, 1], transfers: ['tansig', 'logsig'] };

    it('rejects, accepts rises ≤ 4 % and raises lr only on a decrease', () => {
      const { net, data } = randomCase(3, shape, 40, 2);
      const p = { epochs: 300, lr: 2, lrDec: 0.7, lrInc: 1.05, maxPerfInc: 1.04 };
      const { history } = engine().train(net, data, { params: p });
      expect(history.perf).toHaveLength(301);
      const seen = { reject: 0, decrease: 0, acceptedRise: 0 };
      for (let e = 0; e < 300; e++) {
        const [perf, next, lr, nextLr] = [history.perf[e]!, history.perf[e + 1]!, history.lr[e]!, history.lr[e + 1]!];
        if (next / perf > p.maxPerfInc) throw new Error(`epoch ${e}: a rise above 4 % was kept`);
        if (nextLr === lr * p.lrDec) {
          expect(next).toBe(perf); // reject: the network (and so perf) stays
          seen.reject++;
        } else if (next < perf) {
          expect(nextLr).toBe(lr * p.lrInc);
          seen.decrease++;
        } else {
          expect(nextLr).toBe(lr); // an accepted rise (or no change) keeps lr
          if (next > perf) seen.acceptedRise++;
        }
      }
      expect(seen.reject).toBeGreaterThan(0);
      expect(seen.decrease).toBeGreaterThan(0);
      expect(seen.acceptedRise).toBeGreaterThan(0);
    });

    it('restarts momentum after a reject: the next step is lr·g', () => {
      const { net, data } = randomCase(5, shape, 30, 2);
      const { perf: perf0, gradient } = referenceEngine.perfGradient(net, data);
      const mse = (step: number): number =>
        referenceEngine.perfGradient({ ...net, params: net.params.map((x, k) => x - step * gradient[k]!) }, data).perf;
      // Find an lr whose first step is rejected while 0.7·lr is accepted.
      let lr = 1;
      while (!(mse(lr) / perf0 > 1.04 && mse(0.7 * lr) / perf0 <= 1.04)) {
        lr *= 1.1;
        if (lr > 1e6) throw new Error('no suitable lr');
      }
      const result = engine().train(net, data, { params: { epochs: 2, lr, mc: 0.9 } });
      expect(result.history.lr).toEqual([lr, 0.7 * lr, 0.7 * lr * (result.history.perf[2]! < perf0 ? 1.05 : 1)]);
      expect(result.history.perf[1]).toBe(perf0);
      // Second trial from X0 with dX = mc·(0.7lr·g) + (1−mc)·0.7lr·g = 0.7lr·g.
      const withReset = mse(0.7 * lr);
      const withoutReset = mse(0.9 * lr + 0.1 * 0.7 * lr);
      expect(Math.abs(result.history.perf[2]! - withReset)).toBeLessThan(1e-12 * withReset);
      expect(Math.abs(result.history.perf[2]! - withoutReset)).toBeGreaterThan(1e-6 * withReset);
    });

    it('records just the initial network for epochs: 0', () => {
      const { net, data } = randomCase(1, shape, 10);
      const result = engine().train(net, data, { params: { epochs: 0 } });
      expect(result.stop).toBe('epochs');
      expect(result.epochs).toBe(0);
      expect(result.bestEpoch).toBe(0);
      expect(result.history.perf).toHaveLength(1);
      expect(result.history.lr).toEqual([0.01]);
      expect(result.history.vperf).toEqual([]);
      expect(result.network.params).toEqual(net.params);
      expect(result.history.perf[0]).toBe(engine().perfGradient(net, data).perf);
    });

    it('stops on epochs and returns the lowest-perf network', () => {
      const { net, data } = randomCase(2, shape, 25);
      const result = engine().train(net, data, { params: { epochs: 50 } });
      expect(result.stop).toBe('epochs');
      expect(result.epochs).toBe(50);
      expect(result.history.perf).toHaveLength(51);
      const min = Math.min(...result.history.perf);
      expect(result.bestEpoch).toBe(result.history.perf.indexOf(min));
      expect(engine().perfGradient(result.network, data).perf).toBe(min);
    });

    it('stops on goal, checked before epochs', () => {
      const { net, data } = randomCase(4, shape, 25);
      const initial = engine().perfGradient(net, data).perf;
      expect(engine().train(net, data, { params: { epochs: 0, goal: initial } }).stop).toBe('goal');
      const goal = initial * 0.8;
      const result = engine().train(net, data, { params: { epochs: 5000, goal, lr: 0.5 } });
      expect(result.stop).toBe('goal');
      expect(result.history.perf).toHaveLength(result.epochs + 1);
      expect(result.history.perf[result.epochs]).toBeLessThanOrEqual(goal);
      expect(result.history.perf.slice(0, -1).every((perf) => perf > goal)).toBe(true);
    });

    it('stops on min_grad', () => {
      const { net, data } = randomCase(6, shape, 25);
      const result = engine().train(net, data, { params: { minGrad: 1e9 } });
      expect(result.stop).toBe('min_grad');
      expect(result.history.perf).toHaveLength(1);
      // A realistic threshold, reached after some training.
      const first = engine().train(net, data, { params: { epochs: 1 } }).history.gradient[0]!;
      const later = engine().train(net, data, { params: { minGrad: first * 0.5, epochs: 20000, lr: 0.5 } });
      expect(later.stop).toBe('min_grad');
      expect(later.history.gradient[later.epochs]).toBeLessThanOrEqual(first * 0.5);
      expect(later.epochs).toBeGreaterThan(0);
    });

    it('stops on validation failures and returns the lowest-vperf network', () => {
      const { net, data } = randomCase(7, shape, 30);
      // Targets unrelated to the training targets: vperf soon rises.
      const validation = randomCase(8, shape, 20).data;
      const result = engine().train(net, data, { validation, params: { maxFail: 3, epochs: 5000, lr: 0.5 } });
      expect(result.stop).toBe('validation');
      expect(result.history.vperf).toHaveLength(result.epochs + 1);
      const min = Math.min(...result.history.vperf);
      expect(result.bestEpoch).toBe(result.history.vperf.indexOf(min));
      expect(engine().perfGradient(result.network, validation).perf).toBe(min);
      // The last maxFail epochs each failed to improve.
      const tail = result.history.vperf.slice(-3);
      expect(tail.every((v) => v > min)).toBe(true);
    });

    describe('test set (tperf)', () => {
      const { net, data } = randomCase(12, shape, 40, 2);
      const validation = randomCase(13, shape, 25).data;
      const test = randomCase(14, shape, 31).data;
      const p = { epochs: 150, lr: 1 };

      it('records the training set\'s own perf when the test set is the training set', () => {
        // Same data, same network at every index: tperf must equal perf bit for bit.
        const result = engine().train(net, data, { test: data, params: p });
        expect(result.history.tperf).toEqual(result.history.perf);
        expect(result.history.lr.some((lr, e) => e > 0 && lr < result.history.lr[e - 1]!)).toBe(true); // rejects happened
      });

      it.each([['without', undefined], ['with', validation]] as const)(
        'tperf at 0 and at bestEpoch is the MSE of that network on the test set (%s validation)',
        (_label, v) => {
          const result = engine().train(net, data, { test, ...(v ? { validation: v } : {}), params: p });
          expect(result.history.tperf).toHaveLength(result.epochs + 1);
          expect(result.bestEpoch).toBeGreaterThan(0);
          expect(result.history.tperf[0]).toBe(engine().perfGradient(net, test).perf);
          expect(result.history.tperf[result.bestEpoch]).toBe(engine().perfGradient(result.network, test).perf);
          // A rejected step keeps the network, so tperf repeats; accepted ones move it.
          let moved = 0;
          for (let e = 0; e < result.epochs; e++) {
            if (result.history.perf[e + 1] === result.history.perf[e]) expect(result.history.tperf[e + 1]).toBe(result.history.tperf[e]);
            else if (result.history.tperf[e + 1] !== result.history.tperf[e]) moved++;
          }
          expect(moved).toBeGreaterThan(0);
        },
      );

      it('changes nothing else: runs with and without a test set agree bit for bit', () => {
        const params = { ...p, maxFail: 10 };
        const withTest = engine().train(net, data, { validation, test, params });
        const run = (t: Dataset | undefined): { result: TrainingResult; seen: unknown[] } => {
          const seen: unknown[] = [];
          const result = engine().train(net, data, {
            validation, ...(t ? { test: t } : {}), params, progressEvery: 7,
            onProgress: ({ tperf, ...rest }) => {
              expect(tperf).toBe(t ? withTest.history.tperf[rest.epoch] : undefined);
              seen.push(rest);
            },
          });
          return { result, seen };
        };
        const a = run(test);
        const b = run(undefined);
        expect(a.result.history.tperf).toEqual(withTest.history.tperf);
        expect(b.result.history.tperf).toEqual([]);
        const { tperf: _a, ...historyA } = a.result.history;
        const { tperf: _b, ...historyB } = b.result.history;
        expect(historyA).toEqual(historyB);
        for (const key of ['stop', 'epochs', 'bestEpoch'] as const) expect(a.result[key]).toBe(b.result[key]);
        expect(Buffer.from(a.result.network.params.buffer)).toEqual(Buffer.from(b.result.network.params.buffer));
        expect(a.seen).toEqual(b.seen);
        expect(a.seen.length).toBeGreaterThan(2);
      });

      it('rejects a test set of the wrong shape', () => {
        expect(() => engine().train(net, data, { test: { ...test, samples: 30 } })).toThrow(/test\.inputs/);
      });
    });

    it('cancels from the progress callback and reports every n epochs and at the end', () => {
      const { net, data } = randomCase(9, shape, 20);
      const seen: number[] = [];
      const cancelled = engine().train(net, data, {
        onProgress: (event) => {
          seen.push(event.epoch);
          expect(event.vperf).toBeUndefined();
          return event.epoch < 6;
        },
        progressEvery: 3,
      });
      expect(seen).toEqual([0, 3, 6]);
      expect(cancelled.stop).toBe('cancelled');
      expect(cancelled.epochs).toBe(6);
      expect(cancelled.history.perf).toHaveLength(7);

      const all: number[] = [];
      const done = engine().train(net, data, { params: { epochs: 7 }, progressEvery: 3, onProgress: (e) => void all.push(e.epoch) });
      expect(done.stop).toBe('epochs');
      expect(all).toEqual([0, 3, 6, 7]);
    });
  });
});
