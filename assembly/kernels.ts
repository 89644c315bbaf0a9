// Blocked dense-layer kernels over one chunk of samples, written once over
// lane groups (lanes.ts) and instantiated per precision / SIMD mode.
//
// Data are feature-major (row j of a layer's input holds all samples,
// contiguous, row stride `stride` samples) so the sample index runs along
// the vector lanes. The kernels keep blocks of independent sums in
// registers: forward, four neurons × two lane groups of samples; weight
// gradients, four neurons × two inputs over one lane group; back-propagation,
// two inputs × two lane groups. Each loaded value then feeds two or more
// multiply-adds, and eight independent sums keep the adders busy instead of
// waiting on each other's latency (measured: forward ~13 %, backward ~35 %
// faster than 2×2 blocks for 14–29–1). The last s mod 4 neurons go through
// smaller kernels; back-propagation pairs an odd last input with itself and
// drops the duplicate result.
//
// Summation orders: a neuron's net input is b + w₀x₀ + w₁x₁ + … in input
// order (the reference's order, whatever the blocking); sums over samples
// are split over lanes (and, for biases, two lane groups) and recombined in
// a fixed order, so a result depends on the chunk layout only, never on
// timing.

import { lanesOf, vadd, vload, vloadSplat, vmul, vsplat, vstore, vsum } from './lanes';
import { activate, derivative, PURELIN } from './transfer';

/**
 * out[i][q0 + k] = f(b[i] + Σ_j W[i][j]·in[j][q0 + k]) for k < len
 * (len a multiple of 2 lane groups). w: layer's W (s×r) then b (s), type T.
 * Neurons go four at a time, then a pair, then a single one, storing net
 * inputs; activate() then applies f row by row, out of the register blocks.
 */
export function forwardLayer<V, T>(
  w: usize, r: i32, s: i32, code: i32, input: usize, out: usize, stride: i32, q0: i32, len: i32,
): void {
  let i = 0;
  for (; i + 4 <= s; i += 4) forward4<V, T>(w, r, s, input, out, stride, q0, len, i);
  for (; i + 2 <= s; i += 2) forward2<V, T>(w, r, s, input, out, stride, q0, len, i);
  if (i < s) forward1<V, T>(w, r, s, input, out, stride, q0, len, i);
  if (code != PURELIN) {
    const count = len / lanesOf<V, T>();
    for (i = 0; i < s; i++) activate<V, T>(code, out + <usize>(i * stride + q0) * sizeof<T>(), count);
  }
}

/** Neurons i..i+3 over two lane groups of samples at a time. */
function forward4<V, T>(
  w: usize, r: i32, s: i32, input: usize, out: usize, stride: i32, q0: i32, len: i32, i: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const rowBytes = <usize>stride * B;
  const half = <usize>L * B;
  const wRow = <usize>r * B;
  const w0 = w + <usize>(i * r) * B;
  const bias = w + <usize>(s * r + i) * B;
  const b0 = vloadSplat<V, T>(bias);
  const b1 = vloadSplat<V, T>(bias + B);
  const b2 = vloadSplat<V, T>(bias + 2 * B);
  const b3 = vloadSplat<V, T>(bias + 3 * B);
  const o0 = out + <usize>(i * stride + q0) * B;
  for (let k = 0; k < len; k += 2 * L) {
    let a00 = b0, a01 = b0, a10 = b1, a11 = b1, a20 = b2, a21 = b2, a30 = b3, a31 = b3;
    let xp = input + <usize>(q0 + k) * B;
    let wp = w0;
    for (let j = 0; j < r; j++) {
      const x0 = vload<V, T>(xp);
      const x1 = vload<V, T>(xp + half);
      const c0 = vloadSplat<V, T>(wp);
      const c1 = vloadSplat<V, T>(wp + wRow);
      const c2 = vloadSplat<V, T>(wp + 2 * wRow);
      const c3 = vloadSplat<V, T>(wp + 3 * wRow);
      a00 = vadd<V, T>(a00, vmul<V, T>(c0, x0));
      a01 = vadd<V, T>(a01, vmul<V, T>(c0, x1));
      a10 = vadd<V, T>(a10, vmul<V, T>(c1, x0));
      a11 = vadd<V, T>(a11, vmul<V, T>(c1, x1));
      a20 = vadd<V, T>(a20, vmul<V, T>(c2, x0));
      a21 = vadd<V, T>(a21, vmul<V, T>(c2, x1));
      a30 = vadd<V, T>(a30, vmul<V, T>(c3, x0));
      a31 = vadd<V, T>(a31, vmul<V, T>(c3, x1));
      xp += rowBytes;
      wp += B;
    }
    const p = o0 + <usize>k * B;
    vstore<V, T>(p, a00);
    vstore<V, T>(p + half, a01);
    vstore<V, T>(p + rowBytes, a10);
    vstore<V, T>(p + rowBytes + half, a11);
    vstore<V, T>(p + 2 * rowBytes, a20);
    vstore<V, T>(p + 2 * rowBytes + half, a21);
    vstore<V, T>(p + 3 * rowBytes, a30);
    vstore<V, T>(p + 3 * rowBytes + half, a31);
  }
}

