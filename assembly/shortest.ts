// JavaScript's String(x) for an f64 (ECMAScript Number::toString, radix 10),
// byte for byte, into linear memory and without allocating: hosts format
// numbers by the million in hot loops, where a JS string per number costs
// several times the formatting itself.
//
// The digits are Ryu's (Ulf Adams, "Ryū: fast float-to-string conversion",
// PLDI 2018; the d2s variant of github.com/ulfjack/ryu): the shortest digit
// string that reads back as x, and of those the closest to x, ties to even —
// exactly the digits ECMAScript asks for. Ryu multiplies by 128-bit powers of
// five; Wasm has no 64×64→128 multiply, so the high halves come from 32-bit
// pieces (umulh). The layout (fixed, "0.000ddd" or exponent form) is
// Number::toString's.

import {
  DOUBLE_POW5_INV_BITCOUNT, DOUBLE_POW5_BITCOUNT, DOUBLE_POW5_INV_SPLIT, DOUBLE_POW5_SPLIT, DIGIT_PAIRS,
} from './ryu-tables';

const MANTISSA_BITS = 52;
const EXPONENT_MASK: u32 = 0x7FF;
const BIAS = 1023;

const CHAR_0: u32 = 0x30;
const CHAR_MINUS: u8 = 0x2D;

// ⌊e·log10 2⌋, ⌊e·log10 5⌋ and bitLength(5^e) = ⌈e·log2 5⌉ (1 for e = 0) as
// fixed-point products, exact for 0 ≤ e < 1100, all that f64 needs;
// ryu-tables.js checks them against BigInt.
@inline function log10Pow2(e: i32): i32 {
  return (e * 78913) >> 18;
}

@inline function log10Pow5(e: i32): i32 {
  return (e * 732923) >> 20;
}

@inline function pow5bits(e: i32): i32 {
  return ((e * 1217359) >> 19) + 1;
}

/** The number of factors 5 in v ≥ 1 is at least p. */
function multipleOfPowerOf5(v: u64, p: i32): bool {
  let count = 0;
  while (v % 5 == 0) {
    v /= 5;
    count++;
  }
  return count >= p;
}

/** The high 64 bits of the 128-bit product a·b, from four 32×32→64 products. */
@inline function umulh(a: u64, b: u64): u64 {
  const aLo = a & 0xFFFFFFFF;
  const aHi = a >> 32;
  const bLo = b & 0xFFFFFFFF;
  const bHi = b >> 32;
  const lolo = aLo * bLo;
  // (2^32 − 1)² + 2·(2^32 − 1) < 2^64: neither sum can carry out.
  const mid1 = aHi * bLo + (lolo >> 32);
  const mid2 = aLo * bHi + (mid1 & 0xFFFFFFFF);
  return aHi * bHi + (mid1 >> 32) + (mid2 >> 32);
}

/** (hi·2^64 + lo) >> dist, 0 < dist < 64. */
@inline function shiftRight128(lo: u64, hi: u64, dist: i32): u64 {
  return (hi << <u64>(64 - dist)) | (lo >> <u64>dist);
}

// d2d's result besides the digits it returns: x ≈ digits·10^decimalExponent.
let decimalExponent: i32 = 0;

/**
 * Ryu's d2d: the shortest digits of the finite, nonzero |x| with the given
 * mantissa and biased exponent fields; the power of ten goes to
 * decimalExponent.
 */
