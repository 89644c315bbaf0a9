// The bulk path of `cvnet classify`: a block of plain CSV lines in, its
// classified CSV lines out (id, C, band, K, class, strategy, then the
// scores), with each id's hash and line for the host's duplicate check, in
// one call per block and without a string or object per row.
//
// It takes a line only as the host's own readers take it
// (packages/cli/src/lib/line-scorer.ts, which in turn takes only what
// openCsv reads the same way). Anything it does not take exactly so — a
// quote, an empty or long number, a value a rule refuses, a ragged line —
// makes the call return REFUSED, and the host scores the whole block its
// own way, with its own errors. So output and errors do not depend on the
// path a block took; the host's tests check both paths on the same files.

import { MODE_F64, releaseNetwork, score, useNetwork } from './network';
import { writeShortest } from './shortest';

/** classifyLines' answer when the host must score the block itself. */
const REFUSED: i32 = -1;

/** A field kind of the plan: the id (SKIP, −1, is any other negative kind; ≥ 0 a number slot). */
const ID: i32 = -2;

/** A rule type of the plan (1 is cuts). */
const LIKERT: i32 = 0;

const COMMA: u32 = 44;
const LF: u32 = 10;
const CR: u32 = 13;
const QUOTE: u32 = 34;

/** C within this of 5 counts as 5 (band() in packages/core/src/method/current.ts). */
const TOP_TOLERANCE: f64 = 1e-9;

/**
 * Texts of recent values of C, direct-mapped by their bits: C is a weighted
 * mean of a few integer scores, so a file holds few distinct values, and a
 * copy is cheaper than writing one again. A slot is the value's bits (0,
 * never a C, when empty), its text's length and the text.
 */
const C_SLOT: usize = 40;
const C_SLOTS_LOG2: u32 = 8;
const C_TEXTS = memory.data(<i32>(C_SLOT << C_SLOTS_LOG2));

/** 10^k for k ≤ 15: exact doubles, so m / 10^k is one correctly rounded division, as in decimalAt. */
const POW10 = memory.data<f64>([1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]);

// The open plan, decoded by linesOpen (layout in packages/core/src/wasm/line-classifier.ts).
let width: i32 = 0;
let indicators: i32 = 0;
let currentCount: i32 = 0;
let totalWeight: f64 = 0;
let thresholdA: f64 = 0;
let thresholdB: f64 = 0;
let thresholdC: f64 = 0;
let params: usize = 0;
let strategies: usize = 0;
/** i32 per field: skip (−1), ID or a number slot. */
let kinds: usize = 0;
/** f64 per number slot: the current line's values. */
let numbers: usize = 0;
/** Per indicator 4 i32: number slot, rule type, cut count, where its cuts (then its scores) start. */
let rules: usize = 0;
/**
 * Per indicator 8 f64: the network's input for scores 0–7 (1–5 used), the
 * same doubles as applyMinMax's clamped (s − min) / (max − min) for them.
 */
let inputsOfScore: usize = 0;
/** Per current-value indicator 2 f64: indicator index, weight. */
let current: usize = 0;
/** Per class A–D 2 f64: offset and length of its CSV field in `strategies`. */
let strategyFields: usize = 0;
let plan: usize = 0;

@inline function planAt(i: i32): f64 {
  return load<f64>(plan + (<usize>i << 3));
}

/**
 * Holds a plan (f64, layout in line-classifier.ts), the strategies' CSV
 * bytes and the network (shape, params) for classifyLines until linesClose.
 * The buffers stay the host's and must outlive the calls.
 */
export function linesOpen(planPtr: usize, strategyBytes: usize, shape: usize, paramsPtr: usize): void {
  plan = planPtr;
  strategies = strategyBytes;
  params = paramsPtr;
  width = <i32>planAt(0);
  indicators = <i32>planAt(1);
  const slots = <i32>planAt(2);
  currentCount = <i32>planAt(3);
  totalWeight = planAt(4);
  thresholdA = planAt(5);
  thresholdB = planAt(6);
  thresholdC = planAt(7);
  strategyFields = plan + (8 << 3);
  let at = 16;
  kinds = heap.alloc(<usize>width << 2);
  for (let f = 0; f < width; f++) store<i32>(kinds + (<usize>f << 2), <i32>planAt(at + f));
  at += width;
  rules = heap.alloc(<usize>(4 * indicators) << 2);
  for (let k = 0; k < 4 * indicators; k++) store<i32>(rules + (<usize>k << 2), <i32>planAt(at + k));
  at += 4 * indicators;
  current = plan + (<usize>at << 3);
  at += 2 * currentCount;
  inputsOfScore = heap.alloc(<usize>(8 * indicators) << 3);
  for (let j = 0; j < indicators; j++) {
    const lo = planAt(at + 2 * j);
    const span = planAt(at + 2 * j + 1);
    for (let s = 0; s < 8; s++) {
      const x = span > 0 ? (<f64>s - lo) / span : 0;
      store<f64>(inputsOfScore + (<usize>(8 * j + s) << 3), min<f64>(1, max<f64>(0, x)));
    }
  }
  numbers = heap.alloc(<usize>max(slots, 1) << 3);
  useNetwork(shape);
}

