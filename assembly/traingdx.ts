// traingdx: gradient descent with momentum and adaptive learning rate, exactly
// as MATLAB's Neural Network Toolbox (R2008+) runs it. The whole run happens
// inside one call so the data never leaves linear memory.

import {
  useNetwork, releaseNetwork, paramCount, inputCount, outputCount,
  activationBytes, transpose, forwardAll, backwardAll,
} from './network';

/** Host callback; a nonzero return cancels training. */
@external("env", "progress")
declare function progress(epoch: i32, perf: f64, lr: f64, grad: f64, vperf: f64): i32;

// Stop codes, mirrored by STOP_REASONS in packages/core/src/wasm/engine.ts.
export const STOP_GOAL: i32 = 0;
export const STOP_EPOCHS: i32 = 1;
export const STOP_MIN_GRAD: i32 = 2;
export const STOP_VALIDATION: i32 = 3;
export const STOP_CANCELLED: i32 = 4;

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

function norm(v: usize, len: i32): f64 {
  let s = 0.0;
  for (let k = 0; k < len; k++) {
    const x = load<f64>(at(v, k));
    s += x * x;
  }
  return Math.sqrt(s);
}

/** A copy of sample-major `src` (n×width) in feature-major order. */
function featureMajor(src: usize, n: i32, width: i32): usize {
  const dst = heap.alloc(<usize>n * <usize>width << 3);
  transpose(src, n, width, dst);
  return dst;
}

/**
 * Trains the network in place.
 * - shape: i32 [inputs, layers, sizes..., transfers...]
 * - params: f64, read as the initial network, overwritten with the best one
 * - inputs/targets: f64 sample-major n×R / n×O; vInputs/vTargets likewise for
 *   vn validation samples (vn = 0: no validation)
 * - options: f64 [epochs, goal, lr, lrInc, lrDec, maxPerfInc, mc, minGrad, maxFail]
 * - history: f64 4×(epochs+1), planar: perf, lr, gradient norm, vperf (NaN
 *   without validation)
 * - result: i32 [stop code, epochs run, best epoch]
 * All arguments must have been validated by the caller.
 */
export function train(
  shape: usize, params: usize, inputs: usize, targets: usize, n: i32,
  vInputs: usize, vTargets: usize, vn: i32,
  options: usize, progressEvery: i32, history: usize, result: usize,
): void {
  useNetwork(shape);
  const P = paramCount();
  const O = outputCount();
  const pBytes = <usize>P << 3;
  const epochs = <i32>load<f64>(at(options, 0));
  const goal = load<f64>(at(options, 1));
  let lr = load<f64>(at(options, 2));
  const lrInc = load<f64>(at(options, 3));
  const lrDec = load<f64>(at(options, 4));
  const maxPerfInc = load<f64>(at(options, 5));
  const mc = load<f64>(at(options, 6));
  const minGrad = load<f64>(at(options, 7));
  const maxFail = <i32>load<f64>(at(options, 8));
  const E1 = epochs + 1;

  const x = featureMajor(inputs, n, inputCount());
  const t = featureMajor(targets, n, O);
  const acts = heap.alloc(activationBytes(n));
  const hasVal = vn > 0;
  let vx: usize = 0, vt: usize = 0, vacts: usize = 0;
  if (hasVal) {
    vx = featureMajor(vInputs, vn, inputCount());
    vt = featureMajor(vTargets, vn, O);
    vacts = heap.alloc(activationBytes(vn));
  }
  const M = <f64>O * <f64>n;
  const vM = <f64>O * <f64>vn;

  // X is the current network, X2 the trial; the caller's params buffer holds
  // the best network seen so far.
  let X = heap.alloc(pBytes);
  let X2 = heap.alloc(pBytes);
  const dX = heap.alloc(pBytes);
  const g = heap.alloc(pBytes);
  memory.copy(X, params, pBytes);

  let perf = forwardAll(X, x, n, acts, t) / M;
  backwardAll(X, x, n, acts, t, g);
  let vperf = hasVal ? forwardAll(X, vx, vn, vacts, vt) / vM : NaN;
  for (let k = 0; k < P; k++) store<f64>(at(dX, k), lr * load<f64>(at(g, k)));
  let bestPerf = perf;
  let bestVperf = vperf;
  let bestEpoch = 0;
  let valFail = 0;
  let stop = -1;
  let epoch = 0;

  while (true) {
    const gradNorm = norm(g, P);
    if (perf <= goal) stop = STOP_GOAL;
    else if (epoch == epochs) stop = STOP_EPOCHS;
    else if (gradNorm <= minGrad) stop = STOP_MIN_GRAD;
    else if (hasVal && valFail >= maxFail) stop = STOP_VALIDATION;

    store<f64>(at(history, epoch), perf);
    store<f64>(at(history, E1 + epoch), lr);
    store<f64>(at(history, 2 * E1 + epoch), gradNorm);
    store<f64>(at(history, 3 * E1 + epoch), vperf);
    if (progressEvery > 0 && (stop >= 0 || epoch % progressEvery == 0)) {
      if (progress(epoch, perf, lr, gradNorm, vperf) != 0 && stop < 0) stop = STOP_CANCELLED;
    }
    if (stop >= 0) break;

    for (let k = 0; k < P; k++) {
      const step = mc * load<f64>(at(dX, k)) + (1.0 - mc) * lr * load<f64>(at(g, k));
      store<f64>(at(dX, k), step);
      store<f64>(at(X2, k), load<f64>(at(X, k)) + step);
    }
    // The trial forward keeps its activations in `acts`: on acceptance the
    // gradient comes from them, so an epoch costs one forward + one backward.
    const perf2 = forwardAll(X2, x, n, acts, t) / M;
    if (perf2 / perf > maxPerfInc) {
      // Reject: X stays, and momentum restarts from the plain gradient step.
      lr *= lrDec;
      for (let k = 0; k < P; k++) store<f64>(at(dX, k), lr * load<f64>(at(g, k)));
    } else {
      if (perf2 < perf) lr *= lrInc;
      const tmp = X;
      X = X2;
      X2 = tmp;
      perf = perf2;
      backwardAll(X, x, n, acts, t, g);
      // After a reject X is unchanged, so vperf is too: only recompute here.
      if (hasVal) vperf = forwardAll(X, vx, vn, vacts, vt) / vM;
    }

    if (hasVal) {
      if (vperf < bestVperf) {
        memory.copy(params, X, pBytes);
        bestVperf = vperf;
        bestEpoch = epoch + 1;
        valFail = 0;
      } else if (vperf > bestVperf) {
        valFail++;
      }
    } else if (perf < bestPerf) {
      memory.copy(params, X, pBytes);
      bestPerf = perf;
      bestEpoch = epoch + 1;
    }
    epoch++;
  }

  store<i32>(result, stop);
  store<i32>(result + 4, epoch);
  store<i32>(result + 8, bestEpoch);

  heap.free(X);
  heap.free(X2);
  heap.free(dX);
  heap.free(g);
  heap.free(x);
  heap.free(t);
  heap.free(acts);
  if (hasVal) {
    heap.free(vx);
    heap.free(vt);
    heap.free(vacts);
  }
  releaseNetwork();
}