@inline function d2d(ieeeMantissa: u64, ieeeExponent: u32): u64 {
  // x = mv·2^e2 with mv = 4·m2: two extra bits so that the bounds of the
  // rounding interval, (mv − 1 − mmShift)·2^e2 and (mv + 2)·2^e2, have
  // integer factors too.
  let e2: i32;
  let m2: u64;
  if (ieeeExponent == 0) {
    e2 = 1 - BIAS - MANTISSA_BITS - 2;
    m2 = ieeeMantissa;
  } else {
    e2 = <i32>ieeeExponent - BIAS - MANTISSA_BITS - 2;
    m2 = (<u64>1 << MANTISSA_BITS) | ieeeMantissa;
  }
  // Reading back rounds ties to even, so the bounds belong to the interval
  // exactly when m2 is even.
  const acceptBounds = (m2 & 1) == 0;
  const mv = m2 << 2;
  // At a power of two (mantissa 0) the gap below is half the gap above,
  // except at the smallest normal, whose neighbour below is a subnormal.
  const mmShift = ieeeMantissa != 0 || ieeeExponent <= 1;

  // vr, vp, vm: mv, its upper and its lower bound times 2^e2 / 10^e10,
  // rounded down; the *IsTrailingZeros flags say the rounding dropped only
  // zeros, which the tie rules below need to know.
  let e10: i32;
  let mul: usize;
  let j: i32;
  let vmIsTrailingZeros = false;
  let vrIsTrailingZeros = false;
  let vpIsExactBound = false;
  if (e2 >= 0) {
    // x / 10^q = mv·2^(e2−q)·5^−q with q = max(0, ⌊log10 2^e2⌋ − 1): the
    // multiplication drops q digits, the loop below the rest.
    const q = log10Pow2(e2) - <i32>(e2 > 3);
    e10 = q;
    mul = DOUBLE_POW5_INV_SPLIT + (<usize>q << 4);
    j = -e2 + q + DOUBLE_POW5_INV_BITCOUNT + pow5bits(q) - 1;
    // The division by 10^q is exact when 5^q divides mv or a bound (at most
    // one of the three is a multiple of 5). Ryu checks q ≤ 21 only; the
    // tests cover multiples of 5^22 and 5^23 too.
    if (q <= 21) {
      if (mv % 5 == 0) {
        vrIsTrailingZeros = multipleOfPowerOf5(mv, q);
      } else if (acceptBounds) {
        vmIsTrailingZeros = multipleOfPowerOf5(mv - 1 - <u64>mmShift, q);
      } else {
        // An excluded upper bound that is exact must not be the output.
        vpIsExactBound = multipleOfPowerOf5(mv + 2, q);
      }
    }
  } else {
    // x / 10^(e2+q) = mv·5^(−e2−q) / 2^q, q = max(0, ⌊log10 5^−e2⌋ − 1).
    const q = log10Pow5(-e2) - <i32>(-e2 > 1);
    e10 = q + e2;
    const i = -e2 - q;
    mul = DOUBLE_POW5_SPLIT + (<usize>i << 4);
    j = q - (pow5bits(i) - DOUBLE_POW5_BITCOUNT);
    // The quotient is exact when 2^q divides mv or a bound.
    if (q <= 1) {
      // mv = 4·m2 has two trailing zero bits; vm = mv − 1 − mmShift has one
      // when mmShift; vp = mv + 2 has one.
      vrIsTrailingZeros = true;
      if (acceptBounds) {
        vmIsTrailingZeros = mmShift;
      } else {
        vpIsExactBound = true;
      }
    } else if (q < 63) {
      vrIsTrailingZeros = (mv & ((<u64>1 << <u64>q) - 1)) == 0;
    }
  }

  // (4·m2 + {0, 2, −1 − mmShift})·mul >> j: the product 2·m2·mul once, as
  // three limbs hi:mid:lo, then ± mul for the bounds. m2 < 2^53 and
  // mul < 2^125, so 4·m2·mul < 2^180 fits; j is 118..125 (ryu-tables.js
  // checks 65 < j < 128), so the result is the top limbs shifted.
  const m = m2 << 1;
  const mul0 = load<u64>(mul);
  const mul1 = load<u64>(mul, 8);
  const lo = m * mul0;
  const t = umulh(m, mul0);
  const mid = t + m * mul1;
  const hi = umulh(m, mul1) + <u64>(mid < t);
  let vr = shiftRight128(mid, hi, j - 65);

  // mul1 < 2^61, so adding or subtracting it with the carry cannot wrap twice.
  const loP = lo + mul0;
  const midP = mid + mul1 + <u64>(loP < lo);
  const hiP = hi + <u64>(midP < mid);
  let vp = shiftRight128(midP, hiP, j - 65) - <u64>vpIsExactBound;

  let vm: u64;
  if (mmShift) {
    const loM = lo - mul0;
    const midM = mid - mul1 - <u64>(loM > lo);
    const hiM = hi - <u64>(midM > mid);
    vm = shiftRight128(midM, hiM, j - 65);
  } else {
    // 4·m2·mul − mul: double the limbs, subtract, shift by j.
    const lo2 = lo << 1;
    const mid2 = (mid << 1) | (lo >> 63);
    const hi2 = (hi << 1) | (mid >> 63);
    const loM = lo2 - mul0;
    const midM = mid2 - mul1 - <u64>(loM > lo2);
    const hiM = hi2 - <u64>(midM > mid2);
    vm = shiftRight128(midM, hiM, j - 64);
  }

  // Drop digits while the interval [vm, vp] still holds a shorter number,
  // rounding vr by the last digit dropped.
  let removed = 0;
  let output: u64;
  if (vmIsTrailingZeros || vrIsTrailingZeros) {
    // Rare (exact bounds or an exact vr): track whether everything dropped
    // was zero, for ties to even and for an included exact lower bound.
    let lastRemovedDigit: u32 = 0;
    for (;;) {
      const vpDiv10 = vp / 10;
      const vmDiv10 = vm / 10;
      if (vpDiv10 <= vmDiv10) break;
      const vrDiv10 = vr / 10;
      vmIsTrailingZeros &= <u32>vm - 10 * <u32>vmDiv10 == 0;
      vrIsTrailingZeros &= lastRemovedDigit == 0;
      lastRemovedDigit = <u32>vr - 10 * <u32>vrDiv10;
      vr = vrDiv10;
      vp = vpDiv10;
      vm = vmDiv10;
      removed++;
    }
    if (vmIsTrailingZeros) {
      // The lower bound itself is a candidate: drop its trailing zeros too.
      for (;;) {
        const vmDiv10 = vm / 10;
        if (<u32>vm - 10 * <u32>vmDiv10 != 0) break;
        const vrDiv10 = vr / 10;
        vrIsTrailingZeros &= lastRemovedDigit == 0;
        lastRemovedDigit = <u32>vr - 10 * <u32>vrDiv10;
        vr = vrDiv10;
        vp /= 10;
        vm = vmDiv10;
        removed++;
      }
    }
    // Exactly half way (…50…0): round to even.
    if (vrIsTrailingZeros && lastRemovedDigit == 5 && (vr & 1) == 0) lastRemovedDigit = 4;
    output = vr + <u64>((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5);
  } else {
    // Common case: x is not exactly half way between two candidates, so the
    // last dropped digit alone decides the rounding. Two digits at a time
    // first, as most numbers lose at least two.
    let roundUp = false;
    const vpDiv100 = vp / 100;
    const vmDiv100 = vm / 100;
    if (vpDiv100 > vmDiv100) {
      const vrDiv100 = vr / 100;
      roundUp = <u32>vr - 100 * <u32>vrDiv100 >= 50;
      vr = vrDiv100;
      vp = vpDiv100;
      vm = vmDiv100;
      removed = 2;
    }
    for (;;) {
      const vpDiv10 = vp / 10;
      const vmDiv10 = vm / 10;
      if (vpDiv10 <= vmDiv10) break;
      const vrDiv10 = vr / 10;
      roundUp = <u32>vr - 10 * <u32>vrDiv10 >= 5;
      vr = vrDiv10;
      vp = vpDiv10;
      vm = vmDiv10;
      removed++;
    }
    // vm itself is outside the interval here (it was rounded down).
    output = vr + <u64>(vr == vm || roundUp);
  }
  decimalExponent = e10 + removed;
  return output;
}

/** The number of decimal digits of 1 ≤ v < 10^17, longest first (the common case). */
@inline function decimalLength17(v: u64): i32 {
  if (v >= 10000000000000000) return 17;
  if (v >= 1000000000000000) return 16;
  if (v >= 100000000000000) return 15;
  if (v >= 10000000000000) return 14;
  if (v >= 1000000000000) return 13;
  if (v >= 100000000000) return 12;
  if (v >= 10000000000) return 11;
  if (v >= 1000000000) return 10;
  if (v >= 100000000) return 9;
  if (v >= 10000000) return 8;
  if (v >= 1000000) return 7;
  if (v >= 100000) return 6;
  if (v >= 10000) return 5;
  if (v >= 1000) return 4;
  if (v >= 100) return 3;
  if (v >= 10) return 2;
  return 1;
}

/** Two ASCII digits of 0 ≤ d < 100 at p. */
@inline function storePair(p: usize, d: u32): void {
  store<u16>(p, load<u16>(DIGIT_PAIRS + (<usize>d << 1)));
}

/** The decimal digits of 1 ≤ v < 10^17, ending just before end. */
@inline function writeDigits(v: u64, end: usize): void {
  let p = end;
  // One 64-bit division cuts off eight digits; the rest fits 32 bits.
  if (v >> 32 != 0) {
    const q = v / 100000000;
    let low = <u32>v - 100000000 * <u32>q;
    v = q;
    const c = low % 10000;
    low /= 10000;
    storePair(p - 2, c % 100);
    storePair(p - 4, c / 100);
    storePair(p - 6, low % 100);
    storePair(p - 8, low / 100);
    p -= 8;
  }
  let w = <u32>v;
  while (w >= 10000) {
    const c = w % 10000;
    w /= 10000;
    storePair(p - 2, c % 100);
    storePair(p - 4, c / 100);
    p -= 4;
  }
  if (w >= 100) {
    storePair(p - 2, w % 100);
    w /= 100;
    p -= 2;
  }
  if (w >= 10) {
    storePair(p - 2, w);
  } else {
    store<u8>(p - 1, <u8>(CHAR_0 + w));
  }
}

/** n '0' bytes at p. */
@inline function writeZeros(p: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>CHAR_0);
}

