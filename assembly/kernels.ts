// Blocked dense-layer kernels over one chunk of samples, written once over
// lane groups (lanes.ts) and instantiated per precision / SIMD mode.
//
// Data are feature-major (row j of a layer's input holds all samples,
// contiguous, row stride `stride` samples) so the sample index runs along
// the vector lanes. Each kernel keeps a 2×2 block of lane groups in
// registers (two neurons × two lane groups of samples, or two neurons × two
// inputs for gradients): every loaded value feeds two multiply-adds, which
// is what lifts the loops from load-bound to arithmetic-bound. An odd last
// neuron/input is paired with itself and its duplicate result dropped.
//
// Summation orders: a neuron's net input is b + w₀x₀ + w₁x₁ + … in input
// order (the reference's order); sums over samples are split over lanes and
// the two lane groups and recombined in a fixed order, so a result depends
// on the chunk layout only, never on timing.

import { lanesOf, vadd, vload, vmul, vsplat, vstore, vsum } from './lanes';
import { derivative, transfer } from './transfer';

/**
 * out[i][q0 + k] = f(b[i] + Σ_j W[i][j]·in[j][q0 + k]) for k < len
 * (len a multiple of 2 lane groups). w: layer's W (s×r) then b (s), type T.
 */
export function forwardLayer<V, T>(
  w: usize, r: i32, s: i32, code: i32, input: usize, out: usize, stride: i32, q0: i32, len: i32,
): void {
  const L = lanesOf<V, T>();
  const B = <usize>sizeof<T>();
  const rowBytes = <usize>stride * B;
  const half = <usize>L * B;
  for (let i = 0; i < s; i += 2) {
    const i1 = min(i + 1, s - 1);
    const w0 = w + <usize>(i * r) * B;
    const w1 = w + <usize>(i1 * r) * B;
    const b0 = vsplat<V, T>(load<T>(w + <usize>(s * r + i) * B));
    const b1 = vsplat<V, T>(load<T>(w + <usize>(s * r + i1) * B));
    const o0 = out + <usize>(i * stride + q0) * B;
    const o1 = out + <usize>(i1 * stride + q0) * B;
    for (let k = 0; k < len; k += 2 * L) {
      let a00 = b0, a01 = b0, a10 = b1, a11 = b1;
      let xp = input + <usize>(q0 + k) * B;
      for (let j = 0; j < r; j++) {
        const x0 = vload<V, T>(xp);
        const x1 = vload<V, T>(xp + half);
        const c0 = vsplat<V, T>(load<T>(w0 + <usize>j * B));
        const c1 = vsplat<V, T>(load<T>(w1 + <usize>j * B));
        a00 = vadd<V, T>(a00, vmul<V, T>(c0, x0));
        a01 = vadd<V, T>(a01, vmul<V, T>(c0, x1));
        a10 = vadd<V, T>(a10, vmul<V, T>(c1, x0));
        a11 = vadd<V, T>(a11, vmul<V, T>(c1, x1));
        xp += rowBytes;
      }
      const p0 = o0 + <usize>k * B;
      vstore<V, T>(p0, transfer<V, T>(code, a00));
      vstore<V, T>(p0 + half, transfer<V, T>(code, a01));
      if (i1 != i) {
        const p1 = o1 + <usize>k * B;
        vstore<V, T>(p1, transfer<V, T>(code, a10));
        vstore<V, T>(p1 + half, transfer<V, T>(code, a11));
      }
    }
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
  for (let i = 0; i < s; i += 2) {
    const i1 = min(i + 1, s - 1);
    const d0 = d + <usize>(i * dStride) * B;
    const d1 = d + <usize>(i1 * dStride) * B;
    for (let j = 0; j < r; j += 2) {
      const j1 = min(j + 1, r - 1);
      const x0 = input + <usize>(j * stride + q0) * B;
      const x1 = input + <usize>(j1 * stride + q0) * B;
      let a00 = vsplat<V, T>(<T>0), a01 = a00, a10 = a00, a11 = a00;
      let e00 = a00, e01 = a00, e10 = a00, e11 = a00;
      for (let k = 0; k < len; k += 2 * L) {
        const o = <usize>k * B;
        const p = vload<V, T>(d0 + o), pp = vload<V, T>(d0 + o + half);
        const u = vload<V, T>(d1 + o), uu = vload<V, T>(d1 + o + half);
        const x = vload<V, T>(x0 + o), xx = vload<V, T>(x0 + o + half);
        const y = vload<V, T>(x1 + o), yy = vload<V, T>(x1 + o + half);
        a00 = vadd<V, T>(a00, vmul<V, T>(p, x));
        e00 = vadd<V, T>(e00, vmul<V, T>(pp, xx));
        a01 = vadd<V, T>(a01, vmul<V, T>(p, y));
        e01 = vadd<V, T>(e01, vmul<V, T>(pp, yy));
        a10 = vadd<V, T>(a10, vmul<V, T>(u, x));
        e10 = vadd<V, T>(e10, vmul<V, T>(uu, xx));
        a11 = vadd<V, T>(a11, vmul<V, T>(u, y));
        e11 = vadd<V, T>(e11, vmul<V, T>(uu, yy));
      }
      addTo(g, i * r + j, vsum<V, T>(a00) + vsum<V, T>(e00));
      if (j1 != j) addTo(g, i * r + j1, vsum<V, T>(a01) + vsum<V, T>(e01));
      if (i1 != i) {
        addTo(g, i1 * r + j, vsum<V, T>(a10) + vsum<V, T>(e10));
        if (j1 != j) addTo(g, i1 * r + j1, vsum<V, T>(a11) + vsum<V, T>(e11));
      }
    }
  }
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
        const c0 = vsplat<V, T>(load<T>(w + <usize>(i * r + j) * B));
        const c1 = vsplat<V, T>(load<T>(w + <usize>(i * r + j1) * B));
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
