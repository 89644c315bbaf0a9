// A dense feed-forward network over batches of samples in linear memory.
//
// A Batch holds its samples feature-major (row j = feature j of every
// sample, contiguous) in the precision of its mode, zero-padded to a multiple
// of PAD samples so the kernels need no tail loops; padded samples get zero
// output deltas and are left out of every sum. Work runs in blocks of CHUNK
// samples so a block of every layer's rows stays in cache between layers.

import { backpropLayer, forwardLayer, gradientLayer } from './kernels';
import { LOGSIG, TANSIG } from './transfer';

/** Kernel modes (MODE_* in packages/core/src/wasm/engine.ts). */
export const MODE_F64: i32 = 0; // f64x2 SIMD, exact transfer functions
export const MODE_F32: i32 = 1; // f32x4 SIMD, rational tanh
export const MODE_F64_SCALAR: i32 = 2; // one sample at a time (benchmarks, tests)

const CHUNK: i32 = 256;
const PAD: i32 = 8; // two f32x4 lane groups: the widest kernel step

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
// Two CHUNK-wide delta blocks used by the backward pass (ping-pong), and the
// parameters converted to f32 for MODE_F32: allocated on first use, so a
// scoring call (f64, forward only) allocates neither.
let deltaA: usize = 0;
let deltaB: usize = 0;
let paramsF32: usize = 0;

@inline function planAt(l: i32, field: i32): i32 {
  return load<i32>(plan + (<usize>(l * PLAN_STRIDE + field) << 2));
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
}

export function releaseNetwork(): void {
  heap.free(plan);
  plan = 0;
  if (deltaA != 0) {
    heap.free(deltaA);
    heap.free(deltaB);
    deltaA = deltaB = 0;
  }
  if (paramsF32 != 0) {
    heap.free(paramsF32);
    paramsF32 = 0;
  }
}

export function paramCount(): i32 { return numParams; }
export function outputCount(): i32 { return numOutputs; }

/** Samples of one batch, in the layout and precision of its mode. */
@unmanaged export class Batch {
  n: i32 = 0; // real samples
  ns: i32 = 0; // padded row length
  mode: i32 = 0;
  x: usize = 0; // inputs, R × ns
  t: usize = 0; // targets, O × ns
  acts: usize = 0; // every layer's outputs, totalRows × ns
}

@inline function elemBytes(mode: i32): usize {
  return mode == MODE_F32 ? 4 : 8;
}

/** Copies sample-major f64 `src` (n × width) into a zero-padded feature-major block. */
function featureMajor(src: usize, n: i32, width: i32, ns: i32, mode: i32): usize {
  const bytes = <usize>width * <usize>ns * elemBytes(mode);
  const dst = heap.alloc(bytes);
  memory.fill(dst, 0, bytes);
  if (mode == MODE_F32) transposeInto<f32>(src, n, width, ns, dst);
  else transposeInto<f64>(src, n, width, ns, dst);
  return dst;
}

function transposeInto<T>(src: usize, n: i32, width: i32, ns: i32, dst: usize): void {
  const B = <usize>sizeof<T>();
  const rowBytes = <usize>ns * B;
  let p = src;
  for (let q = 0; q < n; q++) {
    let o = dst + <usize>q * B;
    for (let j = 0; j < width; j++) {
      store<T>(o, <T>load<f64>(p));
      p += 8;
      o += rowBytes;
    }
  }
}

/** A batch of n samples with their targets (scoring streams through score() instead). */
export function batchOpen(inputs: usize, targets: usize, n: i32, mode: i32): Batch {
  const b = changetype<Batch>(heap.alloc(offsetof<Batch>()));
  b.n = n;
  b.ns = (n + PAD - 1) & ~(PAD - 1);
  b.mode = mode;
  b.x = featureMajor(inputs, n, numInputs, b.ns, mode);
  b.t = featureMajor(targets, n, numOutputs, b.ns, mode);
  b.acts = heap.alloc(<usize>totalRows * <usize>b.ns * elemBytes(mode));
  return b;
}