export function linesClose(): void {
  heap.free(kinds);
  heap.free(rules);
  heap.free(inputsOfScore);
  heap.free(numbers);
  releaseNetwork();
  plan = 0;
}

/**
 * Classifies the whole lines of bytes[0..length) (the first is line
 * `firstLine`, every one ends in LF or CR LF but the file's last). Writes
 * the output lines at `out` (room: see LineInstance.classify), each
 * id's cyrb64 hash (two i32) at `hashes` and its line (f64) at `lines`
 * (room for `maxRows`). Returns the rows, or REFUSED; `result` gets 6 i32:
 * the output's byte length, 1 when the ids ascend strictly (byte order),
 * and where the first and the last id start and end in the block.
 */
export function classifyLines(
  bytes: usize, length: i32, firstLine: f64, maxRows: i32, out: usize, hashes: usize, lines: usize, result: usize,
): i32 {
  const n = indicators;
  // Per row: the scores (a byte each), the network's inputs, C, and where the id lies.
  const scores = heap.alloc(<usize>max(maxRows * n, 8));
  const inputs = heap.alloc(<usize>max(maxRows * n, 1) << 3);
  const values = heap.alloc(<usize>max(maxRows, 1) << 3); // C
  const K = heap.alloc(<usize>max(maxRows, 1) << 3);
  const idAt = heap.alloc(<usize>max(maxRows, 1) << 3);
  let rows = parseLines(bytes, length, maxRows, scores, inputs, values, idAt);
  if (rows > 0 && !score(params, inputs, rows, K, MODE_F64)) rows = REFUSED;
  if (rows >= 0) {
    let o = out;
    for (let r = 0; r < rows; r++) {
      const k = load<f64>(K + (<usize>r << 3));
      // Not a number only if the network's parameters are not all finite; classOf refuses that.
      if (k != k) {
        rows = REFUSED;
        break;
      }
      const from = bytes + <usize>load<i32>(idAt + (<usize>r << 3));
      const to = bytes + <usize>load<i32>(idAt + (<usize>r << 3) + 4);
      hashId(from, to, hashes + (<usize>r << 3));
      store<f64>(lines + (<usize>r << 3), firstLine + <f64>r);
      o = writeRow(o, from, to, load<f64>(values + (<usize>r << 3)), k, scores + <usize>(r * n));
    }
    store<i32>(result, <i32>(o - out));
    if (rows > 0) {
      store<i32>(result, ascending(bytes, idAt, rows) ? 1 : 0, 4);
      store<i32>(result, load<i32>(idAt), 8);
      store<i32>(result, load<i32>(idAt, 4), 12);
      store<i32>(result, load<i32>(idAt + (<usize>(rows - 1) << 3)), 16);
      store<i32>(result, load<i32>(idAt + (<usize>(rows - 1) << 3), 4), 20);
    }
  }
  heap.free(scores);
  heap.free(inputs);
  heap.free(values);
  heap.free(K);
  heap.free(idAt);
  return rows;
}

