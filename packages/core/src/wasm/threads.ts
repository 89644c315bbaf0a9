/**
 * Multi-core traingdx for Node.js (worker_threads): each worker holds one
 * contiguous slice of the training set in its own Wasm instance and computes
 * that slice's Σe² and gradient; the main thread runs traingdx itself and
 * sums the slices' results in worker order, so a run is bit-identical for a
 * given thread count (and equal to one thread up to reassociation).
 *
 * Why not shared Wasm memory: a module that declares a shared memory can't
 * be given a non-shared one (and vice versa), and shared memory needs the
 * threads feature plus cross-origin isolation in browsers and isn't offered
 * by Cloudflare workerd. One cvnet.wasm must serve all of them, so every
 * worker instantiates the same module with its own ordinary memory, and only
 * the parameters (P values) and the partial results (1 + P values per worker)
 * cross a SharedArrayBuffer per evaluation, synchronised with Atomics. For
 * the 14–29–1 network that is ~4 KB per epoch against megabytes of sample
 * data: the sync costs tens of microseconds, a full-batch epoch milliseconds.
 * Validation and test sets are evaluated by the main thread's own instance.
 * Node-only (worker_threads, Atomics.wait on the main thread); import it
 * through the package's Node entry point.
 */
import { Worker } from 'node:worker_threads';
import { EngineError, OptionsError } from '../errors.js';
import { resolvePrecision, validateDataset, validateNetwork } from '../network/options.js';
import type { Dataset, Network, TrainingResult, TrainOptions } from '../network/types.js';
import { encodeShape, kernelMode, outputsOf, WasmEngine, type RemoteSet } from './engine.js';
import { loadModule } from './node.js';

/** Options of a threaded run: TrainOptions plus the thread count. */
export interface ThreadedTrainOptions extends TrainOptions {
  /**
   * Worker threads, each evaluating one slice of the training set. Results
   * are identical for a given count; different counts agree up to rounding.
   * @default 2
   */
  threads?: number;
}

// ctrl (Int32Array) words: sequence number, command, failure flag, then one
// acknowledgement per worker (the last sequence number it finished).
const SEQ = 0;
const CMD = 1;
const FAILED = 2;
const ACK = 3;
const CMD_STOP = 0;
const CMD_FORWARD = 1;
const CMD_BACKWARD = 2;
/** Bytes of ctrl for `threads` workers, rounded up so the f64 results that follow stay aligned. */
const ctrlBytes = (threads: number): number => Math.ceil((ACK + threads) / 2) * 8;