/** Neuron i alone (an odd last one, e.g. a single output): no duplicate work for a partner. */
function forward1<V, T>(
  w: usize, r: i32, s: i32, input: usize, out: usize, stride: i32, q0: i32, len: i32, i: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const rowBytes = <usize>stride * B;
  const half = <usize>L * B;
  const w0 = w + <usize>(i * r) * B;
  const b0 = vloadSplat<V, T>(w + <usize>(s * r + i) * B);
  const o0 = out + <usize>(i * stride + q0) * B;
  for (let k = 0; k < len; k += 2 * L) {
    let a0 = b0, a1 = b0;
    let xp = input + <usize>(q0 + k) * B;
    for (let j = 0; j < r; j++) {
      const c = vloadSplat<V, T>(w0 + <usize>j * B);
      a0 = vadd<V, T>(a0, vmul<V, T>(c, vload<V, T>(xp)));
      a1 = vadd<V, T>(a1, vmul<V, T>(c, vload<V, T>(xp + half)));
      xp += rowBytes;
    }
    const p = o0 + <usize>k * B;
    vstore<V, T>(p, a0);
    vstore<V, T>(p + half, a1);
  }
}

/** Neurons i and i + 1. */
function forward2<V, T>(
  w: usize, r: i32, s: i32, input: usize, out: usize, stride: i32, q0: i32, len: i32, i: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const rowBytes = <usize>stride * B;
  const half = <usize>L * B;
  const w0 = w + <usize>(i * r) * B;
  const w1 = w0 + <usize>r * B;
  const b0 = vloadSplat<V, T>(w + <usize>(s * r + i) * B);
  const b1 = vloadSplat<V, T>(w + <usize>(s * r + i + 1) * B);
  const o0 = out + <usize>(i * stride + q0) * B;
  for (let k = 0; k < len; k += 2 * L) {
    let a00 = b0, a01 = b0, a10 = b1, a11 = b1;
    let xp = input + <usize>(q0 + k) * B;
    for (let j = 0; j < r; j++) {
      const x0 = vload<V, T>(xp);
      const x1 = vload<V, T>(xp + half);
      const c0 = vloadSplat<V, T>(w0 + <usize>j * B);
      const c1 = vloadSplat<V, T>(w1 + <usize>j * B);
      a00 = vadd<V, T>(a00, vmul<V, T>(c0, x0));
      a01 = vadd<V, T>(a01, vmul<V, T>(c0, x1));
      a10 = vadd<V, T>(a10, vmul<V, T>(c1, x0));
      a11 = vadd<V, T>(a11, vmul<V, T>(c1, x1));
      xp += rowBytes;
    }
    const p = o0 + <usize>k * B;
    vstore<V, T>(p, a00);
    vstore<V, T>(p + half, a01);
    vstore<V, T>(p + rowBytes, a10);
    vstore<V, T>(p + rowBytes + half, a11);
  }
}

