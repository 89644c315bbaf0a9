import { describe, expect, it } from 'vitest';
import { createNetwork } from '../network/init.js';
import { referenceForward } from '../network/reference.js';
import type { Network } from '../network/types.js';
import { ModelError } from '../errors.js';
import { modelToNetwork, networkToModel, parseModel, parseModelText, serializeModel } from './model.js';
import type { Model } from './schema.js';

const bits = (a: Float64Array): bigint[] => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));

function sampleModel(net: Network): Model {
  return networkToModel(net, {
    inputs: { names: ['R', 'F', 'M'], min: [0, 1, -2.5], max: [10, 7, 3] },
    outputs: { names: ['K'] },
    training: {
      params: { epochs: 2, goal: 0, lr: 0.01, lrInc: 1.05, lrDec: 0.7, maxPerfInc: 1.04, mc: 0.9, minGrad: 1e-5, maxFail: 6 },
      stop: 'epochs',
      bestEpoch: 2,
      epochs: 2,
      seed: 3,
      history: { perf: [0.3, 0.2, 0.1], lr: [0.01, 0.0105, 0.011025], gradient: [1, 0.5, 0.25], vperf: [] },
    },
  });
}

/** A JSON copy of a model that tests can break. */
const mutable = (model: Model): any => JSON.parse(serializeModel(model));

describe('model file', () => {
  const net = createNetwork({ inputs: 3, sizes: [7, 1], transfers: ['tansig', 'logsig'] }, { seed: 11 });

  it('round-trips parameters bit for bit and predicts identically', () => {
    // Values JSON handles badly: −0, subnormals, the largest double, non-terminating binary fractions.
    const params = Float64Array.from(net.params);
    params[0] = -0;
    params[1] = 5e-324;
    params[2] = -1.7976931348623157e308;
    params[3] = 0.1 + 0.2;
    const edgy: Network = { ...net, params };
    const text = serializeModel(sampleModel(edgy));
    const back = modelToNetwork(parseModelText(text, 'model.json'));
    expect(back.sizes).toEqual([7, 1]);
    expect(back.transfers).toEqual(['tansig', 'logsig']);
    expect(bits(back.params)).toEqual(bits(params));
    expect(Object.is(back.params[0], -0)).toBe(true);

    const original = modelToNetwork(parseModelText(serializeModel(sampleModel(net))));
    const x = Float64Array.from({ length: 5 * 3 }, (_, i) => (i * 0.37) % 1.3);
    expect(bits(referenceForward(original, x, 5))).toEqual(bits(referenceForward(net, x, 5)));
  });

  it('lays weights out as weights[i][j] = from input j to neuron i', () => {
    const model = sampleModel(net);
    expect(model.layers[0]!.weights).toHaveLength(7);
    expect(model.layers[0]!.weights[2]![1]).toBe(net.params[2 * 3 + 1]);
    expect(model.layers[0]!.biases[0]).toBe(net.params[7 * 3]);
    expect(model.layers[1]!.weights[0]).toEqual(Array.from(net.params.subarray(7 * 3 + 7, 7 * 3 + 7 + 7)));
  });

  it('serialises deterministically and re-serialises a parsed model identically', () => {
    const text = serializeModel(sampleModel(net));
    expect(serializeModel(parseModelText(text))).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('refuses an unknown version or format', () => {
    const json = mutable(sampleModel(net));
    expect(() => parseModel({ ...json, version: 7 }, 'model.json')).toThrow(
      new ModelError('model.json: unsupported model version 7 (this cvnet reads version 1)'),
    );
    expect(() => parseModel({ ...json, format: 'keras' }, 'm.json')).toThrow(
      'm.json: not a cvnet model (format is "keras", expected "cvnet-model")',
    );
    expect(() => parseModel([1, 2], 'm.json')).toThrow('m.json: not a cvnet model (expected a JSON object)');
    expect(() => parseModelText('{"format":', 'm.json')).toThrow(/^m\.json: not valid JSON/);
  });

  it('names the JSON path of a malformed value', () => {
    const json = mutable(sampleModel(net));
    json.layers[0].weights[2][1] = 'x';
    expect(() => parseModel(json, 'model.json')).toThrow(/^model\.json: layers\[0\]\.weights\[2\]\[1\]: .*expected number/);
    const json2 = mutable(sampleModel(net));
    json2.layers[1].transfer = 'relu';
    expect(() => parseModel(json2, 'model.json')).toThrow(/^model\.json: layers\[1\]\.transfer: /);
    const json3 = mutable(sampleModel(net));
    delete json3.inputs.names;
    expect(() => parseModel(json3, 'model.json')).toThrow(/^model\.json: inputs\.names: /);
  });

  it('says which shape is inconsistent', () => {
    const cases: [(m: any) => void, string][] = [
      [(m) => m.layers[1].weights[0].pop(), 'layers[1].weights[0] has 6 values, expected 7 (one per neuron of layers[0])'],
      [(m) => m.layers[0].weights[4].push(1), 'layers[0].weights[4] has 4 values, expected 3 (one per input)'],
      [(m) => m.layers[0].biases.pop(), 'layers[0].biases has 6 values, expected 7 (one per row of layers[0].weights)'],
      [(m) => m.inputs.min.pop(), 'inputs.min has 2 values, expected 3 (one per input name)'],
      [(m) => (m.inputs.max[1] = 0), 'inputs.min[1] (1) is greater than inputs.max[1] (0)'],
      [(m) => (m.inputs.names[2] = 'R'), 'inputs.names lists "R" twice'],
      [(m) => m.outputs.names.push('K2'), 'outputs.names has 2 names, expected 1 (one per neuron of the last layer)'],
      [(m) => m.training.history.lr.pop(), 'training.history.lr has 2 values, expected 3 (epochs + 1)'],
      [(m) => (m.training.history.tperf = [0.4, 0.3]), 'training.history.tperf has 2 values, expected 3 (epochs + 1)'],
    ];
    for (const [breakIt, message] of cases) {
      const json = mutable(sampleModel(net));
      breakIt(json);
      expect(() => parseModel(json, 'model.json')).toThrow(new ModelError(`model.json: ${message}`));
    }
  });

  it('reads training histories with and without tperf (optional in version 1)', () => {
    const without = mutable(sampleModel(net));
    expect(without.training.history).not.toHaveProperty('tperf');
    expect(parseModel(without).training?.history.tperf).toBeUndefined();
    const withTperf = { ...without, training: { ...without.training, history: { ...without.training.history, tperf: [0.5, 0.4, 0.35] } } };
    const parsed = parseModelText(serializeModel(parseModel(withTperf)));
    expect(parsed.training?.history.tperf).toEqual([0.5, 0.4, 0.35]);
  });

  it('refuses to build a model whose metadata does not fit the network', () => {
    expect(() =>
      networkToModel(net, { inputs: { names: ['a', 'b'], min: [0, 0], max: [1, 1] }, outputs: { names: ['K'] } }),
    ).toThrow('network does not fit its metadata: layers[0].weights[0] has 3 values, expected 2 (one per input)');
  });
});
