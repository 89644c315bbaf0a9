/**
 * The backtest straight from a transaction log: one DuckDB pass over the
 * lines, features at two cuts (training and as-of), then the runtime-agnostic
 * backtest. Nothing after as-of reaches the training.
 */
import type { ProjectConfig } from '../indicators/config.js';
import { ConfigError, DataError } from '../errors.js';
import type { Engine, ProgressCallback } from '../network/types.js';
import { runBacktest, type BacktestResult } from '../backtest/backtest.js';
import type { BacktestSetup } from '../backtest/report.js';
import type { PredictiveModel } from '../backtest/predictive.js';
import { transactionConfig } from './config.js';
import { addDays, checkAsOf, daysBetween, FeatureSession, type FeatureSessionOptions, type FeatureSummary } from './session.js';

export interface TransactionBacktestOptions extends FeatureSessionOptions {
  /** @default {@link transactionConfig} of the columns the source yields */
  config?: ProjectConfig;
  engine: Engine;
  asOf: string;
  horizonDays: number;
  /**
   * Days of outcomes the network learns from, ending on as-of; features for
   * training are taken at as-of minus this.
   * @default min(horizon, half the days from the first transaction to as-of)
   */
  trainHorizonDays?: number;
  /** @default config.training.epochs ?? 1000 */
  epochs?: number;
  /** @default config.seed */
  seed?: number;
  onEpoch?: ProgressCallback;
  progressEvery?: number;
}

export interface TransactionBacktest {
  result: BacktestResult;
  trained: PredictiveModel;
  setup: BacktestSetup;
  config: ProjectConfig;
  /** Where the lines went (for the as-of cut and horizon). */
  summary: FeatureSummary;
  /** Caveats on the figures (the data ending inside the horizon). */
  warnings: string[];
}

/**
 * Runs the backtest on a transaction file.
 *
 * @throws ConfigError for bad dates or horizons (one the data ends before);
 *   DataError when a cut leaves no customers; whatever reading, fitting or
 *   training throws.
 */
export async function backtestTransactions(options: TransactionBacktestOptions): Promise<TransactionBacktest> {
  checkAsOf(options.asOf);
  if (!(Number.isInteger(options.horizonDays) && options.horizonDays >= 1)) {
    throw new ConfigError(`horizon must be a whole number of days ≥ 1, got ${options.horizonDays}`);
  }
  const session = await FeatureSession.open(options);
  try {
    const windowDays = options.mapping.windowDays;
    const summary = await session.summary({ asOf: options.asOf, windowDays, horizonDays: options.horizonDays });
    if (summary.span.first === null || summary.span.last === null) throw new DataError(`${options.input}: no usable transaction lines`);
    const warnings = horizonWarnings(options.input, summary.span.last.slice(0, 10), options.asOf, options.horizonDays);
    const history = daysBetween(summary.span.first.slice(0, 10), options.asOf);
    const trainHorizonDays = options.trainHorizonDays ?? Math.min(options.horizonDays, Math.floor(history / 2));
    if (!(Number.isInteger(trainHorizonDays) && trainHorizonDays >= 1 && trainHorizonDays < history)) {
      throw new ConfigError(
        `training horizon ${trainHorizonDays} days does not fit: the data starts ${summary.span.first.slice(0, 10)}, ${history} day(s) before as-of ${options.asOf}; it must be at least 1 and leave history before the training cut`,
      );
    }
    const trainCut = addDays(options.asOf, -trainHorizonDays);
    const train = await session.customers({ asOf: trainCut, windowDays, horizonDays: trainHorizonDays });
    const test = await session.customers({ asOf: options.asOf, windowDays, horizonDays: options.horizonDays });
    if (train.rows.length < 2) throw new DataError(`${options.input}: ${train.rows.length} customer(s) at the training cut ${trainCut}; at least 2 are needed`);
    const config = options.config ?? transactionConfig(session.indicatorColumns(), options.seed);
    const { trained, ...result } = runBacktest(options.engine, config, train.rows, test.rows, {
      ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.onEpoch === undefined ? {} : { onProgress: options.onEpoch }),
      ...(options.progressEvery === undefined ? {} : { progressEvery: options.progressEvery }),
    });
    return { result, trained, config, setup: { input: options.input, asOf: options.asOf, horizonDays: options.horizonDays, trainCut, trainHorizonDays }, summary, warnings };
  } finally {
    await session.close();
  }
}

/**
 * The horizon's purchases are what the backtest measures (and what
 * `cvnet features --horizon` writes as outcomes). A horizon that starts
 * after the last transaction has none to measure (every customer looks
 * lost, every figure is NaN), so it is refused; one the data ends inside
 * undercounts future spend, which the figures should say.
 *
 * @throws ConfigError for a horizon that starts after `lastDay`.
 */
export function horizonWarnings(input: string, lastDay: string, asOf: string, horizonDays: number): string[] {
  const start = addDays(asOf, 1);
  const end = addDays(asOf, horizonDays);
  if (lastDay < start) {
    throw new ConfigError(`${input}: the horizon ${start} … ${end} starts after the last transaction (${lastDay}); choose an as-of before ${lastDay}`);
  }
  if (lastDay >= end) return [];
  return [`${input}: the data ends ${lastDay}, inside the horizon ${start} … ${end}: only ${daysBetween(asOf, lastDay)} of its ${horizonDays} days are observed, so future spend and purchases are undercounted`];
}
