// Batched dense feed-forward network over float64 data in linear memory.
//
// Activations are kept feature-major: layer l's output is an S×N block in
// which neuron i's values for all N samples are contiguous (i*N + q). Every
// inner loop therefore walks contiguous memory (axpy over samples), which is
// what makes f64x2 SIMD possible. Work is done in blocks of CHUNK samples so a
// block of every layer's rows stays in cache between layers.

import { applyTransfer, scaleByDerivative } from './transfer';

const CHUNK: i32 = 256;

// The current network's layout, decoded once from the caller's shape buffer
// (i32: [inputs, layers, sizes..., transfers...]). Per layer PLAN_STRIDE i32:
// R, S, transfer, first param index, first activation row.
const PLAN_STRIDE: i32 = 5;
let plan: usize = 0;
let numLayers: i32 = 0;
let numInputs: i32 = 0;
let numOutputs: i32 = 0;
let numParams: i32 = 0;
let totalRows: i32 = 0;
let maxRows: i32 = 0;
// Two CHUNK-wide delta blocks used by the backward pass (ping-pong).
let deltaA: usize = 0;
let deltaB: usize = 0;

@inline function planAt(l: i32, field: i32): i32 {
  return load<i32>(plan + (<usize>(l * PLAN_STRIDE + field) << 2));
}
@inline function f64At(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/** Decodes `shape`; must be paired with releaseNetwork(). */
export function useNetwork(shape: usize): void {
  numInputs = load<i32>(shape);
  numLayers = load<i32>(shape + 4);
  plan = heap.alloc(<usize>(numLayers * PLAN_STRIDE) << 2);
  let r = numInputs;
  let p = 0;
  let row = 0;
  maxRows = 0;
  for (let l = 0; l < numLayers; l++) {
    const s = load<i32>(shape + (<usize>(2 + l) << 2));
    const base = plan + (<usize>(l * PLAN_STRIDE) << 2);
    store<i32>(base, r);
    store<i32>(base + 4, s);
    store<i32>(base + 8, load<i32>(shape + (<usize>(2 + numLayers + l) << 2)));
    store<i32>(base + 12, p);
    store<i32>(base + 16, row);
    p += s * r + s;
    row += s;
    if (s > maxRows) maxRows = s;
    r = s;
  }
  numOutputs = r;
  numParams = p;
  totalRows = row;
  deltaA = heap.alloc(<usize>(maxRows * CHUNK) << 3);
  deltaB = heap.alloc(<usize>(maxRows * CHUNK) << 3);
}

export function releaseNetwork(): void {
  heap.free(plan);
  heap.free(deltaA);
  heap.free(deltaB);
  plan = 0;
}

export function paramCount(): i32 { return numParams; }
export function outputCount(): i32 { return numOutputs; }
export function inputCount(): i32 { return numInputs; }

/** Bytes for one activation set (every layer's output for `n` samples). */
export function activationBytes(n: i32): usize {
  return <usize>totalRows * <usize>n << 3;
}

/** The output layer's O×N block inside an activation set. */
export function outputBlock(acts: usize, n: i32): usize {
  return f64At(acts, planAt(numLayers - 1, 4) * n);
}

/** dst (cols×rows) = transpose of src (rows×cols), both row-major. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      store<f64>(f64At(dst, j * rows + i), load<f64>(f64At(src, i * cols + j)));
    }
  }
}

/** o[k] += w * a[k] for k < len (f64x2 lanes; same arithmetic as scalar). */
function axpy(w: f64, a: usize, o: usize, len: i32): void {
  const wv = f64x2.splat(w);
  const pairs = len & ~1;
  let k = 0;
  for (; k < pairs; k += 2) {
    const p = f64At(o, k);
    v128.store(p, f64x2.add(v128.load(p), f64x2.mul(wv, v128.load(f64At(a, k)))));
  }
  if (k < len) store<f64>(f64At(o, k), load<f64>(f64At(o, k)) + w * load<f64>(f64At(a, k)));
}

/**
 * acc0 + Σ a[k]·b[k]. Two f64x2 lanes (even/odd samples) make this ~30 %
 * faster overall than a scalar loop; the changed summation order only moves
 * results by rounding (the reference comparison holds to 1e-12).
 */
function dotInto(acc0: f64, a: usize, b: usize, len: i32): f64 {
  let acc = f64x2.splat(0);
  const pairs = len & ~1;
  let k = 0;
  for (; k < pairs; k += 2) {
    acc = f64x2.add(acc, f64x2.mul(v128.load(f64At(a, k)), v128.load(f64At(b, k))));
  }
  let s = acc0 + (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
  if (k < len) s += load<f64>(f64At(a, k)) * load<f64>(f64At(b, k));
  return s;
}

/**
 * Forward pass for all `n` samples of x (R×N feature-major) into `acts`.
 * With targets `t` (O×N feature-major, or 0) returns Σ(t − y)², else 0.
 */
export function forwardAll(params: usize, x: usize, n: i32, acts: usize, t: usize): f64 {
  let sse = 0.0;
  for (let q0 = 0; q0 < n; q0 += CHUNK) {
    const len = min(CHUNK, n - q0);
    for (let l = 0; l < numLayers; l++) {
      const r = planAt(l, 0);
      const s = planAt(l, 1);
      const w = f64At(params, planAt(l, 3));
      const b = f64At(w, s * r);
      const input = l == 0 ? x : f64At(acts, planAt(l - 1, 4) * n);
      const out = f64At(acts, planAt(l, 4) * n);
      for (let i = 0; i < s; i++) {
        const o = f64At(out, i * n + q0);
        const bi = load<f64>(f64At(b, i));
        for (let k = 0; k < len; k++) store<f64>(f64At(o, k), bi);
        for (let j = 0; j < r; j++) {
          axpy(load<f64>(f64At(w, i * r + j)), f64At(input, j * n + q0), o, len);
        }
        applyTransfer(planAt(l, 2), o, len);
      }
    }
    if (t != 0) {
      const y = outputBlock(acts, n);
      // Sample by sample, outputs inner: the reference's summation order.
      for (let k = 0; k < len; k++) {
        for (let i = 0; i < numOutputs; i++) {
          const e = load<f64>(f64At(t, i * n + q0 + k)) - load<f64>(f64At(y, i * n + q0 + k));
          sse += e * e;
        }
      }
    }
  }
  return sse;
}

/**
 * Negative gradient of perf = Σe²/M (M = O·N) into g, from the activations a
 * previous forwardAll(params, x, n, acts, t) left in `acts`.
 */
export function backwardAll(params: usize, x: usize, n: i32, acts: usize, t: usize, g: usize): void {
  memory.fill(g, 0, <usize>numParams << 3);
  const M = <f64>numOutputs * <f64>n;
  for (let q0 = 0; q0 < n; q0 += CHUNK) {
    const len = min(CHUNK, n - q0);
    // Output deltas: 2(t − y)/M · f'(y) = −∂perf/∂n for the last layer.
    const last = numLayers - 1;
    const y = outputBlock(acts, n);
    let d = deltaA;
    let dPrev = deltaB;
    for (let i = 0; i < numOutputs; i++) {
      for (let k = 0; k < len; k++) {
        const idx = i * n + q0 + k;
        store<f64>(f64At(d, i * CHUNK + k), (2.0 * (load<f64>(f64At(t, idx)) - load<f64>(f64At(y, idx)))) / M);
      }
      scaleByDerivative(planAt(last, 2), f64At(y, i * n + q0), f64At(d, i * CHUNK), len);
    }
    for (let l = last; l >= 0; l--) {
      const r = planAt(l, 0);
      const s = planAt(l, 1);
      const w = f64At(params, planAt(l, 3));
      const gw = f64At(g, planAt(l, 3));
      const gb = f64At(gw, s * r);
      const input = l == 0 ? x : f64At(acts, planAt(l - 1, 4) * n);
      for (let i = 0; i < s; i++) {
        const di = f64At(d, i * CHUNK);
        for (let j = 0; j < r; j++) {
          const p = f64At(gw, i * r + j);
          store<f64>(p, dotInto(load<f64>(p), di, f64At(input, j * n + q0), len));
        }
        let sum = load<f64>(f64At(gb, i));
        for (let k = 0; k < len; k++) sum += load<f64>(f64At(di, k));
        store<f64>(f64At(gb, i), sum);
      }
      if (l > 0) {
        // Back-propagate: dPrev = Wᵀ d ⊙ f'(a_prev), one contiguous row at a time.
        for (let j = 0; j < r; j++) {
          const dj = f64At(dPrev, j * CHUNK);
          memory.fill(dj, 0, <usize>len << 3);
          for (let i = 0; i < s; i++) {
            axpy(load<f64>(f64At(w, i * r + j)), f64At(d, i * CHUNK), dj, len);
          }
          scaleByDerivative(planAt(l - 1, 2), f64At(input, j * n + q0), dj, len);
        }
        const tmp = d;
        d = dPrev;
        dPrev = tmp;
      }
    }
  }
}
