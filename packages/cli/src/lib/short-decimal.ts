/**
 * Numbers read where they lie in a block of CSV bytes, for the bulk readers
 * of classify (line-scorer.ts) and predict (predict-file.ts). A module of
 * its own so predict, which must start fast, loads nothing else with it.
 *
 * A short decimal is [+-] digits [. digits] with at most 15 digits and no
 * exponent: its digits form an integer m < 2^53 and 10^k is exact, so
 * m / 10^k is one correctly rounded division, the double Number() reads.
 */

/** 10^k for k ≤ 15: exact doubles. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * Reads the short decimal that starts at `bytes[from]` and runs to the
 * first byte that cannot continue it (or `end`), into `into[at]`. Returns
 * the position after it, or −1 when no short decimal starts there. The
 * caller checks what follows (a comma, a quote, the end of the field).
 */
export function decimalAt(bytes: Uint8Array, from: number, end: number, into: Float64Array, at: number): number {
  let q = from;
  let c = bytes[q];
  const negative = c === 45;
  if (negative || c === 43) c = bytes[++q];
  let m = 0;
  let digits = 0;
  let scale = -1;
  for (; q < end; c = bytes[++q]) {
    if (c! >= 48 && c! <= 57) {
      m = m * 10 + (c! - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else break;
  }
  if (digits === 0 || digits > 15) return -1;
  const value = scale > 0 ? m / POW10[scale]! : m;
  into[at] = negative ? -value : value;
  return q;
}
