// cvnet's Wasm ABI: numbers and pointers only. The host allocates its buffers
// with alloc(), writes them, calls one function, reads results, and free()s.
// `mode` arguments select the kernels: MODE_* in network.ts.

import {
  Batch, useNetwork, releaseNetwork, paramCount, outputCount,
  batchOpen, batchClose, batchForward, batchBackward, score,
} from './network';
import { writeShortest } from './shortest';

export { train } from './traingdx';

/** Raw, unmanaged bytes (8-byte aligned or better) for host-owned buffers. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/**
 * Batched prediction: outputs (n×O, sample-major) for inputs (n×R,
 * sample-major). shape/params as for train(). Returns 1, or 0 when an input
 * is not finite (outputs then incomplete).
 */
export function forward(shape: usize, params: usize, inputs: usize, n: i32, outputs: usize, mode: i32): i32 {
  useNetwork(shape);
  const finite = score(params, inputs, n, outputs, mode);
  releaseNetwork();
  return finite ? 1 : 0;
}

/**
 * perf = mean squared error at params; writes ∂perf/∂params into gradient
 * (same layout as params) and returns perf.
 */
export function perfGradient(
  shape: usize, params: usize, inputs: usize, targets: usize, n: i32, gradient: usize, mode: i32,
): f64 {
  useNetwork(shape);
  const M = <f64>outputCount() * <f64>n;
  const b = batchOpen(inputs, targets, n, mode);
  const perf = batchForward(b, params) / M;
  batchBackward(b, params, M, gradient);
  // batchBackward yields the descent direction −∂perf/∂X; report the gradient.
  const P = paramCount();
  for (let k = 0; k < P; k++) {
    const p = gradient + (<usize>k << 3);
    store<f64>(p, -load<f64>(p));
  }
  batchClose(b);
  releaseNetwork();
  return perf;
}

// One slice of a training set held by a worker thread's instance (see
// packages/core/src/wasm/threads.ts): opened once, then evaluated per epoch.
let slice: Batch | null = null;

export function sliceOpen(shape: usize, inputs: usize, targets: usize, n: i32, mode: i32): void {
  useNetwork(shape);
  slice = batchOpen(inputs, targets, n, mode);
}

/** Σe² over the slice at params; keeps the activations for sliceBackward. */
export function sliceForward(params: usize): f64 {
  return batchForward(changetype<Batch>(slice), params);
}

/** The slice's share of the negative gradient (normaliser M) into g. */
export function sliceBackward(params: usize, M: f64, g: usize): void {
  batchBackward(changetype<Batch>(slice), params, M, g);
}

export function sliceClose(): void {
  const b = slice;
  if (b != null) batchClose(b);
  slice = null;
  releaseNetwork();
}

/** Writes String(values[i]) for i < n at out, each followed by '\n'; returns the bytes written. */
export function formatNumbers(values: usize, n: i32, out: usize): i32 {
  let p = out;
  for (let i = 0; i < n; i++) {
    p += writeShortest(load<f64>(values + (<usize>i << 3)), p);
    store<u8>(p, 0x0A);
    p++;
  }
  return <i32>(p - out);
}

export { classifyLines, linesClose, linesOpen } from './classify-lines';
