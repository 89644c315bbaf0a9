/**
 * Figures that check a customer score against what customers did next:
 * rank correlation with future spend, AUC for "bought again", and the share
 * of future revenue captured by the best-scored customers. Plain arrays in,
 * numbers out; no runtime dependencies.
 */

/**
 * Ranks 1..n with ties given the average of the ranks they span
 * (the "fractional ranking" Spearman's ρ and Mann–Whitney's U use).
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

function checkPairs(a: readonly number[], b: readonly number[], what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: ${a.length} scores but ${b.length} outcomes`);
  if (a.some((x) => Number.isNaN(x)) || b.some((x) => Number.isNaN(x))) throw new RangeError(`${what}: NaN in the input`);
}

/** Pearson correlation; NaN when either side is constant or there are < 2 values. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPairs(x, y, 'pearson');
  const n = x.length;
  if (n < 2) return NaN;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Spearman's ρ: Pearson correlation of average ranks (exact with ties). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPairs(x, y, 'spearman');
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Area under the ROC curve of `score` for the 0/1 `outcome`, by
 * Mann–Whitney: the probability that a random positive scores above a random
 * negative, ties counting one half. NaN without both classes.
 */
export function auc(score: readonly number[], outcome: readonly number[]): number {
  checkPairs(score, outcome, 'auc');
  if (outcome.some((o) => o !== 0 && o !== 1)) throw new RangeError('auc: outcomes must be 0 or 1');
  const positives = outcome.filter((o) => o === 1).length;
  const negatives = outcome.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const ranks = averageRanks(score);
  const rankSum = ranks.reduce((s, r, i) => s + (outcome[i] === 1 ? r : 0), 0);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Customer indices best first: score descending, ties broken by id ascending
 * so that equal scores (RFM sums tie a lot) give the same order every run.
 */
export function rankOrder(score: readonly number[], ids: readonly string[]): number[] {
  if (score.length !== ids.length) throw new RangeError(`${score.length} scores but ${ids.length} ids`);
  return score.map((_, i) => i).sort((a, b) => score[b]! - score[a]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
}

const total = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0);

function checkRevenue(revenue: readonly number[]): number {
  if (revenue.some((r) => !(r >= 0))) throw new RangeError('future revenue must be ≥ 0 for every customer');
  return total(revenue);
}

/**
 * Share of the total future revenue that the top ⌈fraction · n⌉ customers
 * by score brought (order from {@link rankOrder}). NaN when nobody spent.
 */
export function captureTop(score: readonly number[], ids: readonly string[], revenue: readonly number[], fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction ${fraction} must be in [0, 1]`);
  const sum = checkRevenue(revenue);
  if (sum === 0) return NaN;
  const order = rankOrder(score, ids);
  const k = Math.ceil(fraction * order.length - 1e-9);
  return total(order.slice(0, k).map((i) => revenue[i]!)) / sum;
}

/** Share of the total future revenue brought by the customers in `selected`. NaN when nobody spent. */
export function captureWhere(selected: readonly boolean[], revenue: readonly number[]): number {
  if (selected.length !== revenue.length) throw new RangeError(`${selected.length} flags but ${revenue.length} customers`);
  const sum = checkRevenue(revenue);
  if (sum === 0) return NaN;
  return total(revenue.filter((_, i) => selected[i])) / sum;
}

/**
 * The cumulative capture curve: point k (0..points) is the revenue share of
 * the top ⌈k/points · n⌉ customers.
 */
export function captureCurve(score: readonly number[], ids: readonly string[], revenue: readonly number[], points = 100): number[] {
  const sum = checkRevenue(revenue);
  const order = rankOrder(score, ids);
  const cumulative = [0];
  for (const i of order) cumulative.push(cumulative[cumulative.length - 1]! + revenue[i]!);
  return Array.from({ length: points + 1 }, (_, k) => (sum === 0 ? NaN : cumulative[Math.ceil((k / points) * order.length - 1e-9)]! / sum));
}

export interface CalibrationBin {
  /** Customers in the bin. */
  n: number;
  /** Mean predicted probability. */
  predicted: number;
  /** Share who actually bought. */
  observed: number;
}

/**
 * Calibration by quantile bins of the predicted probability: customers
 * sorted by probability (ties by index) and cut into `bins` groups of
 * near-equal size; empty bins are left out.
 */
export function calibration(probability: readonly number[], outcome: readonly number[], bins = 10): CalibrationBin[] {
  checkPairs(probability, outcome, 'calibration');
  const order = probability.map((_, i) => i).sort((a, b) => probability[a]! - probability[b]! || a - b);
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const members = order.slice(Math.floor((b * order.length) / bins), Math.floor(((b + 1) * order.length) / bins));
    if (members.length === 0) continue;
    out.push({
      n: members.length,
      predicted: total(members.map((i) => probability[i]!)) / members.length,
      observed: total(members.map((i) => outcome[i]!)) / members.length,
    });
  }
  return out;
}
