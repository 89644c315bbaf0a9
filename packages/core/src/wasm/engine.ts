/**
 * The Wasm engine: a thin host around assembly/index.ts.
 *
 * The module is instantiated with the plain WebAssembly API. Its ABI is only
 * numbers and pointers into linear memory (no strings, arrays or objects cross
 * the boundary), so @assemblyscript/loader or generated bindings would add
 * nothing but weight and a dependency.
 */
import { EngineError, ShapeError } from '../errors.js';
import {
  resolvePrecision, resolveProgressEvery, validateDataset, validateMatrix, validateMatrixShape, validateNetwork,
} from '../network/options.js';
import type { resolveTraingdxParams } from '../network/traingdx-params.js';
import { TRANSFER_CODES } from '../network/transfer.js';
import type {
  Dataset, Engine, ForwardOptions, Network, NetworkShape, Precision, StopReason, TrainingResult, TrainOptions,
} from '../network/types.js';

/** Stop codes of assembly/traingdx.ts, by value. */
const STOP_REASONS: readonly StopReason[] = ['goal', 'epochs', 'min_grad', 'validation', 'cancelled'];

/** wasm32 memory tops out at 4 GiB; refuse runs that cannot fit before starting them. */
const MAX_BYTES = 2 ** 32 - 2 ** 26;

/** train()'s planar history columns: perf, lr, gradient norm, vperf, tperf. */
const HISTORY_COLUMNS = 5;

/** Kernel modes of assembly/network.ts (MODE_*). */
const MODE_F64 = 0;
const MODE_F32 = 1;
const MODE_F64_SCALAR = 2;

/** The raw ABI of assembly/index.ts. */
interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  /** 1, or 0 when an input is not finite (validateMatrix then names it). */
  forward(shape: number, params: number, inputs: number, n: number, outputs: number, mode: number): number;
  perfGradient(
    shape: number, params: number, inputs: number, targets: number, n: number, gradient: number, mode: number,
  ): number;
  train(
    shape: number, params: number, inputs: number, targets: number, n: number,
    vInputs: number, vTargets: number, vn: number,
    tInputs: number, tTargets: number, tn: number,
    options: number, progressEvery: number, history: number, result: number,
    mode: number, remote: number,
  ): void;
  sliceOpen(shape: number, inputs: number, targets: number, n: number, mode: number): void;
  sliceForward(params: number): number;
  sliceBackward(params: number, M: number, g: number): void;
  sliceClose(): void;
}

type ProgressImport = (epoch: number, perf: number, lr: number, grad: number, vperf: number, tperf: number) => number;

/**
 * @internal A training set evaluated outside this instance (worker threads):
 * `forward` returns Σe² at params over every sample; `backward`, called
 * right after a forward at the same params, writes the summed negative
 * gradient for normaliser M into g. Views are valid during the call only.
 */
export interface RemoteSet {
  forward(params: Float64Array): number;
  backward(params: Float64Array, M: number, g: Float64Array): void;
}

/** Engine construction options. */
export interface EngineConfig {
  /**
   * 'scalar' runs the f64 kernels one sample at a time instead of f64x2
   * SIMD: same results up to reassociation, slower. For benchmarks and tests
   * of the SIMD path; f32 precision is always SIMD.
   * @default 'simd'
   */
  kernels?: 'simd' | 'scalar';
}

/** Wasm kernel mode for a precision under an engine's config. */
export function kernelMode(precision: Precision, config: EngineConfig = {}): number {
  if (precision === 'f32') return MODE_F32;
  return config.kernels === 'scalar' ? MODE_F64_SCALAR : MODE_F64;
}

/** Host-side buffers of one call, freed together. */
class Buffers {
  private readonly ptrs: number[] = [];
  constructor(private readonly exports: Exports) {}

  alloc(bytes: number): number {
    const ptr = this.exports.alloc(Math.max(bytes, 8));
    this.ptrs.push(ptr);
    return ptr;
  }

