import { describe, expect, it } from 'vitest';
import { DataError, ModelError } from '../errors.js';
import { defaultConfig } from '../indicators/defaults.js';
import { parseModelText, serializeModel } from '../model/model.js';
import { referenceEngine } from '../network/reference.js';
import { generateSurvey } from '../synthetic/survey.js';
import { loadEngine } from '../wasm/node.js';
import { classOf } from './classify.js';
import { modelToSql } from '../sql/generate.js';
import { indicatorReadings, methodOf, scoreWithModel } from './score-model.js';
import { trainCustomerValue, trainCustomerValueAsync } from './train-model.js';

const rows = generateSurvey({ customers: 548, seed: 1 }) as unknown as Record<string, string | number>[];
const config = { ...defaultConfig(), training: { epochs: 60 } };

describe('trainCustomerValue + scoreWithModel', async () => {
  const engine = await loadEngine();
  const run = trainCustomerValue(engine, config, rows);

  it('trains the n–(2n+1)–1 network on the training part of the stratified sample', () => {
    expect(run.model.layers.map((l) => l.weights.length)).toEqual([29, 1]);
    expect(run.model.layers[0]!.weights[0]).toHaveLength(14);
    expect(run.model.training?.samples?.training).toBe(run.prepared.train.length);
    expect(run.prepared.train.length + run.prepared.test.length).toBe(run.prepared.sample.indices.length);
    // The history's last perf is not below the best perf, and the model is the best one.
    const perf = run.model.training!.history.perf;
    expect(Math.min(...perf)).toBe(perf[run.model.training!.bestEpoch]);
  });

  it('scores customers exactly as training predicted them, from raw columns or from score columns', () => {
    const scored = scoreWithModel(engine, run.model, rows);
    scored.customers.forEach((c, i) => {
      expect(c.K).toBe(run.k[i]);
      expect(c.class).toBe(classOf(c.K, config.thresholds));
    });
    // Its own output (id + one score column per indicator) is valid input again.
    const again = scored.customers.map((c) => Object.fromEntries([['id', c.id], ...scored.indicators.map((id, j) => [id, String(c.scores[j])])]));
    expect(scoreWithModel(engine, run.model, again).customers.map((c) => c.K)).toEqual(scored.customers.map((c) => c.K));
  });

  it('reads the id from an "id" column when the rows lack the model\'s id column (classified output)', () => {
    const scored = scoreWithModel(engine, run.model, rows.slice(0, 5));
    const renamed = { ...run.model, method: { ...run.model.method!, system: { ...run.model.method!.system, idColumn: 'ID' } } };
    const again = scoreWithModel(engine, renamed, rows.slice(0, 5));
    expect(again.customers.map((c) => [c.id, c.K])).toEqual(scored.customers.map((c) => [c.id, c.K]));
  });

  it('reads classify output as scores even where an indicator id is also its raw column (quantile rules)', () => {
    // The CDNOW example's shape: indicator "recency" read from column "recency" through fitted cut points.
    const rfm = {
      ...defaultConfig(),
      idColumn: 'customer_id',
      indicators: ['recency', 'frequency', 'monetary', 'relationship'].map((id) => ({
        id, name: id, dimension: id === 'relationship' ? 'potential' : 'current', source: id,
        rule: { type: 'quantile' as const, count: 5, direction: id === 'recency' ? 'lower' as const : 'higher' as const, missing: 'error' as const },
      })),
      dimensions: [{ id: 'current', name: 'Current' }, { id: 'potential', name: 'Potential' }],
      weights: { type: 'final' as const, values: { recency: 0.3, frequency: 0.25, monetary: 0.3, relationship: 0.15 } },
      training: { epochs: 20 },
    };
    const raw = Array.from({ length: 300 }, (_, i) => ({
      customer_id: `U${i}`, recency: String((i * 37) % 365), frequency: String(1 + ((i * 13) % 40)),
      monetary: String(((i * 7919) % 5000) / 10), relationship: String((i * 11) % 700),
    }));
    const model = trainCustomerValue(engine, rfm, raw).model;
    const scored = scoreWithModel(engine, model, raw);
    // A row of classify output: its columns, the scores under the indicator ids.
    const classified = scored.customers.map((c) => ({
      id: c.id, C: String(c.C), band: String(c.band), K: String(c.K), class: c.class, strategy: c.strategy,
      ...Object.fromEntries(scored.indicators.map((id, j) => [id, String(c.scores[j])])),
    }));
    const again = scoreWithModel(engine, model, classified);
    expect(again.customers.map((c) => c.K)).toEqual(scored.customers.map((c) => c.K));
    // Without classify's columns the same names are raw values, as before.
    expect(indicatorReadings(model.method!.system, new Set(Object.keys(raw[0]!)))).toEqual(['raw', 'raw', 'raw', 'raw']);
    expect(indicatorReadings(model.method!.system, new Set(Object.keys(classified[0]!)))).toEqual(['score', 'score', 'score', 'score']);
    // Trimmed to what makes it classify output (as cvnet segment reads it): still scores.
    expect(indicatorReadings(model.method!.system, new Set(['id', 'K', 'class', ...scored.indicators]))).toEqual(['score', 'score', 'score', 'score']);
  });

  it('gives the same K after a save/load round trip, and the same as the TS reference engine', () => {
    const loaded = parseModelText(serializeModel(run.model));
    const a = scoreWithModel(engine, loaded, rows.slice(0, 50)).customers.map((c) => c.K);
    const b = scoreWithModel(referenceEngine, loaded, rows.slice(0, 50)).customers.map((c) => c.K);
    a.forEach((k, i) => expect(Math.abs(k - b[i]!)).toBeLessThan(1e-12));
    expect(a).toEqual(Array.from(run.k.subarray(0, 50)));
  });

  it('clips a score outside the training range to the range, so the network never extrapolates', () => {
    const narrowed = { ...run.model, inputs: { ...run.model.inputs, min: run.model.inputs.min.map(() => 2), max: run.model.inputs.max.map(() => 4) } };
    const extreme = rows.slice(0, 1).map((r) => ({ ...r, id: 'x', ...Object.fromEntries(run.model.inputs.names.map((id) => [id, 5])) }));
    const edge = extreme.map((r) => ({ ...r, ...Object.fromEntries(run.model.inputs.names.map((id) => [id, 4])) }));
    expect(scoreWithModel(engine, narrowed, extreme).customers[0]!.K).toBe(scoreWithModel(engine, narrowed, edge).customers[0]!.K);
  });

  it('is reproducible bit for bit for a seed', () => {
    const again = trainCustomerValue(engine, config, rows);
    expect(serializeModel(again.model)).toBe(serializeModel(run.model));
  });

  it('names the indicator and column when a customer lacks both raw and score columns', () => {
    const broken = rows.map(({ monetary: _m, ...rest }) => rest);
    expect(() => scoreWithModel(engine, run.model, broken)).toThrow(DataError);
    expect(() => scoreWithModel(engine, run.model, broken)).toThrow(/indicator "monetary".*"monetary"/);
  });

  it('refuses a plain network without a method section', () => {
    const { method: _method, ...plain } = run.model;
    expect(() => scoreWithModel(engine, plain, rows)).toThrow(ModelError);
  });

  it('refuses, for every scorer, a model whose inputs are not its indicators in order', () => {
    const names = [...run.model.inputs.names];
    [names[0], names[1]] = [names[1]!, names[0]!];
    const swapped = { ...run.model, inputs: { ...run.model.inputs, names } };
    const message = /model's inputs \(visits, profile, .*\) do not match its indicators \(profile, visits, /;
    expect(() => methodOf(swapped)).toThrow(message);
    expect(() => scoreWithModel(engine, swapped, rows)).toThrow(message);
    expect(() => modelToSql(swapped, { dialect: 'duckdb' })).toThrow(message);
  });
});

