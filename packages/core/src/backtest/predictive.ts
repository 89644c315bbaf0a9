/**
 * The predictive variant of the method: the same indicator system and
 * network family, but the n–(2n+1)–2 network learns what customers did next
 * — output 1 whether they bought at all (0/1), output 2 their future spend
 * rescaled to [0, 1] by rank — in one traingdx run on both outputs.
 *
 * K = √(purchase × spendRank), the geometric mean of the two outputs. The
 * purchase output estimates P(buy); the spend output estimates the expected
 * spend percentile, where the customers who spent nothing share the bottom
 * mid-rank. K ranks customers exactly as the product p × s would (the square
 * root is monotone), so it is high only for a customer who is both likely to
 * buy and expected to rank high; the root keeps K on the scale of its inputs
 * (p = s gives K = p), so the class thresholds A–D keep their meaning where
 * a plain product would push nearly everyone below 0.75. K is a ranking score,
 * not itself a probability or an amount.
 */
import { DataError } from '../errors.js';
import type { ProjectConfig } from '../indicators/config.js';
import { fitIndicatorSystem, scoreCustomers, type FittedIndicatorSystem, type RowNumbering } from '../indicators/fit.js';
import { lineOf, type CustomerRow } from '../indicators/source.js';
import { cellNumber } from '../number-text.js';
import { classOf, type CustomerClass } from '../method/classify.js';
import { currentValues, currentValueWeights } from '../method/current.js';
import { modelToNetwork, networkToModel, trainingRecord } from '../model/model.js';
import { applyMinMax, fitMinMax } from '../model/normalize.js';
import type { Model } from '../model/schema.js';
import { createNetwork } from '../network/init.js';
import { resolveTraingdxParams } from '../network/traingdx-params.js';
import type { Engine, ProgressCallback, TrainingResult } from '../network/types.js';
import { computeWeights } from '../weights/compute.js';
import { averageRanks } from './metrics.js';

/** Output names of a predictive model, in network output order. */
export const PREDICTIVE_OUTPUTS = ['purchase', 'spendRank'] as const;
/** How K is made from the outputs (stored beside the model, for reports). */
export const PREDICTIVE_K = 'K = √(purchase × spendRank)';

/** Target columns written by `cvnet features --horizon`. */
export const FUTURE_SPEND = 'future_spend';
export const FUTURE_PURCHASE = 'future_purchase';

/** K from the two outputs. */
export const combineK = (purchase: number, spendRank: number): number => Math.sqrt(purchase * spendRank);

/**
 * Future spend rescaled to [0, 1] by rank among all customers (zero spenders
 * included, ties given their average rank): (rank − 1)/(n − 1); 0.5 for a
 * single customer.
 */
export function spendRankTargets(spend: readonly number[]): number[] {
  const n = spend.length;
  if (n === 1) return [0.5];
  return averageRanks(spend).map((r) => (r - 1) / (n - 1));
}

/** A trained predictive model and the method parts needed to score with it. */
export interface PredictiveModel {
  /** Network, input ranges, outputs ["purchase", "spendRank"], training record. */
  model: Model;
  /** The indicator system fitted on the training customers (cut points, median scores). */
  system: FittedIndicatorSystem;
  weights: Record<string, number>;
  currentValue: string[];
  thresholds: ProjectConfig['thresholds'];
  k: typeof PREDICTIVE_K;
  result: TrainingResult;
  /** Fitting warnings (ties, imputed values). */
  warnings: string[];
}

export interface TrainPredictiveOptions {
  /** Overrides the config's (or traingdx's) epochs. @default config.training.epochs ?? 1000 */
  epochs?: number;
  /** @default config.seed */
  seed?: number;
  numbering?: RowNumbering;
  onProgress?: ProgressCallback;
  /** @default 1 with a callback */
  progressEvery?: number;
}

function outcomeColumn(rows: readonly CustomerRow[], column: string, numbering: RowNumbering, check: (v: number) => boolean, expected: string): number[] {
  return rows.map((row, r) => {
    const raw = row[column];
    const v = cellNumber(raw);
    if (!check(v)) {
      const line = lineOf(numbering, r);
      throw new DataError(`row ${line}, column "${column}": expected ${expected}, got ${JSON.stringify(raw)} (compute it with cvnet features --horizon)`, { row: line, column });
    }
    return v;
  });
}

