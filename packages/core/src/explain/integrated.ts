/**
 * Per-customer explanations: how much each indicator adds to K, by
 * integrated gradients (Sundararajan et al., 2017) from a baseline customer.
 *
 * contribution_j = (x_j − b_j) · ∫₀¹ ∂K/∂x_j (b + α(x − b)) dα
 *
 * The contributions sum to K(x) − K(b) exactly (the path integral of a
 * gradient); the integral is taken with composite 8-point Gauss–Legendre
 * quadrature, doubling the panels until the contributions stop changing, so
 * the sum matches to about 1e-9. Because min–max scaling is affine per
 * indicator and the path is a straight line, the contributions are the same
 * whether measured on the normalised inputs or on the 1–5 scores.
 */
import { ModelError, OptionsError } from '../errors.js';
import { networkOf } from '../method/model-network.js';
import { applyMinMax } from '../model/normalize.js';
import type { Model } from '../model/schema.js';
import { createInputGradient, type InputGradient } from './gradient.js';

/** 8-point Gauss–Legendre nodes (±) and weights on [−1, 1]. */
const GL_X = [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

/**
 * The baseline customer: `"min"` = the lowest training score of every
 * indicator (all-zero normalised input: "the weakest customer the model was
 * trained on", so contributions read as "what lifts K above the floor");
 * `"mean"` = the mean scores of the customers being explained; or explicit
 * scores, one per indicator in model input order.
 */
export type Baseline = 'min' | 'mean' | readonly number[];

export interface ExplainOptions {
  /** @default "min" */
  baseline?: Baseline;
  /** Stop refining when no contribution changes by more than this. @default 1e-10 */
  tolerance?: number;
  /** Upper limit on quadrature panels (8 gradient evaluations each). @default 512 */
  maxPanels?: number;
}

export interface CustomerExplanation {
  /** K of the customer, by the TypeScript forward pass (equal to the engine's to ~1e-15). */
  K: number;
  /** Contribution to K per indicator, model input order. */
  contributions: number[];
  /** Σ contributions − (K − K_base): the quadrature error, typically < 1e-12. */
  residual: number;
}

export interface Explanations {
  /** Indicator ids, model input order. */
  indicators: string[];
  /** Baseline scores per indicator. */
  baseline: number[];
  /** K of the baseline customer. */
  kBase: number;
  customers: CustomerExplanation[];
}

/** Rows of scores as one row-major matrix. */
export function toMatrix(scores: Float64Array | readonly (readonly number[])[], width: number): Float64Array {
  if (scores instanceof Float64Array) {
    if (scores.length % Math.max(1, width) !== 0) throw new OptionsError(`scores have ${scores.length} values, not a multiple of ${width} indicators`);
    return scores;
  }
  const out = new Float64Array(scores.length * width);
  scores.forEach((row, r) => {
    if (row.length !== width) throw new OptionsError(`customer ${r + 1} has ${row.length} scores, expected ${width} (one per indicator)`);
    out.set(row, r * width);
  });
  return out;
}

/** Integrated gradients of a one-output network at x from b (both normalised), with `panels` panels. */
function integrate(grad: InputGradient, x: Float64Array, b: Float64Array, panels: number): Float64Array {
  const n = x.length;
  const sum = new Float64Array(n);
  const point = new Float64Array(n);
  const h = 1 / panels;
  for (let p = 0; p < panels; p++) {
    const mid = (p + 0.5) * h;
    for (let q = 0; q < 8; q++) {
      const alpha = mid + (q < 4 ? -1 : 1) * GL_X[q % 4]! * (h / 2);
      const w = GL_W[q % 4]! * (h / 2);
      for (let j = 0; j < n; j++) point[j] = b[j]! + alpha * (x[j]! - b[j]!);
      const { gradient } = grad(point);
      for (let j = 0; j < n; j++) sum[j]! += w * gradient[j]!;
    }
  }
  for (let j = 0; j < n; j++) sum[j] = sum[j]! * (x[j]! - b[j]!);
  return sum;
}

/**
 * Explains K of each customer as a sum of indicator contributions.
 *
 * @param scores indicator scores (1–5), model input order: rows of numbers
 *   (e.g. `batch.customers.map((c) => c.scores)`) or a row-major matrix.
 * @throws ModelError for a model with more than one output; OptionsError for
 *   a baseline of the wrong length or bad options.
 */
export function explainCustomers(model: Model, scores: Float64Array | readonly (readonly number[])[], options: ExplainOptions = {}): Explanations {
  const net = networkOf(model);
  if (net.sizes[net.sizes.length - 1] !== 1) throw new ModelError(`explanations need a model with one output (K); this one has ${net.sizes[net.sizes.length - 1]}`);
  const n = net.inputs;
  const matrix = toMatrix(scores, n);
  const rows = matrix.length / n;
  const tolerance = options.tolerance ?? 1e-10;
  const maxPanels = options.maxPanels ?? 512;
  if (!(tolerance > 0)) throw new OptionsError(`tolerance must be > 0, got ${tolerance}`);
  if (!Number.isInteger(maxPanels) || maxPanels < 1) throw new OptionsError(`maxPanels must be a positive integer, got ${maxPanels}`);

  const spec = options.baseline ?? 'min';
  let baseScores: number[];
  if (spec === 'min') baseScores = [...model.inputs.min];
  else if (spec === 'mean') {
    if (rows === 0) throw new OptionsError('a "mean" baseline needs at least one customer');
    baseScores = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let r = 0; r < rows; r++) s += matrix[r * n + j]!;
      return s / rows;
    });
  } else {
    if (spec.length !== n) throw new OptionsError(`baseline has ${spec.length} scores, expected ${n} (one per indicator: ${model.inputs.names.join(', ')})`);
    baseScores = [...spec];
  }
  const b = applyMinMax(Float64Array.from(baseScores), model.inputs, { clamp: true });
  const grad = createInputGradient(net);
  const kBase = grad(b).y;
  const normalised = applyMinMax(matrix, model.inputs, { clamp: true });

  const customers: CustomerExplanation[] = [];
  for (let r = 0; r < rows; r++) {
    const x = normalised.subarray(r * n, (r + 1) * n);
    const K = grad(x).y;
    let panels = 1;
    let c = integrate(grad, x, b, panels);
    while (panels < maxPanels) {
      panels *= 2;
      const finer = integrate(grad, x, b, panels);
      const change = finer.reduce((m, v, j) => Math.max(m, Math.abs(v - c[j]!)), 0);
      c = finer;
      if (change <= tolerance) break;
    }
    const contributions = Array.from(c);
    customers.push({ K, contributions, residual: contributions.reduce((s, v) => s + v, 0) - (K - kBase) });
  }
  return { indicators: [...model.inputs.names], baseline: baseScores, kBase, customers };
}

/** Extra columns of `cvnet classify --explain`: `K_base`, then `contrib:<indicator id>` per indicator. */
export function explanationHeader(indicators: readonly string[]): string[] {
  return ['K_base', ...indicators.map((id) => `contrib:${id}`)];
}

/** The values under {@link explanationHeader} for customer `i`. */
export function explanationFields(ex: Explanations, i: number): number[] {
  return [ex.kBase, ...ex.customers[i]!.contributions];
}

/** Customer `i`'s explanation as a JSON object (for `/v1/score?explain=true`). */
export function explanationObject(ex: Explanations, i: number): { K_base: number; contributions: Record<string, number> } {
  return { K_base: ex.kBase, contributions: Object.fromEntries(ex.indicators.map((id, j) => [id, ex.customers[i]!.contributions[j]!])) };
}
