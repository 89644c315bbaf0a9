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
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const x = Number(trimmed);
  return Number.isFinite(x) ? x : undefined;
}
