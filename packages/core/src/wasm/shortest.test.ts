/**
 * assembly/shortest.ts (through the module's formatNumbers) against
 * String(x), the independent reference: every value's text must be the same
 * bytes. Random bit patterns reach every exponent; the other sets aim at
 * what random patterns almost never hit: exact ties between two shortest
 * candidates, bounds of the rounding interval that are themselves short
 * decimals, powers of two (whose interval is lopsided), subnormals, and the
 * edges of Number::toString's layouts.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrng, type Prng } from '../network/prng.js';

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  formatNumbers(values: number, n: number, out: number): number;
}

let wasm: Exports;
beforeAll(async () => {
  const bytes = await readFile(new URL('../../wasm/cvnet.wasm', import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: {
      abort() {
        throw new Error('abort');
      },
      progress: () => 0,
      remoteForward: () => 0,
      remoteBackward: () => {},
    },
  });
  wasm = instance.exports as unknown as Exports;
});

const CHUNK = 1 << 16;
/** formatNumbers' bound: 25 bytes of text and a newline per value. */
const MAX_LINE = 26;
const SENTINEL = 0xff;
const decoder = new TextDecoder();

/**
 * The values whose Wasm text differs from String(x) (at most 10, with their
 * bits), after checking that formatNumbers wrote no byte past its count.
 */
function mismatches(values: Float64Array): string[] {
  const found: string[] = [];
  const valuesPtr = wasm.alloc(CHUNK * 8);
  const outPtr = wasm.alloc(CHUNK * MAX_LINE);
  try {
    for (let start = 0; start < values.length; start += CHUNK) {
      const chunk = values.subarray(start, start + CHUNK);
      new Float64Array(wasm.memory.buffer, valuesPtr, chunk.length).set(chunk);
      new Uint8Array(wasm.memory.buffer, outPtr, chunk.length * MAX_LINE).fill(SENTINEL);
      const length = wasm.formatNumbers(valuesPtr, chunk.length, outPtr);
      const out = new Uint8Array(wasm.memory.buffer, outPtr, chunk.length * MAX_LINE);
      expect(out.subarray(length).every((b) => b === SENTINEL)).toBe(true);
      const lines = decoder.decode(out.subarray(0, length)).split('\n');
      expect(lines).toHaveLength(chunk.length + 1);
      for (let i = 0; i < chunk.length && found.length < 10; i++) {
        const x = chunk[i]!;
        if (lines[i] !== String(x)) found.push(`${bitsOf(x)}: got ${lines[i]}, String(x) is ${String(x)}`);
      }
    }
  } finally {
    wasm.free(outPtr);
    wasm.free(valuesPtr);
  }
  return found;
}

const bitsView = new DataView(new ArrayBuffer(8));

function bitsOf(x: number): string {
  bitsView.setFloat64(0, x);
  return `0x${bitsView.getBigUint64(0).toString(16).padStart(16, '0')}`;
}

function fromBits(bits: bigint): number {
  bitsView.setBigUint64(0, BigInt.asUintN(64, bits));
  return bitsView.getFloat64(0);
}

/** x and its `count` nearest doubles on each side (by bit pattern; x > 0). */
function neighbours(x: number, count: number): number[] {
  bitsView.setFloat64(0, x);
  const bits = bitsView.getBigUint64(0);
  const out: number[] = [];
  for (let d = -count; d <= count; d++) {
    const b = bits + BigInt(d);
    if (b >= 0n && b < 0x7ff0000000000000n) out.push(fromBits(b));
  }
  return out;
}

/** A random 53-bit integer as a double in [0, 2^53). */
function random53(rng: Prng): number {
  return (rng.nextU32() >>> 5) * 2 ** 21 + (rng.nextU32() >>> 11);
}

/** values and their negations. */
function withNegatives(values: number[]): Float64Array {
  return Float64Array.from([...values, ...values.map((x) => -x)]);
}