/**
 * Lays out digits·10^exponent (digits ≥ 1) as Number::toString does, with
 * k digits and the decimal point after n = exponent + k of them; returns the
 * end of the text.
 */
@inline function writeDecimal(p: usize, digits: u64, exponent: i32): usize {
  const k = decimalLength17(digits);
  const n = exponent + k;
  if (n <= 21 && n > -6) {
    if (n >= k) {
      // An integer: the digits and n − k zeros.
      writeDigits(digits, p + k);
      writeZeros(p + k, n - k);
      return p + n;
    }
    if (n > 0) {
      // ddd.ddd: the digits one byte right, then the first n back left of
      // the point.
      writeDigits(digits, p + 1 + k);
      for (let i = 0; i < n; i++) store<u8>(p + i, load<u8>(p + i + 1));
      store<u8>(p + n, 0x2E);
      return p + 1 + k;
    }
    // 0.000ddd: −n zeros after the point.
    store<u16>(p, 0x2E30); // "0."
    writeZeros(p + 2, -n);
    const end = p + 2 - n + k;
    writeDigits(digits, end);
    return end;
  }
  // d.ddde±N (de±N for one digit): the digits one byte right, the first
  // moved left of the point.
  writeDigits(digits, p + 1 + k);
  store<u8>(p, load<u8>(p + 1));
  if (k > 1) {
    store<u8>(p + 1, 0x2E);
    p += k + 1;
  } else {
    p += 1;
  }
  let e = n - 1;
  store<u8>(p, 0x65); // 'e'
  store<u8>(p + 1, e < 0 ? CHAR_MINUS : 0x2B);
  if (e < 0) e = -e;
  p += 2;
  if (e >= 100) {
    store<u8>(p, <u8>(CHAR_0 + <u32>e / 100));
    storePair(p + 1, <u32>e % 100);
    return p + 3;
  }
  if (e >= 10) {
    storePair(p, <u32>e);
    return p + 2;
  }
  store<u8>(p, <u8>(CHAR_0 + <u32>e));
  return p + 1;
}

