/**
 * Host of assembly/classify-lines.ts, the bulk path of `cvnet classify`:
 * a block of plain CSV lines goes into Wasm memory, and its classified CSV
 * lines, id hashes and line numbers come back, one call per block. The plan
 * (fields, rules, weights, ranges, thresholds) and the network stay in the
 * instance for the whole file.
 *
 * Per row the JavaScript path made an id string, class and strategy
 * strings and two number texts (`${K}` alone ~100 ns), which left a million
 * rows at about four times DuckDB reading the same file; here none of that
 * exists, and numbers are written by assembly/shortest.ts, byte for byte
 * JavaScript's own text.
 */
import { EngineError } from '../errors.js';
import type { FittedRule } from '../indicators/rules.js';
import { currentValueWeights } from '../method/current.js';
import { networkOf } from '../method/model-network.js';
import { methodOf } from '../method/score-model.js';
import type { Model } from '../model/schema.js';
import { encodeShape } from './engine.js';

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

/** One block's classified lines. */
export interface ClassifiedLines {
  /** Output lines (no header), UTF-8. */
  readonly output: Uint8Array<ArrayBuffer>;
  /** Each id's cyrb64 hash, two halves (id-table.ts's cyrb64). */
  readonly hashes: Int32Array<ArrayBuffer>;
  /** Each row's line in the file. */
  readonly lines: Float64Array<ArrayBuffer>;
}

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  linesOpen(plan: number, strategies: number, shape: number, params: number): void;
  linesClose(): void;
  classifyLines(bytes: number, length: number, firstLine: number, maxRows: number, out: number, hashes: number, lines: number, result: number): number;
}

/** The longest text of a number (writeShortest), as in assembly/classify-lines.ts. */
const NUMBER_BYTES = 25;

const encoder = new TextEncoder();

/** A buffer in the instance's memory, reallocated when a call needs more. */
interface Region {
  ptr: number;
  bytes: number;
}

export class LineClassifier {
  private readonly regions = new Map<string, Region>();
  /** Bytes a row's output takes besides its id. */
  private readonly rowBytes: number;
  /** Fewest bytes a line takes: its commas and LF, the id and a digit per number. */
  private readonly minLine: number;

  private constructor(
    private readonly x: Exports,
    private readonly held: readonly number[],
    longestStrategy: number,
    private readonly indicators: number,
    width: number,
  ) {
    this.rowBytes = 2 * NUMBER_BYTES + longestStrategy + 2 * indicators + 8;
    this.minLine = width + 1;
  }

  /**
   * A classifier for a model's lines read as `reading` says, or undefined
   * when the Wasm path cannot score them exactly as the JavaScript one
   * (a categorical rule, a score that is not an integer 1–5, more than one
   * network output): the caller then keeps its own path.
   */
  static async create(module: WebAssembly.Module, model: Model, reading: LineReading): Promise<LineClassifier | undefined> {
    const method = methodOf(model);
    const n = reading.indicators.length;
    if (n !== model.inputs.names.length || model.outputs.names.length !== 1) return undefined;
    const likert = (s: number): boolean => Number.isInteger(s) && s >= 1 && s <= 5;
    const rules: number[] = [];
    const cutData: number[] = [];
    const header = 16 + reading.fields.length;
    // Cuts and their scores go after the rules, the current-value pairs and the ranges.
    const cutsStart = header + 4 * n + 2 * method.currentValue.length + 2 * n;
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
    const strategyBytes = reading.strategyFields.map((text) => encoder.encode(text));
    const strategyIndex: number[] = [];
    let offset = 0;
    for (const bytes of strategyBytes) {
      strategyIndex.push(offset, bytes.length);
      offset += bytes.length;
    }
    const { A, B, C } = method.thresholds;
    const plan = Float64Array.from([
      reading.fields.length, n, Math.max(0, ...Array.from(reading.fields, (f) => f + 1)), current.length / 2, total, A, B, C,
      ...strategyIndex, ...Array.from(reading.fields), ...rules, ...current, ...ranges, ...cutData,
    ]);

    const instance = await WebAssembly.instantiate(module, { env: IMPORTS });
    const x = instance.exports as unknown as Exports;
    const net = networkOf(model);
    const shape = encodeShape(net);
    const planPtr = x.alloc(plan.byteLength);
    const strategiesPtr = x.alloc(Math.max(8, offset));
    const shapePtr = x.alloc(4 * shape.length);
    const paramsPtr = x.alloc(net.params.byteLength);
    new Float64Array(x.memory.buffer, planPtr, plan.length).set(plan);
    let at = strategiesPtr;
    for (const bytes of strategyBytes) {
      new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes);
      at += bytes.length;
    }
    new Int32Array(x.memory.buffer, shapePtr, shape.length).set(shape);
    new Float64Array(x.memory.buffer, paramsPtr, net.params.length).set(net.params);
    x.linesOpen(planPtr, strategiesPtr, shapePtr, paramsPtr);
    const longest = Math.max(...strategyBytes.map((b) => b.length));
    return new LineClassifier(x, [planPtr, strategiesPtr, shapePtr, paramsPtr], longest, n, reading.fields.length);
  }

  /**
   * Classifies whole lines (the first is line `firstLine`), or returns
   * undefined when any of them is one for the caller's own path.
   */
  classify(bytes: Uint8Array, firstLine: number): ClassifiedLines | undefined {
    const maxRows = Math.floor(bytes.length / this.minLine) + 1;
    const input = this.region('input', bytes.length);
    const out = this.region('out', bytes.length + maxRows * this.rowBytes);
    const hashes = this.region('hashes', 8 * maxRows);
    const lines = this.region('lines', 8 * maxRows);
    const result = this.region('result', 8);
    const x = this.x;
    new Uint8Array(x.memory.buffer, input, bytes.length).set(bytes);
    const rows = x.classifyLines(input, bytes.length, firstLine, maxRows, out, hashes, lines, result);
    if (rows < 0) return undefined;
    const memory = x.memory.buffer;
    const length = new Int32Array(memory, result, 1)[0]!;
    return {
      output: new Uint8Array(memory, out, length).slice(),
      hashes: new Int32Array(memory, hashes, 2 * rows).slice(),
      lines: new Float64Array(memory, lines, rows).slice(),
    };
  }

  /** Releases the instance's plan and buffers. */
  dispose(): void {
    this.x.linesClose();
    for (const ptr of this.held) this.x.free(ptr);
    for (const { ptr } of this.regions.values()) this.x.free(ptr);
    this.regions.clear();
  }

  /** The named buffer, with at least `bytes` bytes. */
  private region(name: string, bytes: number): number {
    let region = this.regions.get(name);
    if (region === undefined || region.bytes < bytes) {
      if (region !== undefined) this.x.free(region.ptr);
      // Some room to spare, so that slightly longer blocks do not reallocate.
      region = { ptr: this.x.alloc(Math.max(8, Math.ceil(bytes * 1.25))), bytes: Math.ceil(bytes * 1.25) };
      this.regions.set(name, region);
    }
    return region.ptr;
  }
}

/** The module's imports; classifyLines calls none of them (it refuses a block instead of throwing). */
const IMPORTS = {
  abort: () => {
    throw new EngineError('the Wasm line classifier aborted');
  },
  progress: () => 0,
  remoteForward: () => 0,
  remoteBackward: () => undefined,
};