/** Reads every line into scores, inputs, C (values) and id positions; the rows, or REFUSED. */
function parseLines(bytes: usize, length: i32, maxRows: i32, scores: usize, inputs: usize, values: usize, idAt: usize): i32 {
  const end = bytes + <usize>length;
  const n = indicators;
  let rows = 0;
  let p = bytes;
  while (p < end) {
    if (rows == maxRows) return REFUSED;
    let q = p;
    let idFrom: usize = 0;
    let idTo: usize = 0;
    let field = 0;
    for (;;) {
      if (field == width) return REFUSED; // more fields than the header
      // A quoted field is the host's to read, whatever its column.
      if (q < end && <u32>load<u8>(q) == QUOTE) return REFUSED;
      const kind = load<i32>(kinds + (<usize>field << 2));
      if (kind >= 0) {
        // One digit and the field's end, the usual score: decimalAt's value without its loop.
        const digit = <u32>load<u8>(q) - 48;
        const next = q + 1 < end ? <u32>load<u8>(q + 1) : 0;
        if (digit < 10 && (next == COMMA || next == LF || next == CR)) {
          store<f64>(numbers + (<usize>kind << 3), <f64>digit);
          q++;
        } else {
          q = decimalAt(q, end, numbers + (<usize>kind << 3));
          if (q == 0) return REFUSED;
        }
      } else if (kind == ID) {
        // Printable ASCII without space, comma or quote: nothing for trim or UTF-8 to change.
        idFrom = q;
        while (q < end) {
          const c = <u32>load<u8>(q);
          if (c <= 32 || c >= 127 || c == COMMA || c == QUOTE) break;
          q++;
        }
        if (q == idFrom) return REFUSED;
        idTo = q;
      } else {
        while (q < end) {
          const c = <u32>load<u8>(q);
          if (c == COMMA || c == LF || c == CR) break;
          if (c == QUOTE) return REFUSED; // a quote inside a plain field: the CSV reader judges it
          q++;
        }
      }
      field++;
      if (q < end && <u32>load<u8>(q) == COMMA) {
        q++;
        continue;
      }
      // A line ends at LF, CR LF, or the end of the file's last line.
      if (q < end && <u32>load<u8>(q) == CR) q++;
      if (q < end && <u32>load<u8>(q) != LF) return REFUSED; // junk after a value, or a stray CR
      break;
    }
    p = q + 1;
    if (field != width) return REFUSED;
    if (!scoreRow(scores + <usize>(rows * n), inputs + (<usize>(rows * n) << 3), values + (<usize>rows << 3))) return REFUSED;
    store<i32>(idAt + (<usize>rows << 3), <i32>(idFrom - bytes));
    store<i32>(idAt + (<usize>rows << 3) + 4, <i32>(idTo - bytes));
    rows++;
  }
  return rows;
}

/**
 * decimalAt of packages/cli/src/lib/short-decimal.ts: [+-] digits [. digits],
 * at most 15 digits, into `into`. Returns the position after it, or 0 when
 * no short decimal starts at q.
 */
