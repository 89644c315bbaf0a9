/**
 * Stratified sampling by band of C and the train/test split.
 */
import { DataError } from '../errors.js';
import { BANDS, type Band } from './current.js';
import { createPrng } from '../network/prng.js';
import { shuffled } from './shuffle.js';

/** Fewer sampled customers than this cannot train and test a network. */
export const MIN_SAMPLE = 10;
/** Fewer test customers than this give no meaningful test error. */
export const MIN_TEST = 2;

export interface StratifiedSample {
  /** Row indices of the sampled customers, ascending (data order). */
  indices: number[];
  perBand: { band: Band; population: number; sampled: number }[];
  /** E.g. empty bands. */
  warnings: string[];
}

/**
 * Takes round(fraction · count) customers from every band (at least 1 from
 * a non-empty band), chosen by a shuffle seeded with the shared sfc32 PRNG.
 *
 * @param bands band of every customer, in data order.
 * @throws DataError when the sample has fewer than {@link MIN_SAMPLE} customers.
 */
export function stratifiedSample(bands: readonly Band[], fraction: number, seed: number): StratifiedSample {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`sample fraction ${fraction} must be in (0, 1]`);
  const prng = createPrng(seed);
  const indices: number[] = [];
  const warnings: string[] = [];
  const perBand = BANDS.map((b) => {
    const members = bands.flatMap((x, i) => (x === b ? [i] : []));
    if (members.length === 0) {
      warnings.push(`band ${b} (${b === 5 ? 'C = 5' : `C in [${b}, ${b + 1})`}) has no customers, so the sample has none either`);
      return { band: b, population: 0, sampled: 0 };
    }
    const take = Math.max(1, Math.round(fraction * members.length));
    indices.push(...shuffled(members, prng).slice(0, take));
    return { band: b, population: members.length, sampled: take };
  });
  if (indices.length < MIN_SAMPLE) {
    throw new DataError(
      `the stratified sample has ${indices.length} customer(s) (${bands.length} customers × fraction ${fraction}); at least ${MIN_SAMPLE} are needed to train and test`,
    );
  }
  indices.sort((a, b) => a - b);
  return { indices, perBand, warnings };
}

export interface SplitOptions {
  /**
   * Shuffle before splitting; off by default because the study trained on
   * the first 229 of its 274 sampled customers in order.
   * @default false
   */
  shuffle?: boolean;
  /** @default 1 */
  seed?: number;
}

/**
 * Splits sampled indices into the first round(trainShare · n) for training
 * and the rest for testing.
 *
 * @throws DataError when either part would be too small.
 */
export function splitTrainTest(indices: readonly number[], trainShare: number, options: SplitOptions = {}): { train: number[]; test: number[] } {
  if (!(trainShare > 0 && trainShare < 1)) throw new RangeError(`train share ${trainShare} must be in (0, 1)`);
  const order = options.shuffle ? shuffled(indices, createPrng(options.seed ?? 1)) : [...indices];
  const nTrain = Math.round(trainShare * order.length);
  const nTest = order.length - nTrain;
  if (nTest < MIN_TEST || nTrain < MIN_TEST) {
    throw new DataError(
      `splitting ${order.length} sampled customers with train share ${trainShare} gives ${nTrain} training and ${nTest} test customers; at least ${MIN_TEST} of each are needed`,
    );
  }
  return { train: order.slice(0, nTrain), test: order.slice(nTrain) };
}
