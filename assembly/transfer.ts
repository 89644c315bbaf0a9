// Transfer functions on lane groups (see lanes.ts), applied by activate()
// to the net inputs the forward kernels store. Codes mirror TRANSFER_CODES in
// packages/core/src/network/transfer.ts.
//
// f64 (scalar and SIMD) is exact: tansig = 2/(1+exp(-2n)) - 1 and logsig =
// 1/(1+exp(-n)), MATLAB's formulas, with exp correctly rounded to < 1 ulp and
// the SIMD lanes bit-identical to the scalar Math.exp (exp.ts). tansig via
// exp rather than Math.tanh because AssemblyScript's tanh measured ~1.5x
// slower. f32 mode trades accuracy for speed: a rational tanh (below).

import { expF64x2 } from './exp';
import { vadd, vdiv, vload, vmax, vmin, vmul, vsplat, vstore, vsub } from './lanes';

export const PURELIN: i32 = 0;
export const LOGSIG: i32 = 1;
export const TANSIG: i32 = 2;

@inline function expOf<V, T>(x: V): V {
  if (isVector<V>()) return expF64x2(x);
  else return <V>Math.exp(<f64>x);
}

/**
 * tanh for f32 lanes: Eigen's odd rational approximation (degree 13/6,
 * clamped at ±7.9053), max error ≈ 2 ulp of f32 ≈ 2.4e-7 absolute.
 */
@inline function tanhF32<V>(x: V): V {
  const c = vmin<V, f32>(vmax<V, f32>(x, vsplat<V, f32>(-7.90531110763549805)), vsplat<V, f32>(7.90531110763549805));
  const x2 = vmul<V, f32>(c, c);
  let p = vsplat<V, f32>(-2.76076847742355e-16);
  p = vadd<V, f32>(vmul<V, f32>(p, x2), vsplat<V, f32>(2.00018790482477e-13));
  p = vadd<V, f32>(vmul<V, f32>(p, x2), vsplat<V, f32>(-8.60467152213735e-11));
  p = vadd<V, f32>(vmul<V, f32>(p, x2), vsplat<V, f32>(5.12229709037114e-08));
  p = vadd<V, f32>(vmul<V, f32>(p, x2), vsplat<V, f32>(1.48572235717979e-05));
  p = vadd<V, f32>(vmul<V, f32>(p, x2), vsplat<V, f32>(6.37261928875436e-04));
  p = vadd<V, f32>(vmul<V, f32>(p, x2), vsplat<V, f32>(4.89352455891786e-03));
  p = vmul<V, f32>(p, c);
  let q = vsplat<V, f32>(1.19825839466702e-06);
  q = vadd<V, f32>(vmul<V, f32>(q, x2), vsplat<V, f32>(1.18534705686654e-04));
  q = vadd<V, f32>(vmul<V, f32>(q, x2), vsplat<V, f32>(2.26843463243900e-03));
  q = vadd<V, f32>(vmul<V, f32>(q, x2), vsplat<V, f32>(4.89352518554385e-03));
  return vdiv<V, f32>(p, q);
}

/** f(n) for the layer's transfer code. */
@inline function transfer<V, T>(code: i32, n: V): V {
  if (sizeof<T>() == 8) {
    if (code == TANSIG) {
      const e = expOf<V, T>(vmul<V, T>(vsplat<V, T>(-2.0), n));
      return vsub<V, T>(vdiv<V, T>(vsplat<V, T>(2.0), vadd<V, T>(vsplat<V, T>(1.0), e)), vsplat<V, T>(1.0));
    }
    if (code == LOGSIG) {
      const e = expOf<V, T>(vsub<V, T>(vsplat<V, T>(0.0), n));
      return vdiv<V, T>(vsplat<V, T>(1.0), vadd<V, T>(vsplat<V, T>(1.0), e));
    }
    return n;
  } else {
    if (code == TANSIG) return tanhF32<V>(n);
    // logsig(n) = (1 + tanh(n/2)) / 2
    if (code == LOGSIG) {
      const h = vsplat<V, T>(<T>0.5);
      return vadd<V, T>(h, vmul<V, T>(h, tanhF32<V>(vmul<V, T>(h, n))));
    }
    return n;
  }
}

/**
 * p[k] = f(p[k]) for `count` lane groups in place (count even: the forward
 * kernels work in pairs of lane groups). They store net inputs and leave
 * the transfer function to this pass: applied in their register blocks it
 * competed with eight live sums for registers (measured: this pass made f32
 * scoring ~1.3x and f64 ~1.2x faster). Two evaluations per step are ~20 %
 * faster than one; four or eight gained nothing more.
 */
export function activate<V, T>(code: i32, p: usize, count: i32): void {
  const step = <usize>(isVector<V>() ? 16 : sizeof<T>());
  for (let k = 0; k < count; k += 2) {
    const a = vload<V, T>(p);
    const b = vload<V, T>(p + step);
    vstore<V, T>(p, transfer<V, T>(code, a));
    vstore<V, T>(p + step, transfer<V, T>(code, b));
    p += 2 * step;
  }
}

/**
 * f'(n) expressed through a = f(n), as MATLAB's dtansig/dlogsig do:
 * tansig 1 - a², logsig a(1 - a), purelin 1.
 */
@inline export function derivative<V, T>(code: i32, a: V): V {
  const one = vsplat<V, T>(<T>1.0);
  if (code == TANSIG) return vsub<V, T>(one, vmul<V, T>(a, a));
  if (code == LOGSIG) return vmul<V, T>(a, vsub<V, T>(one, a));
  return one;
}