@inline function decimalAt(q: usize, end: usize, into: usize): usize {
  let c: u32 = q < end ? <u32>load<u8>(q) : 0;
  const negative = c == 45;
  if (negative || c == 43) q++;
  let m: f64 = 0;
  let digits = 0;
  let scale = -1;
  for (; q < end; q++) {
    c = <u32>load<u8>(q);
    if (c - 48 < 10) {
      m = m * 10 + <f64>(c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c == 46 && scale < 0) scale = 0;
    else break;
  }
  if (digits == 0 || digits > 15) return 0;
  const value = scale > 0 ? m / load<f64>(POW10 + (<usize>scale << 3)) : m;
  store<f64>(into, negative ? -value : value);
  return q;
}

/**
 * The line's indicator scores (numericScore), the network's inputs
 * (applyMinMax, clamped) and C (currentValues), each with the host's
 * arithmetic in its order; false for what the host must judge.
 */
function scoreRow(scores: usize, inputs: usize, values: usize): bool {
  const n = indicators;
  for (let j = 0; j < n; j++) {
    const rule = rules + (<usize>(4 * j) << 2);
    const v = load<f64>(numbers + (<usize>load<i32>(rule) << 3));
    let s: f64;
    if (load<i32>(rule, 4) == LIKERT) {
      if (!(v >= 1 && v <= 5 && v == Math.floor(v))) return false;
      s = v;
    } else {
      const count = load<i32>(rule, 8);
      const cuts = plan + (<usize>load<i32>(rule, 12) << 3);
      let g = 0;
      while (g < count && load<f64>(cuts + (<usize>g << 3)) < v) g++;
      s = load<f64>(cuts + (<usize>(count + g) << 3));
    }
    // Scores are integers 1–5 (the host checks a cuts rule's): a byte, and the input is looked up.
    const score = <i32>s;
    store<u8>(scores + <usize>j, score);
    store<f64>(inputs + (<usize>j << 3), load<f64>(inputsOfScore + (<usize>(8 * j + score) << 3)));
  }
  let sum: f64 = 0;
  for (let k = 0; k < currentCount; k++) {
    const pair = current + (<usize>(2 * k) << 3);
    const s = <f64>load<u8>(scores + <usize>(<i32>load<f64>(pair)));
    if (!(s >= 1 && s <= 5)) return false;
    sum += s * load<f64>(pair + 8);
  }
  if (!(totalWeight > 0)) return false;
  const C = sum / totalWeight;
  if (!(C >= 1 - TOP_TOLERANCE && C <= 5 + TOP_TOLERANCE)) return false;
  store<f64>(values, C);
  return true;
}

/** The band of C (band() in current.ts), C already checked to lie in 1–5. */
@inline function bandOf(C: f64): i32 {
  if (C >= 5 - TOP_TOLERANCE) return 5;
  return max(1, min(4, <i32>Math.floor(C)));
}

/** One output line at o: id, C, band, K, class, strategy, scores; returns the position after it. */
function writeRow(o: usize, from: usize, to: usize, C: f64, k: f64, scores: usize): usize {
  memory.copy(o, from, to - from);
  o += to - from;
  store<u8>(o++, COMMA);
  o += writeCurrentValue(C, o);
  store<u8>(o++, COMMA);
  store<u8>(o++, 48 + bandOf(C));
  store<u8>(o++, COMMA);
  o += writeShortest(k, o);
  store<u8>(o++, COMMA);
  const cls = k >= thresholdA ? 0 : k >= thresholdB ? 1 : k >= thresholdC ? 2 : 3;
  store<u8>(o++, 65 + cls);
  store<u8>(o++, COMMA);
  const field = strategyFields + (<usize>(2 * cls) << 3);
  const bytes = <usize>load<f64>(field + 8);
  memory.copy(o, strategies + <usize>load<f64>(field), bytes);
  o += bytes;
  for (let j = 0; j < indicators; j++) {
    store<u8>(o++, COMMA);
    store<u8>(o++, 48 + load<u8>(scores + <usize>j));
  }
  store<u8>(o++, LF);
  return o;
}

/** writeShortest(C, o) through C_TEXTS. */
@inline function writeCurrentValue(C: f64, o: usize): usize {
  const bits = reinterpret<u64>(C);
  const slot = C_TEXTS + C_SLOT * <usize>((<u32>(bits ^ (bits >>> 32)) * 0x9E3779B1) >>> (32 - C_SLOTS_LOG2));
  if (load<u64>(slot) == bits) {
    const length = <usize>load<i32>(slot, 8);
    memory.copy(o, slot + 12, length);
    return length;
  }
  const length = writeShortest(C, o);
  store<u64>(slot, bits);
  store<i32>(slot, length, 8);
  memory.copy(slot + 12, o, <usize>length);
  return <usize>length;
}

/** Whether each of the rows' ids (at idAt) comes after the one before in byte order, none equal. */
function ascending(bytes: usize, idAt: usize, rows: i32): bool {
  for (let r = 1; r < rows; r++) {
    const a = bytes + <usize>load<i32>(idAt + (<usize>(r - 1) << 3));
    const aLength = <usize>load<i32>(idAt + (<usize>(r - 1) << 3), 4) - <usize>load<i32>(idAt + (<usize>(r - 1) << 3));
    const b = bytes + <usize>load<i32>(idAt + (<usize>r << 3));
    const bLength = <usize>load<i32>(idAt + (<usize>r << 3), 4) - <usize>load<i32>(idAt + (<usize>r << 3));
    const common = min(aLength, bLength);
    let i: usize = 0;
    while (i < common && load<u8>(a + i) == load<u8>(b + i)) i++;
    // b must be greater: a larger byte where they differ, or a longer id with a's bytes as its start.
    if (i < common ? load<u8>(a + i) > load<u8>(b + i) : aLength >= bLength) return false;
  }
  return true;
}

/**
 * cyrb64 of the id's bytes (packages/cli/src/lib/id-table.ts, cyrb64Ascii):
 * two 32-bit multiply–xorshift lanes, i32 products as Math.imul's.
 */
@inline function hashId(from: usize, to: usize, out: usize): void {
  let h1: u32 = 0xdeadbeef;
  let h2: u32 = 0x41c6ce57;
  for (let p = from; p < to; p++) {
    const ch = <u32>load<u8>(p);
    h1 = (h1 ^ ch) * 2654435761;
    h2 = (h2 ^ ch) * 1597334677;
  }
  h1 = ((h1 ^ (h1 >>> 16)) * 2246822507) ^ ((h2 ^ (h2 >>> 13)) * 3266489909);
  h2 = ((h2 ^ (h2 >>> 16)) * 2246822507) ^ ((h1 ^ (h1 >>> 13)) * 3266489909);
  store<u32>(out, h1);
  store<u32>(out + 4, h2);
}