  /** Copies values in; views are made afresh because alloc may have grown memory. */
  f64(values: Float64Array): number {
    const ptr = this.alloc(values.byteLength);
    new Float64Array(this.exports.memory.buffer, ptr, values.length).set(values);
    return ptr;
  }

  i32(values: readonly number[]): number {
    const ptr = this.alloc(values.length * 4);
    new Int32Array(this.exports.memory.buffer, ptr, values.length).set(values);
    return ptr;
  }

  readF64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, length).slice();
  }

  freeAll(): void {
    for (const ptr of this.ptrs) this.exports.free(ptr);
    this.ptrs.length = 0;
  }
}

/** AssemblyScript strings: UTF-16LE, byte length in the 4 bytes before the pointer. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

/** @internal The i32 shape buffer of the ABI: [inputs, layers, sizes..., transfer codes...] (also sent to threads.ts's workers). */
export function encodeShape(shape: NetworkShape): number[] {
  return [shape.inputs, shape.sizes.length, ...shape.sizes, ...shape.transfers.map((t) => TRANSFER_CODES[t])];
}

/** @internal */
export const outputsOf = (shape: NetworkShape): number => shape.sizes[shape.sizes.length - 1]!;

/** Activation rows of every layer: the per-sample workspace the core allocates. */
const rowsOf = (shape: NetworkShape): number => shape.sizes.reduce((a, b) => a + b, 0);

function checkFits(bytes: number): void {
  if (bytes > MAX_BYTES) {
    throw new ShapeError(
      `this run needs about ${(bytes / 2 ** 30).toFixed(1)} GiB of Wasm memory, more than the 4 GiB wasm32 allows; use fewer samples or epochs`,
    );
  }
}