describe('writeShortest is String(x)', () => {
  it('for ±0, NaN, ±Infinity and the extreme doubles', () => {
    const values = [
      0, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE,
      -Number.MIN_VALUE, Number.EPSILON, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER,
      fromBits(0x7ff8000000000001n), fromBits(0xfff8000000000000n), fromBits(0x7ff0000000000001n),
    ];
    expect(mismatches(Float64Array.from(values))).toEqual([]);
  });

  it('for 1,000,000 random bit patterns (every exponent, NaN payloads, subnormals)', () => {
    const rng = createPrng(20240601);
    const words = new Uint32Array(2_000_000);
    for (let i = 0; i < words.length; i++) words[i] = rng.nextU32();
    expect(mismatches(new Float64Array(words.buffer))).toEqual([]);
  });

  it('for 300,000 uniform values in [0, 1) and 300,000 logistic outputs', () => {
    const rng = createPrng(7);
    const values = new Float64Array(600_000);
    for (let i = 0; i < 300_000; i++) values[i] = random53(rng) / 2 ** 53;
    for (let i = 300_000; i < 600_000; i++) values[i] = 1 / (1 + Math.exp(-rng.uniform(-40, 40)));
    expect(mismatches(values)).toEqual([]);
  });

  it('for the integers 0..100000 and ±10000 around 2^53', () => {
    const values: number[] = [];
    for (let i = 0; i <= 100_000; i++) values.push(i);
    for (let i = -10_000; i <= 10_000; i++) values.push(2 ** 53 + i);
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('for every power of ten 1e-324..1e308 and two neighbours each side', () => {
    const values: number[] = [];
    for (let e = -324; e <= 308; e++) {
      const x = Number(`1e${e}`);
      // 1e-324 reads as 0; its neighbours are the smallest subnormals.
      values.push(...(x === 0 ? [0, Number.MIN_VALUE, 2 * Number.MIN_VALUE] : neighbours(x, 2)));
    }
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('for every power of two and its neighbours (lopsided rounding intervals)', () => {
    const values: number[] = [];
    for (let e = -1074; e <= 1023; e++) values.push(...neighbours(2 ** e, 2));
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('for subnormals: the smallest 10,000, the largest, and 50,000 random ones', () => {
    const rng = createPrng(11);
    const values: number[] = [];
    for (let i = 1n; i <= 10_000n; i++) values.push(fromBits(i));
    values.push(...neighbours(fromBits(0x000fffffffffffffn), 2));
    for (let i = 0; i < 50_000; i++) {
      values.push(fromBits((BigInt(rng.nextU32() & 0xfffff) << 32n) | BigInt(rng.nextU32())));
    }
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('for exact ties between two shortest candidates (m·2^e, e = −1..−30)', () => {
    // m·2^e has an exact decimal expansion ending in 5 whose last digit is
    // the one to drop: 2^50 + 0.25 lies halfway between …624.2 and …624.3
    // and prints as the even one.
    const rng = createPrng(13);
    const values: number[] = [];
    for (let e = 1; e <= 30; e++) {
      for (let i = 0; i < 2000; i++) values.push((2 ** 52 + (random53(rng) % 2 ** 52)) / 2 ** e);
    }
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('for integers 2^53..2^90 with few significant bits (exact bounds)', () => {
    const rng = createPrng(17);
    const values: number[] = [];
    for (let e = 53; e <= 90; e++) {
      for (let bits = 1; bits <= 53; bits += 4) {
        for (let i = 0; i < 40; i++) {
          const m = 2 ** (bits - 1) + Math.floor(rng.next() * 2 ** (bits - 1));
          values.push(m * 2 ** (e - bits + 1));
        }
      }
    }
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('for x or a rounding bound divisible by 5^18..5^23, times 2^0..2^100', () => {
    // x = m2·2^E is a multiple of 10^q when 5^q divides m2, and so is its
    // lower bound (2·m2 − 1)·2^(E−1) when 5^q divides 2·m2 − 1. Ryu checks
    // such exact quotients for q ≤ 21 only.
    const mantissas: number[] = [];
    for (let q = 18n; q <= 23n; q++) {
      const p = 5n ** q;
      // About 60 multiples k·p spread over [2^52, 2^54).
      const first = (2n ** 52n + p - 1n) / p;
      const step = (2n ** 54n / p - first) / 60n + 1n;
      for (let k = first; k * p < 2n ** 54n; k += step) {
        for (const m2 of [k * p, (k * p) / 2n, (k * p + 1n) / 2n]) {
          if (m2 >= 2n ** 52n && m2 < 2n ** 53n) mantissas.push(Number(m2));
        }
      }
    }
    const values = mantissas.flatMap((m2) => Array.from({ length: 101 }, (_, e) => m2 * 2 ** e));
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('at the layout edges: 1e21, 1e-6 and 1e-7 and their neighbours', () => {
    const values = [1e21, 1e-6, 1e-7, 999999999999999900000, 123456789012345680000, 0.000001234, 1.5e-7]
      .flatMap((x) => neighbours(x, 3));
    expect(mismatches(withNegatives(values))).toEqual([]);
  });

  it('for k = 1..17 random digits with the point at every place from −10 to 25', () => {
    const rng = createPrng(19);
    const values: number[] = [];
    for (let k = 1; k <= 17; k++) {
      for (let n = -10; n <= 25; n++) {
        for (let i = 0; i < 20; i++) {
          let digits = String(1 + Math.floor(rng.next() * 9));
          for (let d = 1; d < k; d++) digits += String(Math.floor(rng.next() * 10));
          values.push(Number(`0.${digits}e${n}`));
        }
      }
    }
    expect(mismatches(withNegatives(values))).toEqual([]);
  });
});
