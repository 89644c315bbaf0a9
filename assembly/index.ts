// cvnet's Wasm ABI: numbers and pointers only. The host allocates its buffers
// with alloc(), writes them, calls one function, reads results, and free()s.

import {
  useNetwork, releaseNetwork, inputCount, outputCount, paramCount,
  activationBytes, transpose, forwardAll, backwardAll, outputBlock,
} from './network';

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
 * sample-major). shape/params as for train().
 */
export function forward(shape: usize, params: usize, inputs: usize, n: i32, outputs: usize): void {
  useNetwork(shape);
  const x = heap.alloc(<usize>n * <usize>inputCount() << 3);
  transpose(inputs, n, inputCount(), x);
  const acts = heap.alloc(activationBytes(n));
  forwardAll(params, x, n, acts, 0);
  transpose(outputBlock(acts, n), outputCount(), n, outputs);
  heap.free(x);
  heap.free(acts);
  releaseNetwork();
}

/**
 * perf = mean squared error at params; writes ∂perf/∂params into gradient
 * (same layout as params) and returns perf.
 */
export function perfGradient(
  shape: usize, params: usize, inputs: usize, targets: usize, n: i32, gradient: usize,
): f64 {
  useNetwork(shape);
  const O = outputCount();
  const x = heap.alloc(<usize>n * <usize>inputCount() << 3);
  const t = heap.alloc(<usize>n * <usize>O << 3);
  transpose(inputs, n, inputCount(), x);
  transpose(targets, n, O, t);
  const acts = heap.alloc(activationBytes(n));
  const perf = forwardAll(params, x, n, acts, t) / (<f64>O * <f64>n);
  backwardAll(params, x, n, acts, t, gradient);
  // backwardAll yields the descent direction −∂perf/∂X; report the gradient.
  const P = paramCount();
  for (let k = 0; k < P; k++) {
    const p = gradient + (<usize>k << 3);
    store<f64>(p, -load<f64>(p));
  }
  heap.free(x);
  heap.free(t);
  heap.free(acts);
  releaseNetwork();
  return perf;
}
