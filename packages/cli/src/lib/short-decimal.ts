/**
 * Numbers read where they lie in a block of CSV bytes, for the bulk readers
 * of classify (line-scorer.ts) and predict (predict-file.ts). A module of
 * its own so predict, which must start fast, loads nothing else with it.
 */

/** 10^k for k ≤ 15: exact doubles. */
export const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * `bytes[from..to)` as a short decimal ([+-] digits [. digits], at most 15
 * digits, no exponent: m / 10^k is then the double Number() reads), or
 * undefined for anything else, an empty field included.
 */
export function shortDecimal(bytes: Uint8Array, from: number, to: number): number | undefined {
  let i = from;
  const negative = bytes[i] === 45;
  if (negative || bytes[i] === 43) i++;
  let m = 0;
  let digits = 0;
  let scale = -1;
  for (; i < to; i++) {
    const c = bytes[i]!;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) {
      scale = 0;
    } else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const value = scale > 0 ? m / POW10[scale]! : m;
  return negative ? -value : value;
}
