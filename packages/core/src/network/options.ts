import { NonFiniteError, OptionsError, ShapeError } from '../errors.js';
import { TRANSFERS } from './transfer.js';
import type { Dataset, Network, NetworkShape, Precision, TraingdxParams } from './types.js';

/** Upper bound on `epochs`: the history alone takes 32 bytes per epoch. */
export const MAX_EPOCHS = 10_000_000;

/** MATLAB's traingdx defaults. */
export const DEFAULT_TRAINGDX: Readonly<TraingdxParams> = Object.freeze({
  epochs: 1000,
  goal: 0,
  lr: 0.01,
  lrInc: 1.05,
  lrDec: 0.7,
  maxPerfInc: 1.04,
  mc: 0.9,
  minGrad: 1e-5,
  maxFail: 6,
});

/** How often a training run calls back: 1 with a callback, never without. */
export function resolveProgressEvery(every: number | undefined, hasCallback: boolean): number {
  if (!hasCallback) return 0;
  if (every === undefined) return 1;
  if (!Number.isInteger(every) || every < 0 || every > 2 ** 31 - 1) {
    throw new OptionsError(`progressEvery must be an integer ≥ 0 (0 = never), got ${every}`);
  }
  return every;
}

/** The kernel precision, 'f64' unless given; anything else is an OptionsError. */
export function resolvePrecision(precision: Precision | undefined): Precision {
  if (precision === undefined) return 'f64';
  if (precision !== 'f64' && precision !== 'f32') {
    throw new OptionsError(`precision must be 'f64' or 'f32', got ${String(precision)}`);
  }
  return precision;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 2 ** 31 - 1;

/** Checks layer sizes and transfer functions. */
export function validateShape(shape: NetworkShape): void {
  if (!isCount(shape.inputs)) throw new ShapeError(`network inputs must be a positive integer, got ${shape.inputs}`);
  if (!Array.isArray(shape.sizes) || shape.sizes.length < 1) {
    throw new ShapeError('network needs at least one layer (sizes is empty)');
  }
  if (!Array.isArray(shape.transfers) || shape.transfers.length !== shape.sizes.length) {
    throw new ShapeError(
      `network has ${shape.sizes.length} layer sizes but ${shape.transfers?.length ?? 0} transfer functions`,
    );
  }
  shape.sizes.forEach((s, l) => {
    if (!isCount(s)) throw new ShapeError(`layer ${l + 1} size must be a positive integer, got ${s}`);
  });
  shape.transfers.forEach((t, l) => {
    if (!TRANSFERS.includes(t)) {
      throw new ShapeError(`layer ${l + 1} transfer must be one of ${TRANSFERS.join(', ')}, got ${String(t)}`);
    }
  });
}

/** Number of parameters (weights + biases) a shape needs. */
export function parameterCount(shape: NetworkShape): number {
  let r = shape.inputs;
  let p = 0;
  for (const s of shape.sizes) {
    p += s * r + s;
    r = s;
  }
  return p;
}

/** Human-readable layer sizes, e.g. "14–29–1". */
export function describeShape(shape: NetworkShape): string {
  return [shape.inputs, ...shape.sizes].join('–');
}

/** Index of the first NaN/±Infinity, or −1. */
function firstNonFinite(values: Float64Array): number {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) return k;
  return -1;
}

/** Checks shape, parameter count and that every parameter is finite. */
export function validateNetwork(net: Network): void {
  validateShape(net);
  if (!(net.params instanceof Float64Array)) throw new ShapeError('network params must be a Float64Array');
  const expected = parameterCount(net);
  if (net.params.length !== expected) {
    throw new ShapeError(
      `network params has ${net.params.length} values, a ${describeShape(net)} network needs ${expected}`,
    );
  }
  const bad = firstNonFinite(net.params);
  if (bad >= 0) throw new NonFiniteError(`network params[${bad}] is ${net.params[bad]}, expected a finite number`);
}

/** Checks a sample-major matrix of `samples` rows and `columns` columns. */
export function validateMatrix(values: Float64Array, samples: number, columns: number, name: string): void {
  validateMatrixShape(values, samples, columns, name);
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    throw new NonFiniteError(
      `${name} row ${Math.floor(bad / columns) + 1}, column ${(bad % columns) + 1} is ${values[bad]}, expected a finite number`,
    );
  }
}

/** validateMatrix without the finiteness scan, for callers that check values on their own pass over them. */
export function validateMatrixShape(values: Float64Array, samples: number, columns: number, name: string): void {
  if (!(values instanceof Float64Array)) throw new ShapeError(`${name} must be a Float64Array`);
  if (values.length !== samples * columns) {
    const actual = samples > 0 && values.length % samples === 0 ? `${values.length / samples} columns` : `${values.length} values`;
    throw new ShapeError(
      `${name} has ${actual}, the network expects ${columns} columns × ${samples} samples = ${samples * columns} values`,
    );
  }
}

/** Checks a training/validation set against the network (≥ 1 sample). */
export function validateDataset(data: Dataset, net: NetworkShape, name = 'data'): void {
  if (!isCount(data.samples)) throw new ShapeError(`${name}.samples must be a positive integer, got ${data.samples}`);
  validateMatrix(data.inputs, data.samples, net.inputs, `${name}.inputs`);
  const outputs = net.sizes[net.sizes.length - 1] ?? 0;
  validateMatrix(data.targets, data.samples, outputs, `${name}.targets`);
}
