/**
 * The checks of fitted rules and class thresholds that JSON Schema cannot
 * state. The zod schemas refine with these very functions, and the fast
 * model reader (model/fast-parse.ts) runs them too, so that both accept
 * the same files; the validator generator refuses any other refinement.
 */

/** Strictly ascending numbers. */
export const ascending = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

/** A fitted cuts rule has one score more than it has cut points. */
export const scoresFitCuts = (rule: { readonly cuts: readonly number[]; readonly scores: readonly number[] }): boolean =>
  rule.scores.length === rule.cuts.length + 1;

/** A fitted cuts rule's cut points are strictly ascending. */
export const cutsAscending = (rule: { readonly cuts: readonly number[] }): boolean => ascending(rule.cuts);

/** Class thresholds in order: A above B above C. */
export const thresholdsOrdered = (t: { readonly A: number; readonly B: number; readonly C: number }): boolean => t.A > t.B && t.B > t.C;
