/**
 * Threaded training: bit-identical across repeated runs with the same thread
 * count; equal to the single-engine run up to reassociation of the per-slice
 * sums (relative 1e-10 over a short run; the slices only regroup sums of
 * the same terms).
 */
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { createNetwork } from '../network/init.js';
import type { NetworkShape, TrainingResult } from '../network/types.js';
import { loadEngine } from './node.js';
import { trainThreaded } from './threads.js';
import { maxRel, randomData } from '../network/test-helpers.js';

const shape: NetworkShape = { inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] };

const bits = (r: TrainingResult): Buffer => Buffer.from(r.network.params.buffer);

describe('trainThreaded', () => {
  const net = createNetwork(shape, { seed: 3 });
  const data = randomData(4, shape, 3001);
  const validation = randomData(5, shape, 200);
  const test = randomData(6, shape, 150);
  const options = { params: { epochs: 40, lr: 0.05 }, validation, test };

  it.each([2, 3])('is bit-identical across runs with %i threads and matches one engine', async (threads) => {
    const a = await trainThreaded(net, data, { ...options, threads });
    const b = await trainThreaded(net, data, { ...options, threads });
    expect(bits(a)).toEqual(bits(b));
    expect(a.history).toEqual(b.history);
    const single = (await loadEngine()).train(net, data, options);
    expect(a.epochs).toBe(single.epochs);
    expect(a.stop).toBe(single.stop);
    expect(maxRel(a.history.perf, single.history.perf)).toBeLessThan(1e-10);
    expect(a.history.tperf).toHaveLength(a.epochs + 1);
    expect(maxRel(a.history.tperf, single.history.tperf)).toBeLessThan(1e-10);
    expect(maxRel(a.network.params, single.network.params)).toBeLessThan(1e-10);
  });

  it('gives the same bits on many short runs started together (each ~80 hand-offs between threads)', async () => {
    const small = randomData(7, shape, 64);
    const runs = await Promise.all(Array.from({ length: 12 }, () => trainThreaded(net, small, { threads: 2, params: { epochs: 40 } })));
    const first = runs[0]!;
    for (const run of runs) {
      expect(bits(run)).toEqual(bits(first));
      expect(run.history).toEqual(first.history);
    }
    expect(maxRel(first.history.perf, (await loadEngine()).train(net, small, { params: { epochs: 40 } }).history.perf)).toBeLessThan(1e-10);
  });

  it('with one thread equals the engine bit for bit', async () => {
    const a = await trainThreaded(net, data, { ...options, threads: 1 });
    const single = (await loadEngine()).train(net, data, options);
    expect(bits(a)).toEqual(bits(single));
    expect(a.history).toEqual(single.history);
  });

  it('runs f32 precision and reports progress', async () => {
    const epochs: number[] = [];
    const a = await trainThreaded(net, data, {
      threads: 2, precision: 'f32', params: { epochs: 5 }, onProgress: (e) => void epochs.push(e.epoch),
    });
    expect(a.epochs).toBe(5);
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects bad thread counts', async () => {
    await expect(trainThreaded(net, data, { threads: 0 })).rejects.toThrow(OptionsError);
    await expect(trainThreaded(net, randomData(1, shape, 3), { threads: 4 })).rejects.toThrow(OptionsError);
  });
});
