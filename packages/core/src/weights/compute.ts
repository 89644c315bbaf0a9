/**
 * Global indicator weights from the config: given directly, averaged over
 * experts, or derived with AHP (dimension weight × indicator weight).
 */
import type { ProjectConfig } from '../indicators/config.js';
import { ConfigError } from '../errors.js';
import { ahpWeights } from './ahp.js';

/** One AHP matrix's result, for reports. */
export interface MatrixReport {
  /** `dimensions` or `within.<dimension id>`. */
  name: string;
  /** Ids of the items compared, in matrix order. */
  items: string[];
  cr: number;
  ci: number;
  lambdaMax: number;
  weights: number[];
}

export interface ComputedWeights {
  /** Global weight per indicator id; sums to 1. */
  weights: Record<string, number>;
  /** AHP matrices (empty for final or expert weights). */
  matrices: MatrixReport[];
}

/** Tolerance on the sum of directly given weights. */
const SUM_TOLERANCE = 1e-6;

/**
 * @throws ConfigError when final weights do not sum to 1 (±1e-6), expert
 *   weights are all zero, or an AHP matrix is malformed or has CR > 0.1.
 */
export function computeWeights(config: ProjectConfig): ComputedWeights {
  const ids = config.indicators.map((i) => i.id);
  const w = config.weights;
  if (w.type === 'final') {
    const sum = ids.reduce((s, id) => s + (w.values[id] ?? 0), 0);
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new ConfigError(`weights.values sum to ${sum}, expected 1 (±${SUM_TOLERANCE}); rescale them or use "experts" weights, which are normalised`, {
        path: 'weights.values',
      });
    }
    return { weights: Object.fromEntries(ids.map((id) => [id, w.values[id] ?? 0])), matrices: [] };
  }
  if (w.type === 'experts') {
    const mean = ids.map((id) => w.experts.reduce((s, e) => s + (e.values[id] ?? 0), 0) / w.experts.length);
    const sum = mean.reduce((s, x) => s + x, 0);
    if (!(sum > 0)) throw new ConfigError('weights.experts: every weight is 0, so they cannot be normalised', { path: 'weights.experts' });
    return { weights: Object.fromEntries(ids.map((id, k) => [id, mean[k]! / sum])), matrices: [] };
  }
  const dimIds = config.dimensions.map((d) => d.id);
  const matrices: MatrixReport[] = [];
  const analyse = (name: string, items: string[], m: readonly (readonly number[])[]): number[] => {
    if (m.length !== items.length) {
      throw new ConfigError(`AHP matrix "${name}" is ${m.length}×${m[0]?.length ?? 0}, expected ${items.length}×${items.length} for ${items.join(', ')} (in config order)`, {
        path: `weights.${name}`,
      });
    }
    const r = ahpWeights(m, name);
    matrices.push({ name, items, cr: r.cr, ci: r.ci, lambdaMax: r.lambdaMax, weights: r.weights });
    return r.weights;
  };
  const dimWeights = analyse('dimensions', dimIds, w.dimensions);
  const weights: Record<string, number> = {};
  dimIds.forEach((d, k) => {
    const members = config.indicators.filter((i) => i.dimension === d).map((i) => i.id);
    const m = w.within[d];
    if (!m && members.length > 1) {
      throw new ConfigError(`weights.within has no matrix for dimension "${d}" (${members.length} indicators: ${members.join(', ')})`, {
        path: `weights.within.${d}`,
      });
    }
    // A single indicator takes its dimension's whole weight; no judgement needed.
    const local = m ? analyse(`within.${d}`, members, m) : [1];
    members.forEach((id, j) => (weights[id] = dimWeights[k]! * local[j]!));
  });
  return { weights: Object.fromEntries(ids.map((id) => [id, weights[id]!])), matrices };
}
