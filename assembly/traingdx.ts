// traingdx: gradient descent with momentum and adaptive learning rate, exactly
// as MATLAB's Neural Network Toolbox (R2008+) runs it. The whole run happens
// inside one call so the data never leaves linear memory.

import {
  Batch, useNetwork, releaseNetwork, paramCount, outputCount, batchOpen, batchClose, batchForward, batchBackward,
} from './network';

/** Host callback; a nonzero return cancels training. */
@external("env", "progress")
declare function progress(epoch: i32, perf: f64, lr: f64, grad: f64, vperf: f64, tperf: f64): i32;

/**
 * Remote training set (threads): the host evaluates Σe² at params over all
 * its slices (remoteForward), then, for the same params, writes the summed
 * negative gradient for normaliser M into g (remoteBackward). The host
 * reduces the slices in a fixed order, so results don't depend on timing.
 */
@external("env", "remoteForward")
declare function remoteForward(params: usize): f64;
@external("env", "remoteBackward")
declare function remoteBackward(params: usize, M: f64, g: usize): void;

// The training set: a local batch, or null when the host evaluates it remotely.
let trainSet: Batch | null = null;

@inline function sseAt(params: usize): f64 {
  const b = trainSet;
  return b != null ? batchForward(b, params) : remoteForward(params);
}

@inline function gradientAt(params: usize, M: f64, g: usize): void {
  const b = trainSet;
  if (b != null) batchBackward(b, params, M, g);
  else remoteBackward(params, M, g);
}

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

/**
 * Trains the network in place.
 * - shape: i32 [inputs, layers, sizes..., transfers...]
 * - params: f64, read as the initial network, overwritten with the best one
 * - inputs/targets: f64 sample-major n×R / n×O; vInputs/vTargets likewise for
 *   vn validation samples (vn = 0: no validation), tInputs/tTargets for tn
 *   test samples (tn = 0: no test set)
 * - options: f64 [epochs, goal, lr, lrInc, lrDec, maxPerfInc, mc, minGrad, maxFail]
 * - history: f64 5×(epochs+1), planar: perf, lr, gradient norm, vperf (NaN
 *   without validation), tperf (NaN without a test set)
 * - result: i32 [stop code, epochs run, best epoch]
 * - mode: kernel mode (MODE_* in network.ts); remote ≠ 0: the training set
 *   (n samples) is evaluated by the host, inputs/targets are unused
 * All arguments must have been validated by the caller.
 */
export function train(
  shape: usize, params: usize, inputs: usize, targets: usize, n: i32,
  vInputs: usize, vTargets: usize, vn: i32,
  tInputs: usize, tTargets: usize, tn: i32,
  options: usize, progressEvery: i32, history: usize, result: usize,
  mode: i32, remote: i32,
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

  trainSet = remote != 0 ? null : batchOpen(inputs, targets, n, mode);
  const hasVal = vn > 0;
  const vset = hasVal ? batchOpen(vInputs, vTargets, vn, mode) : changetype<Batch>(0);
  // The test set is only ever measured (MATLAB's tr.tperf): it never
  // influences a step, the stopping rules or the choice of the best network.
  const hasTest = tn > 0;
  const tset = hasTest ? batchOpen(tInputs, tTargets, tn, mode) : changetype<Batch>(0);
  const M = <f64>O * <f64>n;
  const vM = <f64>O * <f64>vn;
  const tM = <f64>O * <f64>tn;

  // X is the current network, X2 the trial; the caller's params buffer holds
  // the best network seen so far.
  let X = heap.alloc(pBytes);
  let X2 = heap.alloc(pBytes);
  const dX = heap.alloc(pBytes);
  const g = heap.alloc(pBytes);
  memory.copy(X, params, pBytes);

  let perf = sseAt(X) / M;
  gradientAt(X, M, g);
  let vperf = hasVal ? batchForward(vset, X) / vM : NaN;
  let tperf = hasTest ? batchForward(tset, X) / tM : NaN;
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
    store<f64>(at(history, 4 * E1 + epoch), tperf);
    if (progressEvery > 0 && (stop >= 0 || epoch % progressEvery == 0)) {
      if (progress(epoch, perf, lr, gradNorm, vperf, tperf) != 0 && stop < 0) stop = STOP_CANCELLED;
    }
    if (stop >= 0) break;

    for (let k = 0; k < P; k++) {
      const step = mc * load<f64>(at(dX, k)) + (1.0 - mc) * lr * load<f64>(at(g, k));
      store<f64>(at(dX, k), step);
      store<f64>(at(X2, k), load<f64>(at(X, k)) + step);
    }
    // The trial forward keeps its activations: on acceptance the gradient
    // comes from them, so an epoch costs one forward + one backward.
    const perf2 = sseAt(X2) / M;
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
      gradientAt(X, M, g);
      // After a reject X is unchanged, so vperf and tperf are too: only
      // recompute here.
      if (hasVal) vperf = batchForward(vset, X) / vM;
      if (hasTest) tperf = batchForward(tset, X) / tM;
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
  const b = trainSet;
  if (b != null) batchClose(b);
  trainSet = null;
  if (hasVal) batchClose(vset);
  if (hasTest) batchClose(tset);
  releaseNetwork();
}
