/**
 * Classes A–D from the network's value K, their strategies, and evaluation
 * of predicted against target K.
 */
import type { ClassThresholds, Strategies } from '../indicators/config.js';
import { DEFAULT_STRATEGIES } from '../indicators/output-contract.js';

export type CustomerClass = 'A' | 'B' | 'C' | 'D';
export const CLASSES: readonly CustomerClass[] = ['A', 'B', 'C', 'D'];

export const DEFAULT_THRESHOLDS: ClassThresholds = { A: 0.75, B: 0.5, C: 0.25 };

/** The class of K: A when K ≥ thresholds.A, B when ≥ B, C when ≥ C, else D. */
export function classOf(k: number, thresholds: ClassThresholds = DEFAULT_THRESHOLDS): CustomerClass {
  if (Number.isNaN(k)) throw new RangeError('K is NaN; cannot classify');
  if (k >= thresholds.A) return 'A';
  if (k >= thresholds.B) return 'B';
  if (k >= thresholds.C) return 'C';
  return 'D';
}

/** The class of K and its marketing strategy. */
export function classify(
  k: number,
  thresholds: ClassThresholds = DEFAULT_THRESHOLDS,
  strategies: Strategies = DEFAULT_STRATEGIES,
): { class: CustomerClass; strategy: string } {
  const cls = classOf(k, thresholds);
  return { class: cls, strategy: strategies[cls] };
}

/** The middle of a class's K interval (A: 0.875 … D: 0.125 with default thresholds). */
export function classMidpoint(cls: CustomerClass, thresholds: ClassThresholds = DEFAULT_THRESHOLDS): number {
  const { A, B, C } = thresholds;
  return { A: (A + 1) / 2, B: (A + B) / 2, C: (B + C) / 2, D: C / 2 }[cls];
}

export interface Evaluation {
  n: number;
  /** Mean squared error of K (MATLAB's mse). */
  mse: number;
  /** Share of customers whose predicted class equals the actual class. */
  accuracy: number;
  /** confusion[actual][predicted], both in the order A, B, C, D. */
  confusion: number[][];
  classes: readonly CustomerClass[];
  /** Customers per actual class, per predicted class, and correctly classified per class. */
  actual: Record<CustomerClass, number>;
  predicted: Record<CustomerClass, number>;
  correct: Record<CustomerClass, number>;
}

const zeros = (): Record<CustomerClass, number> => ({ A: 0, B: 0, C: 0, D: 0 });

/**
 * Compares predicted with target K.
 *
 * @throws RangeError when the lengths differ or there are no customers.
 */
export function evaluate(kTrue: readonly number[], kPred: readonly number[], thresholds: ClassThresholds = DEFAULT_THRESHOLDS): Evaluation {
  if (kTrue.length !== kPred.length) throw new RangeError(`${kTrue.length} target values but ${kPred.length} predictions`);
  const n = kTrue.length;
  if (n === 0) throw new RangeError('nothing to evaluate: no customers');
  const confusion = CLASSES.map(() => CLASSES.map(() => 0));
  const actual = zeros();
  const predicted = zeros();
  const correct = zeros();
  let se = 0;
  for (let i = 0; i < n; i++) {
    const t = kTrue[i]!;
    const p = kPred[i]!;
    se += (t - p) ** 2;
    const a = classOf(t, thresholds);
    const b = classOf(p, thresholds);
    confusion[CLASSES.indexOf(a)]![CLASSES.indexOf(b)]!++;
    actual[a]++;
    predicted[b]++;
    if (a === b) correct[a]++;
  }
  const hits = CLASSES.reduce((s, c) => s + correct[c], 0);
  return { n, mse: se / n, accuracy: hits / n, confusion, classes: CLASSES, actual, predicted, correct };
}