/**
 * Adds this chunk's share of the (negative) gradient to g (f64, the layer's
 * W then b): g_W[i][j] += Σ_k d[i][k]·in[j][q0 + k], g_b[i] += Σ_k d[i][k].
 * d: s rows of `len` deltas (row stride dStride), type T.
 */
export function gradientLayer<V, T>(
  g: usize, r: i32, s: i32, d: usize, dStride: i32, input: usize, stride: i32, q0: i32, len: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const half = <usize>L * B;
  let i0 = 0;
  for (; i0 + 4 <= s; i0 += 4) gradient4<V, T>(g, r, d, dStride, input, stride, q0, len, i0);
  for (; i0 < s; i0++) gradient1<V, T>(g, r, d, dStride, input, stride, q0, len, i0);
  for (let i = 0; i < s; i++) {
    const di = d + <usize>(i * dStride) * B;
    let a = vsplat<V, T>(<T>0), e = a;
    for (let k = 0; k < len; k += 2 * L) {
      a = vadd<V, T>(a, vload<V, T>(di + <usize>k * B));
      e = vadd<V, T>(e, vload<V, T>(di + <usize>k * B + half));
    }
    addTo(g, s * r + i, vsum<V, T>(a) + vsum<V, T>(e));
  }
}

/**
 * Weight gradients of neurons i..i+3, two inputs at a time over one lane
 * group per step: six loads feed eight multiply-adds.
 */
function gradient4<V, T>(
  g: usize, r: i32, d: usize, dStride: i32, input: usize, stride: i32, q0: i32, len: i32, i: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const dRow = <usize>dStride * B;
  const d0 = d + <usize>(i * dStride) * B;
  for (let j = 0; j < r; j += 2) {
    const j1 = min(j + 1, r - 1);
    const x0 = input + <usize>(j * stride + q0) * B;
    const x1 = input + <usize>(j1 * stride + q0) * B;
    let a00 = vsplat<V, T>(<T>0), a01 = a00, a10 = a00, a11 = a00;
    let a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    for (let k = 0; k < len; k += L) {
      const o = <usize>k * B;
      const x = vload<V, T>(x0 + o);
      const y = vload<V, T>(x1 + o);
      const p0 = vload<V, T>(d0 + o);
      a00 = vadd<V, T>(a00, vmul<V, T>(p0, x));
      a01 = vadd<V, T>(a01, vmul<V, T>(p0, y));
      const p1 = vload<V, T>(d0 + dRow + o);
      a10 = vadd<V, T>(a10, vmul<V, T>(p1, x));
      a11 = vadd<V, T>(a11, vmul<V, T>(p1, y));
      const p2 = vload<V, T>(d0 + 2 * dRow + o);
      a20 = vadd<V, T>(a20, vmul<V, T>(p2, x));
      a21 = vadd<V, T>(a21, vmul<V, T>(p2, y));
      const p3 = vload<V, T>(d0 + 3 * dRow + o);
      a30 = vadd<V, T>(a30, vmul<V, T>(p3, x));
      a31 = vadd<V, T>(a31, vmul<V, T>(p3, y));
    }
    addTo(g, i * r + j, vsum<V, T>(a00));
    addTo(g, (i + 1) * r + j, vsum<V, T>(a10));
    addTo(g, (i + 2) * r + j, vsum<V, T>(a20));
    addTo(g, (i + 3) * r + j, vsum<V, T>(a30));
    if (j1 != j) {
      addTo(g, i * r + j1, vsum<V, T>(a01));
      addTo(g, (i + 1) * r + j1, vsum<V, T>(a11));
      addTo(g, (i + 2) * r + j1, vsum<V, T>(a21));
      addTo(g, (i + 3) * r + j1, vsum<V, T>(a31));
    }
  }
}

