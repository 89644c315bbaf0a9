/**
 * The whole method from customer rows to a model file: prepare the data
 * (scores, weights, bands, sample, split, target), normalise with training
 * ranges, train the n–(2n+1)–1 network with traingdx, evaluate on the test
 * part, and store everything a scorer needs in the model's method section.
 */
import { DataError } from '../errors.js';
import type { ProjectConfig } from '../indicators/config.js';
import type { RowNumbering } from '../indicators/fit.js';
import type { CustomerRow } from '../indicators/source.js';
import { networkToModel, trainingRecord } from '../model/model.js';
import { applyMinMax, fitMinMax } from '../model/normalize.js';
import type { Model } from '../model/schema.js';
import { createNetwork, defaultShape } from '../network/init.js';
import { resolveTraingdxParams } from '../network/traingdx-params.js';
import type { Dataset, Engine, Network, NetworkShape, Precision, ProgressCallback, TrainingResult, TrainOptions } from '../network/types.js';
import { evaluate, type Evaluation } from './classify.js';
import type { ModelMethod } from './model-method.js';
import { prepareData, type PreparedData } from './pipeline.js';

export interface TrainCustomerValueOptions {
  /** Line numbers for error messages. @default rows numbered from 1 */
  numbering?: RowNumbering;
  /** Called every `progressEvery` epochs; return false to cancel. */
  onProgress?: ProgressCallback;
  /** @default 1 with a callback, else never */
  progressEvery?: number;
  /** Written into the model; omit for byte-reproducible files. @default omitted */
  createdAt?: string;
  /**
   * Kernel arithmetic of training ('f32': about twice as fast, a close but
   * not identical network). Recorded in the model when not the default.
   * K, the evaluation and every later scoring use f64, as `cvnet classify` does.
   * @default 'f64'
   */
  precision?: Precision;
}

/** A traingdx run in place of `engine.train`, e.g. on worker threads. */
export type TrainFunction = (net: Network, data: Dataset, options: TrainOptions) => TrainingResult | Promise<TrainingResult>;

export interface TrainCustomerValueAsyncOptions extends TrainCustomerValueOptions {
  /** @default engine.train */
  train?: TrainFunction;
  /**
   * Worker threads `train` runs on, recorded in the model when above 1
   * (results are bit-identical only for the same count).
   * @default 1
   */
  threads?: number;
}

export interface CustomerValueRun {
  model: Model;
  prepared: PreparedData;
  result: TrainingResult;
  /** Predicted K against target K on the test part of the sample. */
  evaluation: Evaluation;
  /** Predicted K of every customer, data order. */
  k: Float64Array;
}

/** Picks rows `indices` of a row-major matrix with `width` columns. */
function rowsOf(values: Float64Array, width: number, indices: readonly number[]): Float64Array {
  const out = new Float64Array(indices.length * width);
  indices.forEach((r, i) => out.set(values.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

/**
 * Runs the customer-value method on `rows` with `config`.
 *
 * @throws ConfigError / DataError from the data steps; OptionsError for bad
 *   training settings.
 */
export function trainCustomerValue(engine: Engine, config: ProjectConfig, rows: readonly CustomerRow[], options: TrainCustomerValueOptions = {}): CustomerValueRun {
  const run = setUp(engine, config, rows, options);
  return run.finish(engine.train(run.network, run.data, run.trainOptions), 1);
}

/**
 * trainCustomerValue with the training step replaced by `options.train`
 * (which may be asynchronous, as multi-threaded training is in Node).
 *
 * @throws as trainCustomerValue.
 */
export async function trainCustomerValueAsync(engine: Engine, config: ProjectConfig, rows: readonly CustomerRow[], options: TrainCustomerValueAsyncOptions = {}): Promise<CustomerValueRun> {
  const run = setUp(engine, config, rows, options);
  const train = options.train ?? ((net, data, opts) => engine.train(net, data, opts));
  return run.finish(await train(run.network, run.data, run.trainOptions), options.threads ?? 1);
}

/** Everything before training, and what turns its result into a run. */
function setUp(engine: Engine, config: ProjectConfig, rows: readonly CustomerRow[], options: TrainCustomerValueOptions) {
  const prepared = prepareData(config, rows, options.numbering);
  const { scores, train, test, target } = prepared;
  const n = scores.indicators.length;
  if (train.length < 2) throw new DataError(`the training part of the sample has ${train.length} customer(s); at least 2 are needed`);

  const trainInputs = rowsOf(scores.values, n, train);
  const ranges = fitMinMax(trainInputs, train.length, n);
  const normalised = applyMinMax(scores.values, ranges, { clamp: true });
  const targets = Float64Array.from(target.values);
  const hidden = config.training?.hidden ?? 2 * n + 1;
  const shape: NetworkShape = { ...defaultShape(n), sizes: [hidden, 1] };
  const { hidden: _hidden, ...trainingParams } = config.training ?? {};
  const params = resolveTraingdxParams(trainingParams);
  const network = createNetwork(shape, { seed: config.seed });
  const precision = options.precision ?? 'f64';

  // The test part is measured every epoch (history.tperf) but never trained on.
  const testSet = test.length > 0
    ? { test: { samples: test.length, inputs: rowsOf(normalised, n, test), targets: rowsOf(targets, 1, test) } }
    : {};
  const trainOptions: TrainOptions = {
    params,
    ...testSet,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.progressEvery === undefined ? {} : { progressEvery: options.progressEvery }),
    ...(precision === 'f64' ? {} : { precision }),
  };
  const data: Dataset = { samples: train.length, inputs: rowsOf(normalised, n, train), targets: rowsOf(targets, 1, train) };

  const finish = (result: TrainingResult, threads: number): CustomerValueRun => {
    // f64 whatever the training precision: the K that classify will compute.
    const k = engine.forward(result.network, normalised, rows.length);
    const evaluation = evaluate(test.map((r) => target.values[r]!), test.map((r) => k[r]!), config.thresholds);

    const method: ModelMethod = {
      system: prepared.system as ModelMethod['system'],
      weights: prepared.weights.weights,
      currentValue: [...config.currentValue],
      thresholds: config.thresholds,
      strategies: config.strategies,
      target: { kind: target.kind, source: target.source },
      bands: prepared.table.bands,
      evaluation: { n: evaluation.n, mse: evaluation.mse, accuracy: evaluation.accuracy, confusion: evaluation.confusion },
    };
    const model = networkToModel(result.network, {
      inputs: { names: scores.indicators, min: ranges.min, max: ranges.max },
      outputs: { names: ['K'] },
      training: trainingRecord(result, params, { seed: config.seed, samples: { training: train.length, validation: 0 }, precision, threads }),
      method,
      ...(options.createdAt === undefined ? {} : { createdAt: options.createdAt }),
    });
    return { model, prepared, result, evaluation, k };
  };
  return { network, data, trainOptions, finish };
}