/** @internal Exported for threads.ts (trainRemote); use createEngine. */
export class WasmEngine implements Engine {
  private exports!: Exports;
  private onProgress: ProgressImport = () => 0;
  private busy = false;
  /** The training set of a threaded run, and its parameter count (for views of params/gradients). */
  private remote: RemoteSet | undefined;
  private paramCountNow = 0;
  private readonly imports: WebAssembly.Imports;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly config: EngineConfig = {},
  ) {
    this.imports = {
      env: {
        abort: (msg: number, file: number, line: number, column: number) => {
          const memory = this.exports.memory;
          throw new EngineError(
            `Wasm core aborted: ${readAsString(memory, msg)} (${readAsString(memory, file)}:${line}:${column})`,
          );
        },
        progress: (epoch: number, perf: number, lr: number, grad: number, vperf: number, tperf: number) =>
          this.onProgress(epoch, perf, lr, grad, vperf, tperf),
        remoteForward: (params: number) => this.remoteSet().forward(this.f64View(params)),
        remoteBackward: (params: number, M: number, g: number) => {
          this.remoteSet().backward(this.f64View(params), M, this.f64View(g));
        },
      },
    };
  }

  private remoteSet(): RemoteSet {
    if (!this.remote) throw new EngineError('the Wasm core asked for a remote training set outside a threaded run');
    return this.remote;
  }

  /** A view of the current run's parameter count of f64 at ptr (valid until the next allocation). */
  private f64View(ptr: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, this.paramCountNow);
  }

  /** traingdx's parameter check, loaded by init for an engine that trains (see createScorer). */
  private resolveParams: typeof resolveTraingdxParams | undefined;

  async init(training: boolean): Promise<void> {
    const instance = await WebAssembly.instantiate(this.module, this.imports);
    this.exports = instance.exports as unknown as Exports;
    if (training) this.resolveParams = (await import('../network/traingdx-params.js')).resolveTraingdxParams;
  }

  /**
   * Runs `body` with fresh buffers and frees them afterwards. A trap leaves
   * the module's allocator in an unknown state, so the instance is replaced.
   */
  private call<T>(body: (buffers: Buffers, exports: Exports) => T): T {
    if (this.busy) throw new EngineError('the engine is already running a call (re-entered from onProgress?)');
    this.busy = true;
    const buffers = new Buffers(this.exports);
    let trapped = false;
    try {
      return body(buffers, this.exports);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || error instanceof EngineError) {
        trapped = true;
        this.exports = new WebAssembly.Instance(this.module, this.imports).exports as unknown as Exports;
        if (error instanceof EngineError) throw error;
        throw new EngineError(`Wasm core trapped: ${error.message}`, { cause: error });
      }
      throw error;
    } finally {
      if (!trapped) buffers.freeAll();
      this.busy = false;
    }
  }

  forward(net: Network, inputs: Float64Array, samples: number, options: ForwardOptions = {}): Float64Array {
    validateNetwork(net);
    const mode = kernelMode(resolvePrecision(options.precision), this.config);
    if (!Number.isInteger(samples) || samples < 0) {
      throw new ShapeError(`samples must be an integer ≥ 0, got ${samples}`);
    }
    // The core checks that the inputs are finite while it transposes them.
    validateMatrixShape(inputs, samples, net.inputs, 'inputs');
    const outputs = outputsOf(net);
    if (samples === 0) return new Float64Array(0);
    // Inputs and outputs; the core's workspace does not grow with the number of samples.
    checkFits(8 * samples * (net.inputs + outputs));
    const scores = this.call((b, x) => {
      const shape = b.i32(encodeShape(net));
      const params = b.f64(net.params);
      const input = b.f64(inputs);
      const output = b.alloc(samples * outputs * 8);
      return x.forward(shape, params, input, samples, output, mode) === 1 ? b.readF64(output, samples * outputs) : undefined;
    });
    // The core found a non-finite input; the usual check names the first one.
    if (scores === undefined) validateMatrix(inputs, samples, net.inputs, 'inputs');
    return scores!;
  }

  perfGradient(net: Network, data: Dataset): { perf: number; gradient: Float64Array } {
    validateNetwork(net);
    validateDataset(data, net);
    checkFits(8 * data.samples * (2 * net.inputs + rowsOf(net) + 2 * outputsOf(net)));
    return this.call((b, x) => {
      const shape = b.i32(encodeShape(net));
      const params = b.f64(net.params);
      const gradient = b.alloc(net.params.byteLength);
      const perf = x.perfGradient(
        shape, params, b.f64(data.inputs), b.f64(data.targets), data.samples, gradient, kernelMode('f64', this.config),
      );
      return { perf, gradient: b.readF64(gradient, net.params.length) };
    });
  }

  train(net: Network, data: Dataset, options: TrainOptions = {}): TrainingResult {
    return this.run(net, data, options, undefined);
  }

  /**
   * @internal traingdx with the training set evaluated by `remote` (threads.ts);
   * `data` is validated and sized here but never copied into this instance.
   */
  trainRemote(net: Network, data: Dataset, options: TrainOptions, remote: RemoteSet): TrainingResult {
    return this.run(net, data, options, remote);
  }

  private run(net: Network, data: Dataset, options: TrainOptions, remote: RemoteSet | undefined): TrainingResult {
    validateNetwork(net);
    validateDataset(data, net);
    const mode = kernelMode(resolvePrecision(options.precision), this.config);
    if (this.resolveParams === undefined) throw new EngineError('this engine was made by createScorer and only scores; use createEngine to train');
    const p = this.resolveParams(options.params);
    const validation = options.validation;
    if (validation) validateDataset(validation, net, 'validation');
    const test = options.test;
    if (test) validateDataset(test, net, 'test');
    const every = resolveProgressEvery(options.progressEvery, options.onProgress !== undefined);
    const perSample = 2 * net.inputs + rowsOf(net) + 2 * outputsOf(net);
    const local = (remote ? 0 : data.samples) + (validation?.samples ?? 0) + (test?.samples ?? 0);
    checkFits(8 * (local * perSample + HISTORY_COLUMNS * (p.epochs + 1) + 5 * net.params.length));

    const callback = options.onProgress;
    // A throwing callback must not unwind through Wasm (its workspace would
    // leak): remember the error, cancel, and rethrow once the core returned.
    let failure: { error: unknown } | undefined;
    this.onProgress = (epoch, perf, lr, gradient, vperf, tperf) => {
      if (!callback || failure) return failure ? 1 : 0;
      try {
        const event = { epoch, perf, lr, gradient, vperf: validation ? vperf : undefined, ...(test ? { tperf } : {}) };
        return callback(event) === false ? 1 : 0;
      } catch (error) {
        failure = { error };
        return 1;
      }
    };

    this.remote = remote;
    this.paramCountNow = net.params.length;
    try {
      return this.call((b, x) => {
        const shape = b.i32(encodeShape(net));
        const params = b.f64(net.params);
        const inputs = remote ? 0 : b.f64(data.inputs);
        const targets = remote ? 0 : b.f64(data.targets);
        const vInputs = validation ? b.f64(validation.inputs) : 0;
        const vTargets = validation ? b.f64(validation.targets) : 0;
        const tInputs = test ? b.f64(test.inputs) : 0;
        const tTargets = test ? b.f64(test.targets) : 0;
        const settings = b.f64(
          Float64Array.of(p.epochs, p.goal, p.lr, p.lrInc, p.lrDec, p.maxPerfInc, p.mc, p.minGrad, p.maxFail),
        );
        const rows = p.epochs + 1;
        const history = b.alloc(HISTORY_COLUMNS * rows * 8);
        const result = b.alloc(12);
        x.train(
          shape, params, inputs, targets, data.samples,
          vInputs, vTargets, validation?.samples ?? 0,
          tInputs, tTargets, test?.samples ?? 0,
          settings, every, history, result,
          mode, remote ? 1 : 0,
        );
        if (failure) throw failure.error;
        const [stop, epochs, bestEpoch] = new Int32Array(x.memory.buffer, result, 3);
        const all = b.readF64(history, HISTORY_COLUMNS * rows);
        const column = (c: number): number[] => Array.from(all.subarray(c * rows, c * rows + epochs! + 1));
        return {
          network: {
            inputs: net.inputs,
            sizes: [...net.sizes],
            transfers: [...net.transfers],
            params: b.readF64(params, net.params.length),
          },
          stop: STOP_REASONS[stop!]!,
          bestEpoch: bestEpoch!,
          epochs: epochs!,
          history: {
            perf: column(0),
            lr: column(1),
            gradient: column(2),
            vperf: validation ? column(3) : [],
            tperf: test ? column(4) : [],
          },
        };
      });
    } finally {
      this.onProgress = () => 0;
      this.remote = undefined;
    }
  }
}

/**
 * @internal The loaders' cache: `start` runs on the first call and every
 * caller shares its promise; a rejection is dropped, so a later call retries
 * (e.g. after `npm run build:wasm`).
 */
export function sharedOnce<T>(start: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () =>
    (cached ??= start().catch((error: unknown) => {
      cached = undefined;
      throw error;
    }));
}

/** An engine on a compiled cvnet.wasm module (for hosts that load it themselves). */
export async function createEngine(module: WebAssembly.Module, config: EngineConfig = {}): Promise<Engine> {
  const engine = new WasmEngine(module, config);
  await engine.init(true);
  return engine;
}

/** What scoring needs of an engine. */
export type Scorer = Pick<Engine, 'forward'>;

/**
 * An engine that only scores: it skips loading traingdx's parameter check
 * (zod, ~30 ms of a start-up such as `cvnet predict`'s).
 */
export async function createScorer(module: WebAssembly.Module, config: EngineConfig = {}): Promise<Scorer> {
  const engine = new WasmEngine(module, config);
  await engine.init(false);
  return engine;
}