export function batchClose(b: Batch): void {
  heap.free(b.x);
  heap.free(b.t);
  heap.free(b.acts);
  heap.free(changetype<usize>(b));
}

/** The output layer's row block (O × ns) inside the batch's activations. */
function outputRows(b: Batch): usize {
  return outputRowsOf(b.acts, b.ns, elemBytes(b.mode));
}

/** The output layer's rows inside activations whose rows are `stride` samples of `B` bytes. */
function outputRowsOf(acts: usize, stride: i32, B: usize): usize {
  return acts + <usize>(planAt(numLayers - 1, 4) * stride) * B;
}

/** Forward pass at params (f64); returns Σ(t − y)² over the batch's real samples. */
export function batchForward(b: Batch, params: usize): f64 {
  if (b.mode == MODE_F32) return forwardAll<v128, f32>(b, toF32(params));
  if (b.mode == MODE_F64_SCALAR) return forwardAll<f64, f64>(b, params);
  return forwardAll<v128, f64>(b, params);
}

/**
 * Negative gradient of perf = Σe²/M into g (f64, P), from the activations the
 * last batchForward(b, params) left. M is passed in because a batch may be
 * one slice of the training set (threads): M = outputs × all samples.
 */
export function batchBackward(b: Batch, params: usize, M: f64, g: usize): void {
  if (deltaA == 0) {
    deltaA = heap.alloc(<usize>(maxRows * CHUNK) << 3);
    deltaB = heap.alloc(<usize>(maxRows * CHUNK) << 3);
  }
  memory.fill(g, 0, <usize>numParams << 3);
  if (b.mode == MODE_F32) backwardAll<v128, f32>(b, toF32(params), M, g);
  else if (b.mode == MODE_F64_SCALAR) backwardAll<f64, f64>(b, params, M, g);
  else backwardAll<v128, f64>(b, params, M, g);
}

/** params rounded to f32 (the f32 kernels' weights); the f64 params stay the master copy. */
function toF32(params: usize): usize {
  if (paramsF32 == 0) paramsF32 = heap.alloc(<usize>numParams << 2);
  for (let k = 0; k < numParams; k++) {
    store<f32>(paramsF32 + (<usize>k << 2), <f32>load<f64>(params + (<usize>k << 3)));
  }
  return paramsF32;
}

function forwardAll<V, T>(b: Batch, w: usize): f64 {
  const B = <usize>sizeof<T>();
  const ns = b.ns;
  let sse = 0.0;
  for (let q0 = 0; q0 < ns; q0 += CHUNK) {
    const len = min(CHUNK, ns - q0);
    forwardRows<V, T>(w, b.x, b.acts, ns, q0, len);
    // Sample by sample, outputs inner: the reference's summation order.
    const y = outputRows(b);
    const end = min(q0 + len, b.n);
    for (let q = q0; q < end; q++) {
      for (let i = 0; i < numOutputs; i++) {
        const idx = <usize>(i * ns + q) * B;
        const e = <f64>load<T>(b.t + idx) - <f64>load<T>(y + idx);
        sse += e * e;
      }
    }
  }
  return sse;
}

/**
 * Every layer for samples [q0, q0 + len) of feature-major inputs x and
 * activations acts (all rows `stride` samples long): the one forward pass
 * behind training batches and scoring blocks.
 */
function forwardRows<V, T>(w: usize, x: usize, acts: usize, stride: i32, q0: i32, len: i32): void {
  const B = <usize>sizeof<T>();
  for (let l = 0; l < numLayers; l++) {
    const input = l == 0 ? x : acts + <usize>(planAt(l - 1, 4) * stride) * B;
    forwardLayer<V, T>(
      w + <usize>planAt(l, 3) * B, planAt(l, 0), planAt(l, 1), planAt(l, 2),
      input, acts + <usize>(planAt(l, 4) * stride) * B, stride, q0, len,
    );
  }
}