describe('trainCustomerValue options: precision, and an injected (threaded) train step', async () => {
  const engine = await loadEngine();
  const small = { ...defaultConfig(), training: { epochs: 30 } };
  const exact = trainCustomerValue(engine, small, rows);

  it('records neither precision nor threads at their defaults, so existing model files stay byte-identical', () => {
    expect(exact.model.training).not.toHaveProperty('precision');
    expect(exact.model.training).not.toHaveProperty('threads');
  });

  it('the async sibling with engine.train gives the same model, and passes the train step its inputs', async () => {
    const calls: number[] = [];
    const same = await trainCustomerValueAsync(engine, small, rows, {
      train: (net, data, options) => {
        calls.push(data.samples);
        return engine.train(net, data, options);
      },
    });
    expect(calls).toEqual([exact.prepared.train.length]);
    expect(serializeModel(same.model)).toBe(serializeModel(exact.model));
  });

  it('f32 trains a close network, records it, and still evaluates K in f64 as scoring does', async () => {
    const fast = await trainCustomerValueAsync(engine, small, rows, { precision: 'f32', threads: 3, train: (net, data, options) => {
      expect(options.precision).toBe('f32');
      return engine.train(net, data, options);
    } });
    expect(fast.model.training?.precision).toBe('f32');
    expect(fast.model.training?.threads).toBe(3);
    expect(parseModelText(serializeModel(fast.model)).training?.precision).toBe('f32');
    const k = scoreWithModel(engine, fast.model, rows).customers.map((c) => c.K);
    k.forEach((K, i) => {
      expect(K).toBe(fast.k[i]);
      expect(Math.abs(K - exact.k[i]!)).toBeLessThan(1e-4);
    });
    expect(k.some((K, i) => K !== exact.k[i])).toBe(true);
  });
});
