/**
 * Numbers written as text, as cvnet reads them everywhere (CSV cells, JSON
 * strings, config values): decimal notation only. Number() alone would also
 * take hexadecimal, binary and octal literals ("0x10" is 16), which in a
 * customer export are typos or codes, not amounts.
 */

/** Optional sign, digits with an optional point (or a point and digits), optional exponent. */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The finite number `text` holds in decimal notation (surrounding white space ignored), or undefined. */
export function decimalValue(text: string): number | undefined {
  // The common case first and without allocations: this runs once per cell read.
  const short = shortDecimal(text);
  if (short !== undefined) return short;
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const x = Number(trimmed);
  return Number.isFinite(x) ? x : undefined;
}

/**
 * A cell's number: a number as it is, text by decimalValue, anything else
 * (or text that is no number) NaN. One conversion for the scorer's
 * neighbours (quality rules, segments, backtest outcomes, the server's
 * checks), so they agree with it.
 */
export function cellNumber(v: unknown): number {
  return typeof v === 'number' ? v : (decimalValue(String(v)) ?? NaN);
}

/** 10^k for k ≤ 22: exactly representable as doubles. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal of at most 15 digits and no exponent ("-12.0345"), else
 * undefined. Its digits form an integer m < 2^53 and 10^k ≤ 10^22 is exact,
 * so m / 10^k is one correctly rounded division: the same double as
 * Number(text) (Clinger's fast path), at a fraction of its cost.
 */
function shortDecimal(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45; // '-'
  if (negative || c === 43) c = text.charCodeAt(++i); // '+'
  let m = 0;
  let digits = 0;
  let scale = -1; // digits after the point, -1 before it
  for (; i < n; c = text.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) { // '.'
      scale = 0;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || digits > 15) return undefined;
  const value = scale > 0 ? m / POW10[scale]! : m;
  return negative ? -value : value;
}
