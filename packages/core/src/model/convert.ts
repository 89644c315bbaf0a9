/**
 * Conversion between a Network (flat Float64Array parameters) and the model
 * file (nested, human-readable JSON), the shape checks, and writing. Nothing
 * here needs the zod model schema (types only), so readers that take the
 * generated fast path (model-file.ts, the lean entry) never build it: its
 * modules, construction and first parse cost `cvnet predict` ~15 ms.
 */
import type { Network, TraingdxParams, TrainingResult } from '../network/types.js';
import { ModelError } from '../errors.js';
import type { ModelMethod } from '../method/model-method.js';
import { MODEL_FORMAT, MODEL_VERSION } from './format.js';
import type { Model, ModelLayer, ModelTraining } from './schema.js';

/** Everything a model file holds besides the network's parameters. */
export interface ModelInfo {
  inputs: { names: readonly string[]; min: readonly number[]; max: readonly number[] };
  outputs: { names: readonly string[] };
  training?: ModelTraining;
  method?: ModelMethod;
  /** @default omitted (so that a model can be byte-reproducible) */
  createdAt?: string;
  cvnetVersion?: string;
}

/** Builds a model from a network and its metadata; checks shapes. */
export function networkToModel(network: Network, info: ModelInfo): Model {
  const layers: ModelLayer[] = [];
  let offset = 0;
  let fanIn = network.inputs;
  network.sizes.forEach((size, l) => {
    const weights: number[][] = [];
    for (let i = 0; i < size; i++) {
      weights.push(Array.from(network.params.subarray(offset + i * fanIn, offset + (i + 1) * fanIn)));
    }
    offset += size * fanIn;
    const biases = Array.from(network.params.subarray(offset, offset + size));
    offset += size;
    layers.push({ transfer: network.transfers[l]!, weights, biases });
    fanIn = size;
  });
  if (offset !== network.params.length) {
    throw new ModelError(`network has ${network.params.length} parameters, its shape needs ${offset}`);
  }
  const model: Model = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    ...(info.createdAt === undefined ? {} : { createdAt: info.createdAt }),
    ...(info.cvnetVersion === undefined ? {} : { cvnetVersion: info.cvnetVersion }),
    layers,
    inputs: { names: [...info.inputs.names], min: [...info.inputs.min], max: [...info.inputs.max] },
    outputs: { names: [...info.outputs.names] },
    ...(info.training === undefined ? {} : { training: info.training }),
    ...(info.method === undefined ? {} : { method: info.method }),
  };
  const problem = shapeProblem(model);
  if (problem !== undefined) throw new ModelError(`network does not fit its metadata: ${problem}`);
  return model;
}

/** The training record of a model, from an engine result. */
export function trainingRecord(
  result: TrainingResult,
  params: TraingdxParams,
  extra: Pick<ModelTraining, 'seed' | 'validation' | 'samples' | 'precision' | 'threads'> = {},
): ModelTraining {
  // The defaults (f64, one thread) are left out, so files trained that way
  // stay as they were before these fields existed.
  const { precision, threads, ...rest } = extra;
  return {
    params: { ...params },
    stop: result.stop,
    bestEpoch: result.bestEpoch,
    epochs: result.epochs,
    ...rest,
    ...(precision === undefined || precision === 'f64' ? {} : { precision }),
    ...(threads === undefined || threads === 1 ? {} : { threads }),
    history: {
      perf: [...result.history.perf],
      lr: [...result.history.lr],
      gradient: [...result.history.gradient],
      vperf: [...result.history.vperf],
      // Written only when measured, so files without a test set stay as before.
      ...(result.history.tperf.length > 0 ? { tperf: [...result.history.tperf] } : {}),
    },
  };
}

/** The network of a (parsed, shape-checked) model. */
export function modelToNetwork(model: Model): Network {
  const sizes = model.layers.map((layer) => layer.weights.length);
  const params: number[] = [];
  for (const layer of model.layers) {
    for (const row of layer.weights) params.push(...row);
    params.push(...layer.biases);
  }
  return {
    inputs: model.inputs.names.length,
    sizes,
    transfers: model.layers.map((layer) => layer.transfer),
    params: Float64Array.from(params),
  };
}

/** First inconsistency between the layers, inputs and outputs, if any (what the schema cannot say). */
export function shapeProblem(model: Model): string | undefined {
  const { names, min, max } = model.inputs;
  let fanIn = names.length;
  if (min.length !== fanIn) return `inputs.min has ${min.length} values, expected ${fanIn} (one per input name)`;
  if (max.length !== fanIn) return `inputs.max has ${max.length} values, expected ${fanIn} (one per input name)`;
  for (let j = 0; j < fanIn; j++) {
    if (min[j]! > max[j]!) return `inputs.min[${j}] (${min[j]}) is greater than inputs.max[${j}] (${max[j]})`;
  }
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) return `inputs.names lists "${duplicate}" twice`;
  for (const [l, layer] of model.layers.entries()) {
    const from = l === 0 ? 'one per input' : `one per neuron of layers[${l - 1}]`;
    for (const [i, row] of layer.weights.entries()) {
      if (row.length !== fanIn) return `layers[${l}].weights[${i}] has ${row.length} values, expected ${fanIn} (${from})`;
    }
    const size = layer.weights.length;
    if (layer.biases.length !== size) {
      return `layers[${l}].biases has ${layer.biases.length} values, expected ${size} (one per row of layers[${l}].weights)`;
    }
    fanIn = size;
  }
  if (model.outputs.names.length !== fanIn) {
    return `outputs.names has ${model.outputs.names.length} names, expected ${fanIn} (one per neuron of the last layer)`;
  }
  const training = model.training;
  if (training !== undefined) {
    const length = training.epochs + 1;
    for (const key of ['perf', 'lr', 'gradient'] as const) {
      if (training.history[key].length !== length) {
        return `training.history.${key} has ${training.history[key].length} values, expected ${length} (epochs + 1)`;
      }
    }
    const vperf = training.history.vperf.length;
    if (vperf !== 0 && vperf !== length) return `training.history.vperf has ${vperf} values, expected 0 or ${length}`;
    const tperf = training.history.tperf?.length;
    if (tperf !== undefined && tperf !== length) return `training.history.tperf has ${tperf} values, expected ${length} (epochs + 1)`;
    if (training.bestEpoch > training.epochs) {
      return `training.bestEpoch (${training.bestEpoch}) is after the last epoch (${training.epochs})`;
    }
  }
  return undefined;
}

/**
 * The model as JSON text: two-space indentation with number arrays on one
 * line (so weight matrices read as matrices), and −0 kept as `-0` so that
 * parameters round-trip bit for bit (JSON.stringify writes −0 as 0).
 */
export function serializeModel(model: Model): string {
  return `${format(model, '')}\n`;
}

function format(value: unknown, indent: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ModelError(`cannot write ${value} to a model file`);
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'number')) return `[${value.map((x) => format(x, '')).join(', ')}]`;
    const inner = `${indent}  `;
    return `[\n${value.map((item) => inner + format(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const body = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${format(item, inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
