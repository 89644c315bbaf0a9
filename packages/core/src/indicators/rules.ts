/**
 * Scoring rules made concrete. A fitted rule holds everything needed to score
 * a new customer on exactly the training scale: quantiles become explicit
 * cut points, "median" for missing values becomes a fixed score.
 */
import type { Direction } from './config.js';

/** Already a 1–5 integer; anything else is an error. */
export interface FittedLikert {
  readonly type: 'likert';
  /** Score for an empty value; `null` → empty values are an error. */
  readonly missingScore: number | null;
}

/**
 * Value v falls in group g = number of cut points strictly below v (so a cut
 * point is the inclusive upper bound of its group) and scores `scores[g]`.
 */
export interface FittedCuts {
  readonly type: 'cuts';
  /** Strictly ascending. */
  readonly cuts: readonly number[];
  /** One more than `cuts`, each 1–5. */
  readonly scores: readonly number[];
  readonly missingScore: number | null;
}

export interface FittedCategorical {
  readonly type: 'categorical';
  readonly map: Readonly<Record<string, number>>;
  /** Score for a value not in `map`; `null` → unknown values are an error. */
  readonly default: number | null;
  readonly missingScore: number | null;
}

export type FittedRule = FittedLikert | FittedCuts | FittedCategorical;

/**
 * Spreads group q (1..k) of k ordered groups over the 1–5 scale,
 * reversed when lower raw values are better. For k = 5 this is q itself.
 */
export function groupScore(q: number, k: number, direction: Direction): number {
  const r = direction === 'higher' ? q : k + 1 - q;
  return k === 1 ? 3 : Math.round(1 + (4 * (r - 1)) / (k - 1));
}

/** Scores for explicit cut points (m cuts → m + 1 groups). */
export function cutsRule(cuts: readonly number[], direction: Direction, missingScore: number | null): FittedCuts {
  const k = cuts.length + 1;
  return { type: 'cuts', cuts: [...cuts], scores: cuts.map((_, g) => groupScore(g + 1, k, direction)).concat(groupScore(k, k, direction)), missingScore };
}

/** Result of fitting quantile cut points. */
export interface QuantileFit {
  readonly rule: FittedCuts;
  /** Distinct cut points found; fewer than count − 1 means ties merged groups. */
  readonly distinct: number;
}

/**
 * Quantile cut points fitted on `values` (non-empty). The j-th cut is the
 * largest value among the lowest ⌈j·n/count⌉ values, so equal values always
 * share a group. When ties make cuts coincide they are merged and each
 * remaining group keeps the score of the highest quantile it reaches into
 * (1 + number of original cuts below its values), so a rare high value still
 * scores high.
 */
export function fitQuantiles(values: readonly number[], count: number, direction: Direction, missingScore: number | null): QuantileFit {
  const x = [...values].sort((a, b) => a - b);
  const n = x.length;
  const raw: number[] = [];
  for (let j = 1; j < count; j++) raw.push(x[Math.ceil((j * n) / count) - 1]!);
  const cuts = [...new Set(raw)];
  // Group 0 (v ≤ cuts[0]) is quantile 1; group g > 0 holds values above
  // cuts[g-1], which exceed every original cut ≤ cuts[g-1].
  const scores = [groupScore(1, count, direction)];
  for (const c of cuts) scores.push(groupScore(1 + raw.filter((r) => r <= c).length, count, direction));
  return { rule: { type: 'cuts', cuts, scores, missingScore }, distinct: cuts.length };
}

/** The score of a numeric value under a cuts rule. */
export function applyCuts(rule: FittedCuts, v: number): number {
  let g = 0;
  while (g < rule.cuts.length && rule.cuts[g]! < v) g++;
  return rule.scores[g]!;
}

/**
 * The score of a numeric value under a cuts rule, or under a likert rule
 * the value itself when it is an integer 1–5 (else null: not a score).
 */
export function numericScore(rule: FittedCuts | FittedLikert, v: number): number | null {
  if (rule.type === 'cuts') return applyCuts(rule, v);
  return Number.isInteger(v) && v >= 1 && v <= 5 ? v : null;
}

/**
 * The score of a (trimmed, non-empty) value under a categorical rule, or
 * null when it is unknown and the rule has no default. Only the map's own
 * keys count: a value such as "toString" is not in any map.
 */
export function categoricalScore(rule: FittedCategorical, value: string): number | null {
  return Object.hasOwn(rule.map, value) ? rule.map[value]! : rule.default;
}

/** Lower median of scores (an actual score, so still an integer 1–5). */
export function medianScore(scores: readonly number[]): number {
  const s = [...scores].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}