/** Weight gradients of neuron i alone (the last s mod 4), four inputs at a time, then the last r mod 4. */
function gradient1<V, T>(
  g: usize, r: i32, d: usize, dStride: i32, input: usize, stride: i32, q0: i32, len: i32, i: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const xRow = <usize>stride * B;
  const di = d + <usize>(i * dStride) * B;
  let j = 0;
  for (; j + 4 <= r; j += 4) {
    const x0 = input + <usize>(j * stride + q0) * B;
    let a0 = vsplat<V, T>(<T>0), a1 = a0, a2 = a0, a3 = a0;
    for (let k = 0; k < len; k += L) {
      const o = <usize>k * B;
      const p = vload<V, T>(di + o);
      a0 = vadd<V, T>(a0, vmul<V, T>(p, vload<V, T>(x0 + o)));
      a1 = vadd<V, T>(a1, vmul<V, T>(p, vload<V, T>(x0 + xRow + o)));
      a2 = vadd<V, T>(a2, vmul<V, T>(p, vload<V, T>(x0 + 2 * xRow + o)));
      a3 = vadd<V, T>(a3, vmul<V, T>(p, vload<V, T>(x0 + 3 * xRow + o)));
    }
    addTo(g, i * r + j, vsum<V, T>(a0));
    addTo(g, i * r + j + 1, vsum<V, T>(a1));
    addTo(g, i * r + j + 2, vsum<V, T>(a2));
    addTo(g, i * r + j + 3, vsum<V, T>(a3));
  }
  for (; j < r; j++) {
    const x0 = input + <usize>(j * stride + q0) * B;
    let a0 = vsplat<V, T>(<T>0);
    for (let k = 0; k < len; k += L) {
      const o = <usize>k * B;
      a0 = vadd<V, T>(a0, vmul<V, T>(vload<V, T>(di + o), vload<V, T>(x0 + o)));
    }
    addTo(g, i * r + j, vsum<V, T>(a0));
  }
}

@inline function addTo(g: usize, index: i32, v: f64): void {
  const p = g + (<usize>index << 3);
  store<f64>(p, load<f64>(p) + v);
}

/**
 * Back-propagates deltas one layer down: dPrev[j][k] = f'(a[j][q0 + k]) ·
 * Σ_i W[i][j]·d[i][k], where a = the layer's input (previous layer's output,
 * transfer `code`). w: the layer's W (s×r), type T.
 */
export function backpropLayer<V, T>(
  w: usize, r: i32, s: i32, code: i32, d: usize, dPrev: usize, dStride: i32,
  input: usize, stride: i32, q0: i32, len: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const half = <usize>L * B;
  for (let j = 0; j < r; j += 2) {
    const j1 = min(j + 1, r - 1);
    for (let k = 0; k < len; k += 2 * L) {
      const o = <usize>k * B;
      let a00 = vsplat<V, T>(<T>0), a01 = a00, a10 = a00, a11 = a00;
      for (let i = 0; i < s; i++) {
        const di = d + <usize>(i * dStride) * B + o;
        const p = vload<V, T>(di), pp = vload<V, T>(di + half);
        const c0 = vloadSplat<V, T>(w + <usize>(i * r + j) * B);
        const c1 = vloadSplat<V, T>(w + <usize>(i * r + j1) * B);
        a00 = vadd<V, T>(a00, vmul<V, T>(c0, p));
        a01 = vadd<V, T>(a01, vmul<V, T>(c0, pp));
        a10 = vadd<V, T>(a10, vmul<V, T>(c1, p));
        a11 = vadd<V, T>(a11, vmul<V, T>(c1, pp));
      }
      const in0 = input + <usize>(j * stride + q0) * B + o;
      const out0 = dPrev + <usize>(j * dStride) * B + o;
      vstore<V, T>(out0, vmul<V, T>(a00, derivative<V, T>(code, vload<V, T>(in0))));
      vstore<V, T>(out0 + half, vmul<V, T>(a01, derivative<V, T>(code, vload<V, T>(in0 + half))));
      if (j1 != j) {
        const in1 = input + <usize>(j1 * stride + q0) * B + o;
        const out1 = dPrev + <usize>(j1 * dStride) * B + o;
        vstore<V, T>(out1, vmul<V, T>(a10, derivative<V, T>(code, vload<V, T>(in1))));
        vstore<V, T>(out1 + half, vmul<V, T>(a11, derivative<V, T>(code, vload<V, T>(in1 + half))));
      }
    }
  }
}