/** Writes the exact ASCII text of JavaScript's `String(x)` (ECMAScript Number::toString, radix 10) at `out`; returns the byte count (at most 25). */
export function writeShortest(x: f64, out: usize): i32 {
  const bits = reinterpret<u64>(x);
  const ieeeMantissa = bits & ((<u64>1 << MANTISSA_BITS) - 1);
  const ieeeExponent = <u32>(bits >> MANTISSA_BITS) & EXPONENT_MASK;
  if (ieeeExponent == EXPONENT_MASK) {
    if (ieeeMantissa != 0) {
      store<u16>(out, 0x614E); // "Na"
      store<u8>(out + 2, 0x4E); // "N"
      return 3;
    }
  } else if (ieeeMantissa == 0 && ieeeExponent == 0) {
    store<u8>(out, <u8>CHAR_0); // ±0 are both "0"
    return 1;
  }
  let p = out;
  if (<i64>bits < 0) {
    store<u8>(p, CHAR_MINUS);
    p++;
  }
  if (ieeeExponent == EXPONENT_MASK) {
    store<u64>(p, 0x7974696E69666E49); // "Infinity"
    return <i32>(p + 8 - out);
  }
  // Integers below 2^53 are their own shortest digits, and print as such
  // (fewer than 22 digits), trailing zeros included: skip Ryu.
  const e2 = <i32>ieeeExponent - BIAS - MANTISSA_BITS;
  if (e2 <= 0 && e2 >= -MANTISSA_BITS) {
    const m2 = (<u64>1 << MANTISSA_BITS) | ieeeMantissa;
    if ((m2 & ((<u64>1 << <u64>-e2) - 1)) == 0) {
      return <i32>(writeDecimal(p, m2 >> <u64>-e2, 0) - out);
    }
  }
  const digits = d2d(ieeeMantissa, ieeeExponent);
  return <i32>(writeDecimal(p, digits, decimalExponent) - out);
}
