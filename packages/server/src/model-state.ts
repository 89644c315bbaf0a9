/**
 * The model being served: checked once when loaded (schema, shapes, method
 * section and a trial scoring through the engine), hashed, given its segment
 * map (compiled and proven once, here), and swapped as a whole so a request
 * that started on one model finishes on it and its map.
 */
import {
  ModelError, applyMinMax, methodOf, modelToNetwork, modelV1Schema, parseModel, serializeModel, type Engine, type Model, type ModelMethod,
} from '@cvnet/core';
import { pointer, type FieldIssue } from './problem.js';
import { segmentMapFor, segmentsInfo, type SegmentMap, type SegmentsSetting } from './segments.js';

/** A model that failed its checks, with every problem found. */
export class ModelRejected extends ModelError {
  readonly issues: FieldIssue[];
  constructor(source: string, issues: FieldIssue[]) {
    const first = issues[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : '';
    super(`${source}: ${first.pointer === '#' ? '' : `${first.pointer.slice(2)}: `}${first.detail}${more}`);
    this.name = 'ModelRejected';
    this.issues = issues;
  }
}

export interface ModelState {
  model: Model & { method: ModelMethod };
  /** `sha256:` + hex digest of the model's canonical text (serializeModel), so formatting does not change it. */
  hash: string;
  /** The segment map compiled for this model; undefined when no map is configured and no shipped map fits. */
  segments: SegmentMap | undefined;
}

export interface LoadModelOptions {
  /** The segment map. @default value17 when the model's indicators allow it, else rfm, else none */
  segments?: SegmentsSetting;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks a parsed model file and prepares it for serving.
 *
 * @param source name for messages (file path, "request body", binding name).
 * @throws ModelRejected listing every schema problem, or the shape / method /
 *   trial-scoring / segment-map problem that stopped it.
 */
export async function loadModelState(engine: Engine, json: unknown, source: string, options: LoadModelOptions = {}): Promise<ModelState> {
  const parsed = modelV1Schema.safeParse(json);
  // Not-a-model and wrong-version messages come from parseModel; schema issues are all listed.
  const looksV1 = typeof json === 'object' && json !== null && (json as { version?: unknown }).version === 1;
  if (!parsed.success && looksV1) {
    throw new ModelRejected(source, parsed.error.issues.map((i) => ({ pointer: pointer(i.path), detail: i.message })));
  }
  let model: Model;
  let segments: SegmentMap | undefined;
  try {
    model = parseModel(json, source);
    const ids = methodOf(model, 'the model').system.indicators.map((i) => i.id);
    // A trial forward pass on a mid-scale customer proves the network runs on
    // this engine and answers a number before any client sees the model.
    const mid = applyMinMax(new Float64Array(ids.length).fill(3), model.inputs);
    const k = engine.forward(modelToNetwork(model), mid, 1)[0]!;
    if (!Number.isFinite(k)) throw new ModelError(`the network answers ${k} for a mid-scale customer`);
    segments = segmentMapFor(model, options.segments);
  } catch (error) {
    if (!(error instanceof Error) || error instanceof ModelRejected) throw error;
    const detail = error.message.startsWith(`${source}: `) ? error.message.slice(source.length + 2) : error.message;
    throw new ModelRejected(source, [{ pointer: '#', detail }]);
  }
  return { model: model as ModelState['model'], hash: `sha256:${await sha256Hex(serializeModel(model))}`, segments };
}

/** Holds the served model; `current` is replaced in one assignment. */
export class ModelStore {
  current: ModelState | undefined;
  /** Why there is no model (shown by /readyz). */
  reason = 'no model loaded yet';

  constructor(initial?: ModelState) {
    this.current = initial;
  }

  replace(state: ModelState): void {
    this.current = state;
  }

  fail(reason: string): void {
    this.current = undefined;
    this.reason = reason;
  }
}

/** What GET /v1/model answers: everything a client needs to know about the model, but not its weights. */
export function modelInfo(state: ModelState): Record<string, unknown> {
  const { model, hash } = state;
  const method = model.method;
  const training = model.training;
  return {
    hash,
    format: model.format,
    version: model.version,
    ...(model.cvnetVersion === undefined ? {} : { cvnetVersion: model.cvnetVersion }),
    ...(model.createdAt === undefined ? {} : { createdAt: model.createdAt }),
    idColumn: method.system.idColumn,
    indicators: method.system.indicators.map((i) => ({
      id: i.id, name: i.name, dimension: i.dimension, source: i.source, rule: i.rule, weight: method.weights[i.id] ?? null,
    })),
    currentValue: method.currentValue,
    thresholds: method.thresholds,
    strategies: method.strategies,
    target: method.target,
    network: { inputs: model.inputs.names.length, sizes: model.layers.map((l) => l.weights.length), transfers: model.layers.map((l) => l.transfer) },
    training: training === undefined ? null : {
      epochs: training.epochs,
      bestEpoch: training.bestEpoch,
      stop: training.stop,
      performance: training.history.perf[training.bestEpoch] ?? null,
      params: training.params,
      ...(training.seed === undefined ? {} : { seed: training.seed }),
      ...(training.samples === undefined ? {} : { samples: training.samples }),
    },
    evaluation: method.evaluation ?? null,
    segments: segmentsInfo(state.segments),
  };
}
