/**
 * The method's data steps in one call, for the CLI and other front ends:
 * fit and score the indicators, weigh them, pre-classify by current value,
 * draw the stratified sample, split it and compute the target K.
 */
import type { ProjectConfig } from '../indicators/config.js';
import { fitIndicatorSystem, scoreCustomers, type FittedIndicatorSystem, type RowNumbering, type ScoreMatrix } from '../indicators/fit.js';
import type { CustomerRow } from '../indicators/source.js';
import { computeWeights, type ComputedWeights } from '../weights/compute.js';
import { band, bandTable, currentValues, currentValueWeights, type Band, type BandTable } from './current.js';
import { splitTrainTest, stratifiedSample, type StratifiedSample } from './sample.js';
import { computeTarget, type Target } from './target.js';

export interface PreparedData {
  system: FittedIndicatorSystem;
  scores: ScoreMatrix;
  weights: ComputedWeights;
  /** Current value C per customer (data order). */
  current: number[];
  bands: Band[];
  table: BandTable;
  sample: StratifiedSample;
  /** Row indices into the data, training part then test part of the sample. */
  train: number[];
  test: number[];
  /** K per customer (all customers, data order). */
  target: Target;
  /** Fitting and sampling warnings, in that order. */
  warnings: string[];
}

/**
 * Runs steps 1–3 of the method and computes the target.
 *
 * @throws ConfigError / DataError from the steps (see each function).
 */
export function prepareData(config: ProjectConfig, rows: readonly CustomerRow[], numbering: RowNumbering = {}): PreparedData {
  const { system, warnings } = fitIndicatorSystem(config, rows, numbering);
  const scores = scoreCustomers(system, rows, numbering);
  const weights = computeWeights(config);
  const current = currentValues(scores, currentValueWeights(weights.weights, config.currentValue));
  const bands = current.map(band);
  const sample = stratifiedSample(bands, config.sampleFraction, config.seed);
  const { train, test } = splitTrainTest(sample.indices, config.trainShare, { shuffle: config.shuffleSplit, seed: config.seed });
  const target = computeTarget(config, scores, weights.weights, rows, numbering);
  return { system, scores, weights, current, bands, table: bandTable(bands), sample, train, test, target, warnings: [...warnings, ...sample.warnings] };
}
