import { OptionsError } from '../errors.js';

/**
 * Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, 128-bit state, passes PractRand) seeded through
 * splitmix32. Only 32-bit integer arithmetic (Math.imul, |0, >>>0) is used, so
 * the stream is identical in every JavaScript runtime.
 */
export interface Prng {
  /** Next 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
}

/** splitmix32 step: returns [output, next state]. */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, s];
}

/**
 * A generator for an integer seed (any safe integer, negative too). The low
 * and high 32-bit halves both enter the state, so distinct seeds give
 * distinct streams.
 */
export function createPrng(seed: number): Prng {
  if (!Number.isSafeInteger(seed)) throw new OptionsError(`seed must be a safe integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  let s = lo;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [out, next] = splitmix32(s);
    words.push(out);
    s = next;
  }
  let a = words[0]! | 0;
  let b = words[1]! | 0;
  let c = (words[2]! ^ hi) | 0;
  let d = words[3]! | 0;
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm-up, as sfc32's author recommends, to decorrelate nearby seeds.
  for (let i = 0; i < 12; i++) nextU32();
  const next = (): number => nextU32() / 2 ** 32;
  return { nextU32, next, uniform: (lo2, hi2) => lo2 + (hi2 - lo2) * next() };
}