function backwardAll<V, T>(b: Batch, w: usize, M: f64, g: usize): void {
  const B = <usize>sizeof<T>();
  const ns = b.ns;
  const last = numLayers - 1;
  const y = outputRows(b);
  for (let q0 = 0; q0 < ns; q0 += CHUNK) {
    const len = min(CHUNK, ns - q0);
    const real = min(len, b.n - q0);
    // Output deltas: 2(t − y)/M · f'(y) = −∂perf/∂n; zero for padding.
    let d = deltaA;
    let dPrev = deltaB;
    const code = planAt(last, 2);
    for (let i = 0; i < numOutputs; i++) {
      for (let k = 0; k < len; k++) {
        let v = 0.0;
        if (k < real) {
          const idx = <usize>(i * ns + q0 + k) * B;
          const a = <f64>load<T>(y + idx);
          const fp = code == TANSIG ? 1.0 - a * a : code == LOGSIG ? a * (1.0 - a) : 1.0;
          v = ((2.0 * (<f64>load<T>(b.t + idx) - a)) / M) * fp;
        }
        store<T>(d + <usize>(i * CHUNK + k) * B, <T>v);
      }
    }
    for (let l = last; l >= 0; l--) {
      const r = planAt(l, 0);
      const s = planAt(l, 1);
      const input = l == 0 ? b.x : b.acts + <usize>(planAt(l - 1, 4) * ns) * B;
      gradientLayer<V, T>(g + (<usize>planAt(l, 3) << 3), r, s, d, CHUNK, input, ns, q0, len);
      if (l > 0) {
        backpropLayer<V, T>(w + <usize>planAt(l, 3) * B, r, s, planAt(l - 1, 2), d, dPrev, CHUNK, input, ns, q0, len);
        const tmp = d;
        d = dPrev;
        dPrev = tmp;
      }
    }
  }
}

// Scoring streams the samples through the network SCORE_BLOCK at a time: a
// block's inputs are transposed into a small feature-major buffer and run
// through every layer while the block's activations stay in L1, and the
// outputs go straight to the caller's sample-major buffer. Unlike a Batch
// there is no N-wide transposed copy or activation matrix to write and read
// back. Every neuron sees the same operations in the same order as in a
// Batch, so scores equal batchForward's outputs bit for bit.
const SCORE_BLOCK: i32 = 64;

/**
 * Outputs (n × O, sample-major f64) for inputs (n × R, sample-major f64) at
 * params (f64). Returns false, with `out` incomplete, when an input is not
 * finite: the check happens here, on values the transposition loads anyway,
 * and the host finds which one for its message.
 */
export function score(params: usize, inputs: usize, n: i32, out: usize, mode: i32): bool {
  if (mode == MODE_F32) return scoreAll<v128, f32>(toF32(params), inputs, n, out);
  if (mode == MODE_F64_SCALAR) return scoreAll<f64, f64>(params, inputs, n, out);
  return scoreAll<v128, f64>(params, inputs, n, out);
}

function scoreAll<V, T>(w: usize, inputs: usize, n: i32, out: usize): bool {
  const B = <usize>sizeof<T>();
  const rowBytes = <usize>SCORE_BLOCK * B;
  const x = heap.alloc(<usize>numInputs * rowBytes);
  const acts = heap.alloc(<usize>totalRows * rowBytes);
  const y = outputRowsOf(acts, SCORE_BLOCK, B);
  let finite = true;
  for (let q0 = 0; q0 < n; q0 += SCORE_BLOCK) {
    const len = min(SCORE_BLOCK, n - q0);
    // A short last block runs whole lane groups; the samples past len hold
    // stale workspace values, computed independently and never written out.
    const padded = (len + PAD - 1) & ~(PAD - 1);
    finite = transposeBlock<V, T>(inputs + (<usize>q0 * <usize>numInputs << 3), len, x);
    if (!finite) break;
    forwardRows<V, T>(w, x, acts, SCORE_BLOCK, 0, padded);
    let o = out + (<usize>q0 * <usize>numOutputs << 3);
    for (let q = 0; q < len; q++) {
      for (let i = 0; i < numOutputs; i++) {
        store<f64>(o, <f64>load<T>(y + <usize>i * rowBytes + <usize>q * B));
        o += 8;
      }
    }
  }
  heap.free(x);
  heap.free(acts);
  return finite;
}

