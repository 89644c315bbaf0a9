/**
 * trainCustomerValue measures the test part of the sample every epoch
 * (history.tperf) without training on it.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../indicators/defaults.js';
import { parseModelText, serializeModel } from '../model/model.js';
import { generateSurvey } from '../synthetic/survey.js';
import { loadEngine } from '../wasm/node.js';
import { trainCustomerValue } from './train-model.js';

const rows = generateSurvey({ customers: 548, seed: 1 }) as unknown as Record<string, string | number>[];
const config = { ...defaultConfig(), training: { epochs: 40 } };

describe('trainCustomerValue test-set history', async () => {
  const engine = await loadEngine();
  const run = trainCustomerValue(engine, config, rows);

  it('records tperf per epoch in the result and the model file', () => {
    const { history, epochs, bestEpoch } = run.result;
    expect(run.prepared.test.length).toBeGreaterThan(0);
    expect(history.tperf).toHaveLength(epochs + 1);
    expect(parseModelText(serializeModel(run.model)).training?.history.tperf).toEqual(history.tperf);
    // The best network's test MSE is the method's own evaluation of K on the test part
    // (same predictions; evaluate() sums in the same order).
    expect(history.tperf[bestEpoch]).toBe(run.evaluation.mse);
  });
});