// The worker's body, evaluated as a CommonJS script: an inline script works
// the same from src/ (vitest) and dist/, with no worker file to locate.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, shape, inputs, targets, n, mode, sab, ctrlInts, index, P } = workerData;
const fail = () => { throw new Error('cvnet thread: unexpected import call'); };
const x = new WebAssembly.Instance(module, {
  env: { abort: fail, progress: () => 0, remoteForward: fail, remoteBackward: fail },
}).exports;
const put = (Type, values) => {
  const ptr = x.alloc(Math.max(values.byteLength, 8));
  new Type(x.memory.buffer, ptr, values.length).set(values);
  return ptr;
};
const shapePtr = put(Int32Array, Int32Array.from(shape));
const inPtr = put(Float64Array, inputs);
const tPtr = put(Float64Array, targets);
x.sliceOpen(shapePtr, inPtr, tPtr, n, mode);
x.free(inPtr);
x.free(tPtr);
const pPtr = x.alloc(P * 8);
const gPtr = x.alloc(P * 8);
const ctrl = new Int32Array(sab, 0, ctrlInts);
const shared = new Float64Array(sab, ctrlInts * 4);
const mine = P + 1 + index * (P + 1);
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  // Run each sequence number exactly once: wait until it changes, however
  // the wait ends (a worker that ran one command twice would acknowledge
  // for a slice it had not yet computed).
  let seq = Atomics.load(ctrl, ${SEQ});
  while (seq === seen) {
    Atomics.wait(ctrl, ${SEQ}, seen);
    seq = Atomics.load(ctrl, ${SEQ});
  }
  seen = seq;
  const cmd = Atomics.load(ctrl, ${CMD});
  if (cmd === ${CMD_STOP}) break;
  try {
    new Float64Array(x.memory.buffer, pPtr, P).set(shared.subarray(0, P));
    if (cmd === ${CMD_FORWARD}) shared[mine] = x.sliceForward(pPtr);
    else {
      x.sliceBackward(pPtr, shared[P], gPtr);
      shared.set(new Float64Array(x.memory.buffer, gPtr, P), mine + 1);
    }
  } catch {
    Atomics.store(ctrl, ${FAILED}, 1);
  }
  Atomics.store(ctrl, ${ACK} + index, seq);
  Atomics.notify(ctrl, ${ACK} + index);
}
x.sliceClose();
`;

/** Contiguous slice bounds: the first (samples mod threads) slices get one extra sample. */
function sliceBounds(samples: number, threads: number): number[] {
  const base = Math.floor(samples / threads);
  const extra = samples % threads;
  const bounds = [0];
  for (let w = 0; w < threads; w++) bounds.push(bounds[w]! + base + (w < extra ? 1 : 0));
  return bounds;
}

/**
 * traingdx like Engine.train, with the training set's forward and backward
 * passes split over `threads` worker threads. Resolves when training ends.
 */
export async function trainThreaded(
  net: Network, data: Dataset, options: ThreadedTrainOptions = {},
): Promise<TrainingResult> {
  validateNetwork(net);
  validateDataset(data, net);
  const { threads = 2, ...trainOptions } = options;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new OptionsError(`threads must be an integer from 1 to 256, got ${threads}`);
  }
  if (threads > data.samples) {
    throw new OptionsError(`threads (${threads}) must not exceed the training samples (${data.samples})`);
  }
  const mode = kernelMode(resolvePrecision(trainOptions.precision));
  const module = await loadModule();
  const P = net.params.length;
  const O = outputsOf(net);
  const ctrlSize = ctrlBytes(threads);
  const ctrlInts = ctrlSize / 4;
  const sab = new SharedArrayBuffer(ctrlSize + 8 * (P + 1 + threads * (P + 1)));
  const ctrl = new Int32Array(sab, 0, ctrlInts);
  const shared = new Float64Array(sab, ctrlSize);
  const shape = encodeShape(net);
  const bounds = sliceBounds(data.samples, threads);

  const workers = bounds.slice(0, -1).map((start, index) => {
    const end = bounds[index + 1]!;
    return new Worker(WORKER, {
      eval: true,
      workerData: {
        module, shape, mode, sab, ctrlInts, index, P, n: end - start,
        inputs: data.inputs.slice(start * net.inputs, end * net.inputs),
        targets: data.targets.slice(start * O, end * O),
      },
    });
  });
  try {
    await Promise.all(workers.map((worker, w) => new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', (error) => reject(new EngineError(`training thread ${w} failed to start: ${error.message}`, { cause: error })));
    })));

    /** Runs one command on every worker and blocks until each has acknowledged it. */
    const dispatch = (cmd: number): void => {
      Atomics.store(ctrl, CMD, cmd);
      const seq = Atomics.add(ctrl, SEQ, 1) + 1;
      Atomics.notify(ctrl, SEQ);
      for (let w = 0; w < threads; w++) {
        for (let ack = Atomics.load(ctrl, ACK + w); ack !== seq; ack = Atomics.load(ctrl, ACK + w)) {
          Atomics.wait(ctrl, ACK + w, ack);
        }
      }
      if (Atomics.load(ctrl, FAILED) !== 0) throw new EngineError('a training thread trapped in the Wasm core');
    };
    const remote: RemoteSet = {
      forward(params) {
        shared.set(params, 0);
        dispatch(CMD_FORWARD);
        let sse = 0;
        for (let w = 0; w < threads; w++) sse += shared[P + 1 + w * (P + 1)]!;
        return sse;
      },
      backward(params, M, g) {
        shared.set(params, 0);
        shared[P] = M;
        dispatch(CMD_BACKWARD);
        g.fill(0);
        for (let w = 0; w < threads; w++) {
          const base = P + 1 + w * (P + 1) + 1;
          for (let k = 0; k < P; k++) g[k] = g[k]! + shared[base + k]!;
        }
      },
    };
    const engine = new WasmEngine(module);
    await engine.init(true);
    return engine.trainRemote(net, data, trainOptions, remote);
  } finally {
    Atomics.store(ctrl, CMD, CMD_STOP);
    Atomics.add(ctrl, SEQ, 1);
    Atomics.notify(ctrl, SEQ);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