// The finiteness check ORs together v − v of every input: ±0 for finite v,
// NaN (exponent bits all set) for ±Infinity and NaN. One OR per value keeps
// the dependency chain one cycle long, unlike a running sum.
const EXPONENT_BITS: u64 = 0x7FF0000000000000;

/**
 * Samples src[0..len) (sample-major f64, R wide) into x (feature-major T,
 * row stride SCORE_BLOCK); false if an input is not finite. For f32 lanes,
 * four samples at a time move as vectors: their input pairs are loaded as
 * f64x2, regrouped by shuffles, demoted and paired again, a quarter of the
 * scalar loop's stores (measured: f32 scoring ~9 % faster; pairs of f64
 * samples made no measurable difference, so f64 keeps the scalar loop).
 */
function transposeBlock<V, T>(src: usize, len: i32, x: usize): bool {
  const R = numInputs;
  const B = <usize>sizeof<T>();
  const rowBytes = <usize>SCORE_BLOCK * B;
  const sampleBytes = <usize>R << 3;
  let q = 0;
  let seen = v128.splat<i64>(0);
  if (isVector<V>() && sizeof<T>() == 4) {
    for (; q + 4 <= len; q += 4) {
      const a = src + <usize>q * sampleBytes;
      let o = x + <usize>q * B;
      let j = 0;
      for (; j + 2 <= R; j += 2) {
        const p = a + (<usize>j << 3);
        const va = v128.load(p);
        const vb = v128.load(p + sampleBytes);
        const vc = v128.load(p + 2 * sampleBytes);
        const vd = v128.load(p + 3 * sampleBytes);
        seen = v128.or(
          seen, v128.or(v128.or(f64x2.sub(va, va), f64x2.sub(vb, vb)), v128.or(f64x2.sub(vc, vc), f64x2.sub(vd, vd))),
        );
        // Inputs j (lanes 0) and j + 1 (lanes 1) of samples q, q + 1 and of q + 2, q + 3.
        const ab0 = f32x4.demote_f64x2_zero(v128.shuffle<i64>(va, vb, 0, 2));
        const ab1 = f32x4.demote_f64x2_zero(v128.shuffle<i64>(va, vb, 1, 3));
        const cd0 = f32x4.demote_f64x2_zero(v128.shuffle<i64>(vc, vd, 0, 2));
        const cd1 = f32x4.demote_f64x2_zero(v128.shuffle<i64>(vc, vd, 1, 3));
        v128.store(o, v128.shuffle<i32>(ab0, cd0, 0, 1, 4, 5));
        v128.store(o + rowBytes, v128.shuffle<i32>(ab1, cd1, 0, 1, 4, 5));
        o += 2 * rowBytes;
      }
      if (j < R) {
        // Odd R: the last input of these samples one by one.
        for (let k = 0; k < 4; k++) {
          const v = load<f64>(a + <usize>k * sampleBytes + (<usize>j << 3));
          seen = v128.or(seen, f64x2.splat(v - v));
          store<T>(o + <usize>k * B, <T>v);
        }
      }
    }
  }
  let seenScalar: u64 = 0;
  for (; q < len; q++) {
    let p = src + <usize>q * sampleBytes;
    let o = x + <usize>q * B;
    for (let j = 0; j < R; j++) {
      const v = load<f64>(p);
      seenScalar |= reinterpret<u64>(v - v);
      store<T>(o, <T>v);
      p += 8;
      o += rowBytes;
    }
  }
  seenScalar |= i64x2.extract_lane(seen, 0) | i64x2.extract_lane(seen, 1);
  return (seenScalar & EXPONENT_BITS) == 0;
}
