/**
 * The backtest: a predictive model trained on an earlier cut scores the
 * customers known at as-of, and three scores — the model's K, the plain RFM
 * score and the current value C — are compared with what those customers
 * spent after as-of.
 */
import type { ProjectConfig } from '../indicators/config.js';
import type { RowNumbering } from '../indicators/fit.js';
import { DataError } from '../errors.js';
import { applyCuts, fitQuantiles } from '../indicators/rules.js';
import { lineOf, numericValue, type CustomerRow } from '../indicators/source.js';
import { classOf } from '../method/classify.js';
import type { Engine, ProgressCallback } from '../network/types.js';
import { auc, calibration, captureCurve, captureTop, captureWhere, spearman, type CalibrationBin } from './metrics.js';
import { futureOutcomes, scorePredictive, trainPredictive, PREDICTIVE_K, type PredictiveModel } from './predictive.js';

/** The figures of one score (the `--json` contract; shares are fractions of future revenue). */
export interface BacktestFigures {
  /** Spearman's ρ of the score with future spend. */
  spearman: number;
  /** Share of future revenue from the customers in class A. */
  captureA: number;
  /** Share of future revenue from the top 10 % / 25 % of customers by score. */
  top10: number;
  top25: number;
  /** AUC of the score for "bought in the horizon" (the model: its purchase output). */
  auc: number;
}

export interface BacktestResult {
  model: BacktestFigures;
  rfm: BacktestFigures;
  current: BacktestFigures;
  /** Customers scored (known at as-of). */
  customers: number;
  details: {
    k: typeof PREDICTIVE_K;
    trainCustomers: number;
    /** Share of scored customers who bought in the horizon. */
    purchaseRate: number;
    futureRevenue: number;
    /** Customers in class A per score. */
    classA: { model: number; rfm: number; current: number };
    epochs: number;
    stop: string;
    /** Training MSE of the saved network (both outputs). */
    mse: number;
    warnings: string[];
  };
  /** Capture curves (101 points, 0 %…100 % of customers) and purchase-probability calibration (deciles). */
  charts: {
    capture: { model: number[]; rfm: number[]; current: number[]; oracle: number[] };
    calibration: CalibrationBin[];
  };
}

export interface BacktestOptions {
  /** traingdx epochs. @default config.training.epochs ?? 1000 */
  epochs?: number;
  /** @default config.seed */
  seed?: number;
  trainNumbering?: RowNumbering;
  testNumbering?: RowNumbering;
  onProgress?: ProgressCallback;
  progressEvery?: number;
}

function figures(score: readonly number[], ids: readonly string[], classA: readonly boolean[], spend: readonly number[], purchaseScore: readonly number[], purchase: readonly number[]): BacktestFigures {
  return {
    spearman: spearman(score, spend),
    captureA: captureWhere(classA, spend),
    top10: captureTop(score, ids, spend, 0.1),
    top25: captureTop(score, ids, spend, 0.25),
    auc: auc(purchaseScore, purchase),
  };
}

/**
 * The plain RFM score: the sum of the quintile scores (1–5, fitted on the
 * scored customers) of the config's current-value indicators, each in its
 * rule's direction (recency: fewer days score higher).
 */
export function rfmScores(config: ProjectConfig, rows: readonly CustomerRow[], numbering: RowNumbering = {}): number[] {
  const sums = new Array<number>(rows.length).fill(0);
  for (const id of config.currentValue) {
    const ind = config.indicators.find((i) => i.id === id)!;
    const direction = ind.rule.type === 'quantile' || ind.rule.type === 'cuts' ? ind.rule.direction : 'higher';
    const values = rows.map((row, r) => numericValue(ind.source, row, { line: lineOf(numbering, r), indicator: id }));
    const present = values.filter((v): v is number => v !== null);
    if (present.length === 0) throw new DataError(`RFM baseline: indicator "${id}" has no values`, { indicator: id });
    const rule = fitQuantiles(present, 5, direction, null).rule;
    // An empty value scores the middle quintile: the baseline must not fail where the model imputes.
    values.forEach((v, r) => {
      sums[r]! += v === null ? 3 : applyCuts(rule, v);
    });
  }
  return sums;
}

/**
 * Trains on `trainRows` (features at the training cut with outcomes up to
 * as-of) and evaluates on `testRows` (features at as-of with outcomes after
 * it). Both need future_spend and future_purchase columns.
 */
export function runBacktest(engine: Engine, config: ProjectConfig, trainRows: readonly CustomerRow[], testRows: readonly CustomerRow[], options: BacktestOptions = {}): BacktestResult & { trained: PredictiveModel } {
  if (testRows.length === 0) throw new DataError('no customers to score at as-of');
  const trained = trainPredictive(engine, config, trainRows, {
    ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.trainNumbering === undefined ? {} : { numbering: options.trainNumbering }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.progressEvery === undefined ? {} : { progressEvery: options.progressEvery }),
  });
  const scored = scorePredictive(engine, trained, testRows, options.testNumbering);
  const { purchase, spend } = futureOutcomes(testRows, options.testNumbering);
  const ids = scored.ids;
  const rfm = rfmScores(config, testRows, options.testNumbering);
  const m = config.currentValue.length;
  const t = config.thresholds;
  // RFM sums (m…5m) and C (1…5) map linearly onto [0, 1] for the same class thresholds as K.
  const rfmA = rfm.map((s) => classOf((s - m) / (4 * m), t) === 'A');
  const currentA = scored.C.map((c) => classOf((c - 1) / 4, t) === 'A');
  const modelA = scored.class.map((c) => c === 'A');
  const count = (xs: readonly boolean[]): number => xs.filter(Boolean).length;
  const history = trained.result.history.perf;
  return {
    model: figures(scored.K, ids, modelA, spend, scored.purchase, purchase),
    rfm: figures(rfm, ids, rfmA, spend, rfm, purchase),
    current: figures(scored.C, ids, currentA, spend, scored.C, purchase),
    customers: testRows.length,
    details: {
      k: PREDICTIVE_K,
      trainCustomers: trainRows.length,
      purchaseRate: purchase.reduce((s, v) => s + v, 0) / purchase.length,
      futureRevenue: spend.reduce((s, v) => s + v, 0),
      classA: { model: count(modelA), rfm: count(rfmA), current: count(currentA) },
      epochs: trained.result.epochs,
      stop: trained.result.stop,
      mse: history[trained.result.bestEpoch]!,
      warnings: trained.warnings,
    },
    charts: {
      capture: {
        model: captureCurve(scored.K, ids, spend),
        rfm: captureCurve(rfm, ids, spend),
        current: captureCurve(scored.C, ids, spend),
        oracle: captureCurve(spend, ids, spend),
      },
      calibration: calibration(scored.purchase, purchase),
    },
    trained,
  };
}
