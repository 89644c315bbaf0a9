// Arithmetic over "lane groups": V is v128 (SIMD: f64x2 or f32x4, by T) or
// T itself (scalar). The kernels are written once against these helpers and
// instantiated three times: <f64, f64> (scalar), <v128, f64>, <v128, f32>.
// isVector<V>() is a compile-time constant, so each instance keeps only its
// own branch and the helpers inline to single instructions.

/** Samples per lane group. */
@inline export function lanesOf<V, T>(): i32 {
  return isVector<V>() ? 16 / sizeof<T>() : 1;
}

@inline export function vload<V, T>(p: usize): V {
  if (isVector<V>()) return v128.load(p);
  else return load<T>(p);
}

@inline export function vstore<V, T>(p: usize, v: V): void {
  if (isVector<V>()) v128.store(p, v);
  else store<T>(p, v);
}

@inline export function vsplat<V, T>(x: T): V {
  if (isVector<V>()) return v128.splat<T>(x);
  else return x;
}

/** load<T>(p) in every lane: one load-and-broadcast instruction, not a load then a splat. */
@inline export function vloadSplat<V, T>(p: usize): V {
  if (isVector<V>()) return v128.load_splat<T>(p);
  else return load<T>(p);
}

@inline export function vadd<V, T>(a: V, b: V): V {
  if (isVector<V>()) return v128.add<T>(a, b);
  else return a + b;
}

@inline export function vsub<V, T>(a: V, b: V): V {
  if (isVector<V>()) return v128.sub<T>(a, b);
  else return a - b;
}

@inline export function vmul<V, T>(a: V, b: V): V {
  if (isVector<V>()) return v128.mul<T>(a, b);
  else return a * b;
}

@inline export function vdiv<V, T>(a: V, b: V): V {
  if (isVector<V>()) return v128.div<T>(a, b);
  else return a / b;
}

@inline export function vmin<V, T>(a: V, b: V): V {
  if (isVector<V>()) return v128.pmin<T>(a, b);
  else return a < b ? a : b;
}

@inline export function vmax<V, T>(a: V, b: V): V {
  if (isVector<V>()) return v128.pmax<T>(a, b);
  else return a > b ? a : b;
}

/** Sum of the lanes, lane 0 first (a fixed order: results stay reproducible). */
@inline export function vsum<V, T>(v: V): f64 {
  if (isVector<V>()) {
    if (sizeof<T>() == 8) return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
    else {
      return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1)
        + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
    }
  } else return <f64>v;
}
