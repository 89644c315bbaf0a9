/**
 * The bulk path of `cvnet classify`, planned: a model and the way a file's
 * lines are read become the plan that assembly/classify-lines.ts runs on
 * (LineInstance holds it in an instance, on this thread or a worker's).
 * A block of plain CSV lines goes into Wasm memory, and its classified CSV
 * lines, id hashes and line numbers come back, one call per block.
 *
 * Per row the JavaScript path made an id string, class and strategy
 * strings and two number texts (`${K}` alone ~100 ns), which left a million
 * rows at about four times DuckDB reading the same file; here none of that
 * exists, and numbers are written by assembly/shortest.ts, byte for byte
 * JavaScript's own text.
 *
 * The plan (f64): width, indicators, number slots, current-value
 * indicators, their total weight, thresholds A, B, C; per class A–D the
 * offset and length of its strategy field; per field its kind; per
 * indicator its slot, rule type (0 likert, 1 cuts), cut count and where its
 * cuts start in the plan; per current-value indicator its index and weight;
 * per indicator its training minimum and range; then each cuts rule's cuts
 * followed by its scores.
 */
import type { FittedRule } from '../indicators/rules.js';
import { currentValueWeights } from '../method/current.js';
import { networkOf } from '../method/model-network.js';
import { methodOf } from '../method/score-model.js';
import type { Model } from '../model/schema.js';
import { encodeShape } from './engine.js';
import type { PreparedLines } from './line-instance.js';

/** Field kinds of LineReading.fields besides number slots (≥ 0); line-scorer.ts's own. */
export const FIELD_SKIP = -1;
export const FIELD_ID = -2;

/** How the lines of one file are read: what the caller's line reader has planned for its header. */
export interface LineReading {
  /** Per field of a line: FIELD_ID, FIELD_SKIP, or the number slot (≥ 0) its value is read into. */
  readonly fields: ArrayLike<number>;
  /** Per indicator, in model input order: the number slot it scores and its rule as this file is read. */
  readonly indicators: readonly { readonly slot: number; readonly rule: FittedRule }[];
  /** Each class's strategy as its CSV field (quoted when it must be), A to D. */
  readonly strategyFields: readonly [string, string, string, string];
}

/** The longest text of a number (writeShortest), as in assembly/classify-lines.ts. */
const NUMBER_BYTES = 25;

const encoder = new TextEncoder();

/**
 * The plan for a model's lines read as `reading` says, or undefined when
 * the Wasm path cannot score them exactly as the JavaScript one (a
 * categorical rule, a score that is not an integer 1–5, more than one
 * network output): the caller then keeps its own path.
 */
export function prepareLines(model: Model, reading: LineReading): PreparedLines | undefined {
  const method = methodOf(model);
  const n = reading.indicators.length;
  if (n !== model.inputs.names.length || model.outputs.names.length !== 1) return undefined;
  const likert = (s: number): boolean => Number.isInteger(s) && s >= 1 && s <= 5;
  const kinds = Array.from(reading.fields);
  const width = kinds.length;
  // Every indicator's slot filled by exactly one field on every line.
  const filled = kinds.filter((kind) => kind >= 0);
  if (new Set(filled).size !== filled.length || !reading.indicators.every((i) => filled.includes(i.slot))) return undefined;
  const rules: number[] = [];
  const cutData: number[] = [];
  // Cuts and their scores go after the rules, the current-value pairs and the ranges.
  const cutsStart = 16 + width + 4 * n + 2 * method.currentValue.length + 2 * n;
  for (const { slot, rule } of reading.indicators) {
    if (rule.type === 'categorical') return undefined;
    if (rule.type === 'likert') rules.push(slot, 0, 0, 0);
    else {
      if (!rule.scores.every(likert) || rule.scores.length !== rule.cuts.length + 1) return undefined;
      rules.push(slot, 1, rule.cuts.length, cutsStart + cutData.length);
      cutData.push(...rule.cuts, ...rule.scores);
    }
  }
  // currentValues' weights and total, summed in its order (Object.keys of the weights).
  const weights = currentValueWeights(method.weights, method.currentValue);
  const ids = model.inputs.names;
  const current: number[] = [];
  let total = 0;
  for (const id of Object.keys(weights)) {
    const index = ids.indexOf(id);
    if (index < 0) return undefined;
    current.push(index, weights[id]!);
    total += weights[id]!;
  }
  const ranges = ids.flatMap((_, j) => [model.inputs.min[j]!, model.inputs.max[j]! - model.inputs.min[j]!]);
  const strategyFields = reading.strategyFields.map((text) => encoder.encode(text));
  const strategyIndex: number[] = [];
  let offset = 0;
  for (const bytes of strategyFields) {
    strategyIndex.push(offset, bytes.length);
    offset += bytes.length;
  }
  const strategies = new Uint8Array(offset);
  strategyFields.forEach((bytes, c) => strategies.set(bytes, strategyIndex[2 * c]!));
  const { A, B, C } = method.thresholds;
  // A reduce, not Math.max(...filled): a spread of a very wide header would overflow the stack.
  const slots = filled.reduce((most, slot) => Math.max(most, slot + 1), 0);
  const plan = Float64Array.from([
    width, n, slots, current.length / 2, total, A, B, C,
    ...strategyIndex, ...kinds, ...rules, ...current, ...ranges, ...cutData,
  ]);
  const net = networkOf(model);
  return {
    plan,
    strategies,
    shape: Int32Array.from(encodeShape(net)),
    params: net.params,
    rowBytes: 2 * NUMBER_BYTES + Math.max(...strategyFields.map((b) => b.length)) + 2 * n + 8,
    // Its commas and LF, the id and a digit per number.
    minLine: width + 1,
  };
}
