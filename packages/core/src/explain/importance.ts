/**
 * Global importance: how much the test-set error grows when one indicator's
 * column is shuffled (Breiman's permutation importance), averaged over
 * seeded repeats. Model-agnostic and cheap: one forward pass per shuffle.
 */
import { OptionsError } from '../errors.js';
import { networkOf } from '../method/model-network.js';
import { shuffled } from '../method/shuffle.js';
import { applyMinMax } from '../model/normalize.js';
import type { Model } from '../model/schema.js';
import { createPrng } from '../network/prng.js';
import type { Engine } from '../network/types.js';
import { escapeHtml as esc, fmt } from '../report/escape.js';
import { hbarChart } from '../report/svg.js';
import { toMatrix } from './integrated.js';

export interface ImportanceOptions {
  /** Seed of the shuffles. @default 1 */
  seed?: number;
  /** Shuffles per indicator. @default 10 */
  repeats?: number;
}

export interface IndicatorImportance {
  id: string;
  /** Mean increase of the MSE of K when the indicator is shuffled (can be slightly negative by chance). */
  importance: number;
  /** Standard deviation of that increase over the repeats. */
  std: number;
}

export interface PermutationImportance {
  /** MSE of K against the target with nothing shuffled. */
  mse: number;
  samples: number;
  repeats: number;
  seed: number;
  /** Model input order. */
  indicators: IndicatorImportance[];
}

function mse(y: Float64Array, t: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (y[i]! - t[i]!) ** 2;
  return s / t.length;
}

/**
 * Permutation importance of every indicator on a labelled set (the test part
 * of the sample, with its target K).
 *
 * @param scores indicator scores (1–5), model input order.
 * @param target target K per customer.
 * @throws OptionsError for mismatched lengths, fewer than 2 customers or bad options.
 */
export function permutationImportance(
  engine: Engine,
  model: Model,
  scores: Float64Array | readonly (readonly number[])[],
  target: readonly number[],
  options: ImportanceOptions = {},
): PermutationImportance {
  const n = model.inputs.names.length;
  const matrix = toMatrix(scores, n);
  const rows = matrix.length / n;
  if (rows !== target.length) throw new OptionsError(`${rows} customers but ${target.length} target values`);
  if (rows < 2) throw new OptionsError(`permutation importance needs at least 2 customers, got ${rows}`);
  const seed = options.seed ?? 1;
  const repeats = options.repeats ?? 10;
  if (!Number.isInteger(repeats) || repeats < 1) throw new OptionsError(`repeats must be a positive integer, got ${repeats}`);
  const net = networkOf(model);
  const x = applyMinMax(matrix, model.inputs, { clamp: true });
  const base = mse(engine.forward(net, x, rows), target);
  const rng = createPrng(seed);
  const work = new Float64Array(x);
  // Each repeat shuffles the previous order further (the same draws as shuffling in place).
  let order = Array.from({ length: rows }, (_, i) => i);
  const indicators = model.inputs.names.map((id, j): IndicatorImportance => {
    const deltas: number[] = [];
    for (let k = 0; k < repeats; k++) {
      order = shuffled(order, rng);
      for (let r = 0; r < rows; r++) work[r * n + j] = x[order[r]! * n + j]!;
      deltas.push(mse(engine.forward(net, work, rows), target) - base);
    }
    for (let r = 0; r < rows; r++) work[r * n + j] = x[r * n + j]!;
    const mean = deltas.reduce((s, d) => s + d, 0) / repeats;
    const std = Math.sqrt(deltas.reduce((s, d) => s + (d - mean) ** 2, 0) / repeats);
    return { id, importance: mean, std };
  });
  return { mse: base, samples: rows, repeats, seed, indicators };
}

/**
 * `<section id="importance">` for the HTML report: indicators by importance.
 * @param names display name per indicator id @default the ids
 */
export function renderImportanceSection(result: PermutationImportance, names: Readonly<Record<string, string>> = {}): string {
  const sorted = [...result.indicators].sort((a, b) => b.importance - a.importance);
  // The chart cannot draw below zero; a negative value only means "no effect" and stays in the table.
  const chart = hbarChart('Permutation importance (increase of test MSE)', sorted.map((i) => ({ label: names[i.id] ?? i.id, value: Math.max(0, i.importance) })), 5);
  const rows = sorted.map((i) => `<tr><td class="l">${esc(names[i.id] ?? i.id)}</td><td>${fmt(i.importance, 6)}</td><td>${fmt(i.std, 6)}</td></tr>`).join('');
  return (
    `<section id="importance"><h2>Indicator importance (permutation, test set)</h2>${chart}` +
    `<p>Each indicator's column was shuffled ${result.repeats} times (seed ${result.seed}) among the ${result.samples} test customers; the bar is the mean increase of the MSE of K over the unshuffled ${fmt(result.mse, 6)}.</p>` +
    `<table><tr><th class="l">Indicator</th><th>ΔMSE</th><th>std</th></tr>${rows}</table></section>`
  );
}