/** future_purchase (0/1) and future_spend (≥ 0) of every row. */
export function futureOutcomes(rows: readonly CustomerRow[], numbering: RowNumbering = {}): { purchase: number[]; spend: number[] } {
  return {
    purchase: outcomeColumn(rows, FUTURE_PURCHASE, numbering, (v) => v === 0 || v === 1, '0 or 1'),
    spend: outcomeColumn(rows, FUTURE_SPEND, numbering, (v) => v >= 0 && Number.isFinite(v), 'a spend ≥ 0'),
  };
}

/**
 * Fits the indicator system on `rows`, scores them and trains the
 * n–(2n+1)–2 network on every customer's purchase and spend-rank targets.
 *
 * @throws ConfigError / DataError from fitting; DataError for missing outcomes.
 */
export function trainPredictive(engine: Engine, config: ProjectConfig, rows: readonly CustomerRow[], options: TrainPredictiveOptions = {}): PredictiveModel {
  const numbering = options.numbering ?? {};
  if (rows.length < 2) throw new DataError(`${rows.length} training customer(s); at least 2 are needed`);
  const { system, warnings } = fitIndicatorSystem(config, rows, numbering);
  const scores = scoreCustomers(system, rows, numbering);
  const { purchase, spend } = futureOutcomes(rows, numbering);
  const rank = spendRankTargets(spend);
  const n = scores.indicators.length;
  const ranges = fitMinMax(scores.values, rows.length, n);
  const inputs = applyMinMax(scores.values, ranges);
  const targets = new Float64Array(rows.length * 2);
  rows.forEach((_, q) => {
    targets[2 * q] = purchase[q]!;
    targets[2 * q + 1] = rank[q]!;
  });
  const seed = options.seed ?? config.seed;
  const { hidden = 2 * n + 1, ...training } = config.training ?? {};
  const params = resolveTraingdxParams({ ...training, ...(options.epochs === undefined ? {} : { epochs: options.epochs }) });
  const network = createNetwork(
    { inputs: n, sizes: [hidden, 2], transfers: ['tansig', 'logsig'] },
    // Constant score columns scale to 0; Nguyen–Widrow leaves them out, as MATLAB's initnw does.
    { seed, inputRanges: ranges.min.map((lo, j) => [0, ranges.max[j]! > lo ? 1 : 0] as const) },
  );
  const result = engine.train(network, { samples: rows.length, inputs, targets }, {
    params,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.progressEvery === undefined ? {} : { progressEvery: options.progressEvery }),
  });
  const model = networkToModel(result.network, {
    inputs: { names: scores.indicators, min: ranges.min, max: ranges.max },
    outputs: { names: [...PREDICTIVE_OUTPUTS] },
    training: trainingRecord(result, params, { seed, samples: { training: rows.length, validation: 0 } }),
  });
  const weights = computeWeights(config).weights;
  return { model, system, weights, currentValue: [...config.currentValue], thresholds: config.thresholds, k: PREDICTIVE_K, result, warnings };
}

export interface PredictiveScores {
  ids: string[];
  purchase: number[];
  spendRank: number[];
  K: number[];
  class: CustomerClass[];
  /** Current value C (1–5) on the training scale. */
  C: number[];
}

/**
 * Scores customers with a predictive model: indicator scores on the training
 * scale (the fitted cut points), both outputs, K, class, and C.
 */
export function scorePredictive(engine: Engine, trained: PredictiveModel, rows: readonly CustomerRow[], numbering: RowNumbering = {}): PredictiveScores {
  const scores = scoreCustomers(trained.system, rows, numbering);
  const y = engine.forward(modelToNetwork(trained.model), applyMinMax(scores.values, trained.model.inputs), rows.length);
  const purchase = scores.ids.map((_, q) => y[2 * q]!);
  const spendRank = scores.ids.map((_, q) => y[2 * q + 1]!);
  const K = purchase.map((p, q) => combineK(p, spendRank[q]!));
  const C = currentValues(scores, currentValueWeights(trained.weights, trained.currentValue));
  return { ids: [...scores.ids], purchase, spendRank, K, class: K.map((k) => classOf(k, trained.thresholds)), C };
}
