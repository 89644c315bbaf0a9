// Transfer functions, applied to contiguous runs of float64 values in linear
// memory. The switch sits outside the loops so each loop body stays branch-free.
// Codes mirror TRANSFER_CODES in packages/core/src/network/transfer.ts.

export const PURELIN: i32 = 0;
export const LOGSIG: i32 = 1;
export const TANSIG: i32 = 2;

/** a = f(n), in place over `len` values starting at `ptr`. */
export function applyTransfer(code: i32, ptr: usize, len: i32): void {
  const end = ptr + (<usize>len << 3);
  if (code == TANSIG) {
    // 2/(1+exp(-2n)) - 1 is MATLAB's tansig formula; written via exp rather
    // than Math.tanh because AssemblyScript's tanh measured ~1.5x slower.
    for (let p = ptr; p < end; p += 8) {
      store<f64>(p, 2.0 / (1.0 + Math.exp(-2.0 * load<f64>(p))) - 1.0);
    }
  } else if (code == LOGSIG) {
    for (let p = ptr; p < end; p += 8) {
      store<f64>(p, 1.0 / (1.0 + Math.exp(-load<f64>(p))));
    }
  }
  // purelin: identity, nothing to do
}

/**
 * d *= f'(n), expressed through the layer output a = f(n) as MATLAB's
 * dtansig/dlogsig do: tansig 1 - a², logsig a(1 - a), purelin 1.
 */
export function scaleByDerivative(code: i32, aPtr: usize, dPtr: usize, len: i32): void {
  if (code == TANSIG) {
    for (let k = 0; k < len; k++) {
      const a = load<f64>(aPtr + (<usize>k << 3));
      const p = dPtr + (<usize>k << 3);
      store<f64>(p, load<f64>(p) * (1.0 - a * a));
    }
  } else if (code == LOGSIG) {
    for (let k = 0; k < len; k++) {
      const a = load<f64>(aPtr + (<usize>k << 3));
      const p = dPtr + (<usize>k << 3);
      store<f64>(p, load<f64>(p) * (a * (1.0 - a)));
    }
  }
}
