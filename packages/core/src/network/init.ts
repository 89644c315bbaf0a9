import { OptionsError, ShapeError } from '../errors.js';
import { parameterCount, validateShape } from './options.js';
import { createPrng, type Prng } from './prng.js';
import { activeRange, outputRange } from './transfer.js';
import type { Network, NetworkShape, Transfer } from './types.js';

/**
 * The study's network: n inputs, one tansig hidden layer of 2n + 1 neurons
 * (Kolmogorov's rule), logsig outputs — 14–29–1 for 14 indicators.
 */
export function defaultShape(inputs: number, outputs = 1): NetworkShape {
  const shape: NetworkShape = { inputs, sizes: [2 * inputs + 1, outputs], transfers: ['tansig', 'logsig'] };
  validateShape(shape);
  return shape;
}

export interface CreateNetworkOptions {
  /** Seed of every random draw; same seed, same weights bit for bit. */
  seed: number;
  /**
   * [min, max] of each input over the training data.
   * @default [0, 1] for every input (cvnet min–max normalises to [0, 1])
   */
  inputRanges?: readonly (readonly [number, number])[];
}

/** MATLAB's rands: uniform in [−1, 1). */
const rands = (rng: Prng): number => rng.uniform(-1, 1);

/**
 * One layer's weights (S×R row-major) and biases by MATLAB's calcnw
 * (Nguyen–Widrow), for inputs in `ranges` and a transfer active on `active`.
 */
function nguyenWidrow(
  rng: Prng, s: number, ranges: readonly (readonly [number, number])[], active: readonly [number, number],
): { w: Float64Array; b: Float64Array } {
  const rAll = ranges.length;
  // Constant inputs carry no information: MATLAB drops them and gives them zero weights.
  const used = ranges.flatMap(([lo, hi], j) => (lo !== hi ? [j] : []));
  const r = used.length;
  const dir = new Float64Array(s * r);
  const b = new Float64Array(s);
  if (r > 0) {
    const wMag = 0.7 * s ** (1 / r);
    for (let i = 0; i < s; i++) {
      let norm = 0;
      for (let j = 0; j < r; j++) {
        const v = rands(rng);
        dir[i * r + j] = v;
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      for (let j = 0; j < r; j++) dir[i * r + j] = norm > 0 ? (wMag * dir[i * r + j]!) / norm : 0;
      // b = wMag · linspace(−1, 1, s) · sign(w(:,1)); a single neuron gets 0.
      b[i] = s === 1 ? 0 : wMag * (i === s - 1 ? 1 : -1 + (i * 2) / (s - 1)) * Math.sign(dir[i * r]!);
    }
  }
  // Net inputs [−1, 1] → the active range [n1, n2].
  const xa = 0.5 * (active[1] - active[0]);
  const ya = 0.5 * (active[1] + active[0]);
  const w = new Float64Array(s * rAll);
  for (let i = 0; i < s; i++) {
    let shift = 0;
    for (let k = 0; k < r; k++) {
      const j = used[k]!;
      const [lo, hi] = ranges[j]!;
      // Inputs [lo, hi] → [−1, 1]: x = 2/(hi − lo), y = 1 − hi·x; b = w·y + b, w = w·diag(x).
      const x = 2 / (hi - lo);
      const y = 1 - hi * x;
      const wij = xa * dir[i * r + k]!;
      shift += wij * y;
      w[i * rAll + j] = wij * x;
    }
    b[i] = shift + (xa * b[i]! + ya);
  }
  return { w, b };
}

/** MATLAB's fallback for layers without an active range: rands weights and biases. */
function uniformLayer(rng: Prng, s: number, r: number): { w: Float64Array; b: Float64Array } {
  const w = new Float64Array(s * r).map(() => rands(rng));
  const b = new Float64Array(s).map(() => rands(rng));
  return { w, b };
}

/**
 * A network with Nguyen–Widrow initial weights exactly as MATLAB's
 * initnw/calcnw computes them (purelin layers: uniform [−1, 1]). Random draws
 * are taken layer by layer, row by row, from the seeded generator.
 */
export function createNetwork(shape: NetworkShape, options: CreateNetworkOptions): Network {
  validateShape(shape);
  const rng = createPrng(options.seed);
  let ranges: readonly (readonly [number, number])[] =
    options.inputRanges ?? Array.from({ length: shape.inputs }, () => [0, 1] as const);
  if (ranges.length !== shape.inputs) {
    throw new ShapeError(`inputRanges has ${ranges.length} entries, the network has ${shape.inputs} inputs`);
  }
  ranges.forEach((range, j) => {
    const [lo, hi] = range;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new OptionsError(`inputRanges[${j}] must be finite [min, max] with min ≤ max, got [${lo}, ${hi}]`);
    }
  });
  const params = new Float64Array(parameterCount(shape));
  let offset = 0;
  shape.sizes.forEach((s, l) => {
    const transfer: Transfer = shape.transfers[l]!;
    const active = activeRange(transfer);
    const { w, b } = active ? nguyenWidrow(rng, s, ranges, active) : uniformLayer(rng, s, ranges.length);
    params.set(w, offset);
    params.set(b, offset + w.length);
    offset += w.length + b.length;
    const out = outputRange(transfer);
    ranges = Array.from({ length: s }, () => out);
  });
  return { inputs: shape.inputs, sizes: [...shape.sizes], transfers: [...shape.transfers], params };
}
