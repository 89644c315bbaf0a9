import { describe, expect, it } from 'vitest';
import { CvnetError, NonFiniteError, OptionsError, ShapeError } from '../errors.js';
import { createNetwork } from './init.js';
import { DEFAULT_TRAINGDX, validateDataset, validateNetwork, validateShape } from './options.js';
import { resolveTraingdxParams } from './traingdx-params.js';
import type { TraingdxParams } from './types.js';

describe('traingdx parameters', () => {
  it('defaults to MATLAB’s values', () => {
    expect(resolveTraingdxParams()).toEqual({
      epochs: 1000, goal: 0, lr: 0.01, lrInc: 1.05, lrDec: 0.7, maxPerfInc: 1.04, mc: 0.9, minGrad: 1e-5, maxFail: 6,
    });
    expect(resolveTraingdxParams({ lr: 0.5 })).toEqual({ ...DEFAULT_TRAINGDX, lr: 0.5 });
  });

  it.each<[Partial<TraingdxParams> & Record<string, unknown>, RegExp]>([
    [{ lr: 0 }, /lr/],
    [{ lr: Number.NaN }, /lr/],
    [{ goal: Number.POSITIVE_INFINITY }, /goal/],
    [{ lrDec: 1 }, /lrDec/],
    [{ lrInc: 0.9 }, /lrInc/],
    [{ mc: 1.5 }, /mc/],
    [{ epochs: 2.5 }, /epochs/],
    [{ epochs: -1 }, /epochs/],
    [{ maxFail: 0 }, /maxFail/],
    [{ learningRate: 0.1 }, /learningRate/],
  ])('rejects %o', (params, field) => {
    const error = (() => {
      try {
        resolveTraingdxParams(params);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toBeInstanceOf(CvnetError);
    expect((error as OptionsError).code).toBe('OPTIONS');
    expect((error as Error).message).toMatch(field);
  });
});

describe('network and dataset validation', () => {
  const net = createNetwork({ inputs: 14, sizes: [29, 1], transfers: ['tansig', 'logsig'] }, { seed: 1 });

  it('accepts a good network and dataset', () => {
    expect(() => validateNetwork(net)).not.toThrow();
    expect(() => validateDataset({ samples: 2, inputs: new Float64Array(28), targets: new Float64Array(2) }, net)).not.toThrow();
  });

  it('says which columns are wrong', () => {
    expect(() => validateDataset({ samples: 2, inputs: new Float64Array(26), targets: new Float64Array(2) }, net))
      .toThrow(/data\.inputs has 13 columns, the network expects 14/);
    expect(() => validateDataset({ samples: 2, inputs: new Float64Array(28), targets: new Float64Array(4) }, net, 'validation'))
      .toThrow(/validation\.targets has 2 columns, the network expects 1/);
    expect(() => validateDataset({ samples: 0, inputs: new Float64Array(0), targets: new Float64Array(0) }, net))
      .toThrow(ShapeError);
  });

  it('rejects NaN and Infinity with their position', () => {
    const inputs = new Float64Array(28);
    inputs[15] = Number.NaN;
    expect(() => validateDataset({ samples: 2, inputs, targets: new Float64Array(2) }, net))
      .toThrow(/data\.inputs row 2, column 2 is NaN/);
    const params = Float64Array.from(net.params);
    params[3] = Number.POSITIVE_INFINITY;
    expect(() => validateNetwork({ ...net, params })).toThrow(NonFiniteError);
  });

  it('checks shapes and parameter counts', () => {
    expect(() => validateNetwork({ ...net, params: new Float64Array(10) }))
      .toThrow(/params has 10 values, a 14–29–1 network needs 465/);
    expect(() => validateShape({ inputs: 2, sizes: [], transfers: [] })).toThrow(ShapeError);
    expect(() => validateShape({ inputs: 2, sizes: [3], transfers: ['tansig', 'logsig'] })).toThrow(/2 transfer/);
    expect(() => validateShape({ inputs: 2, sizes: [3.5], transfers: ['tansig'] })).toThrow(/layer 1 size/);
    // @ts-expect-error: an unknown transfer function, as from untyped JSON
    expect(() => validateShape({ inputs: 2, sizes: [3], transfers: ['relu'] })).toThrow(/relu/);
  });
});
