/**
 * The duplicate-id check of a streamed file in bounded memory: a set of
 * 64-bit id hashes, each with the line it was first seen on, in an
 * open-addressing table of typed arrays (no string kept, so memory does not
 * depend on id length).
 *
 * Memory: 12 bytes a slot (two 32-bit hash halves and a 32-bit line), the
 * slot count a power of two kept at most 3/4 full: 12–24 MiB per million
 * ids (24 MiB at 1 M), plus the old table while growing (the peak is 1.5×
 * the new size). A hash match does not prove a duplicate: the caller
 * compares the ids themselves (IdChecker reads both lines again).
 */
import { DataError } from '@cvnet/core/data';

const INITIAL = 1 << 12;

/** Writes an id's 64-bit hash as two 32-bit halves into out[0] and out[1]. */
export type HashFunction = (id: string, out: Int32Array) => void;

/** The ids' 64-bit hashes, two halves each (ids[i] at 2i, 2i + 1). */
export function hashIds(ids: readonly string[], hashOf: HashFunction = cyrb64): Int32Array<ArrayBuffer> {
  const out = new Int32Array(2 * ids.length);
  const one = new Int32Array(2);
  for (let i = 0; i < ids.length; i++) {
    hashOf(ids[i]!, one);
    out[2 * i] = one[0]!;
    out[2 * i + 1] = one[1]!;
  }
  return out;
}
/** Lines are stored as unsigned 32-bit, 0 meaning an empty slot (data lines start at 2). */
const MAX_LINE = 0xffffffff;

export class IdTable {
  private mask = INITIAL - 1;
  private size = 0;
  /**
   * Slot i is words 3i (hash high half), 3i + 1 (low half), 3i + 2 (line,
   * unsigned): one array so that a probe touches one cache line, not two.
   */
  private slots = new Int32Array(3 * INITIAL);

  /** @param hashOf writes an id's 64-bit hash as two halves into `out` (tests pass a weak one to force collisions). @default cyrb64 */
  constructor(private readonly hashOf: HashFunction = cyrb64) {}

  /** The ids' hashes by this table's hash function (two halves each), as addHash takes them. */
  hashIds(ids: readonly string[]): Int32Array<ArrayBuffer> {
    return hashIds(ids, this.hashOf);
  }

  /** An empty table with the same hash function. */
  empty(): IdTable {
    return new IdTable(this.hashOf);
  }

  /** Ids recorded. */
  get count(): number {
    return this.size;
  }

  /** Calls `fn` with every recorded hash (two halves) and line, in table order. */
  forEach(fn: (hi: number, lo: number, line: number) => void): void {
    const slots = this.slots;
    for (let j = 0; j < slots.length; j += 3) {
      if (slots[j + 2] !== 0) fn(slots[j]!, slots[j + 1]!, slots[j + 2]! >>> 0);
    }
  }

  /** Makes room for `count` ids in all, in one step, so that adding them does not rehash the table again and again. */
  reserve(count: number): void {
    let slots = this.mask + 1;
    while (4 * count > 3 * slots) slots *= 2;
    if (slots > this.mask + 1) this.resize(slots);
  }

  /**
   * Loads the first slot each of these hashes probes, all before any is
   * added: the loads do not depend on each other, so the processor overlaps
   * their cache misses, which addHash, one id after the other, could not
   * (on a million ids in a 24 MiB table this made adding them ~40 % faster).
   * Returns a value of no meaning, so that the loads are not left out.
   */
  warm(hashes: Int32Array): number {
    const slots = this.slots;
    const mask = this.mask;
    let touched = 0;
    for (let i = 1; i < hashes.length; i += 2) touched |= slots[3 * (hashes[i]! & mask) + 2]!;
    return touched;
  }

  /**
   * Records the id hashed as (hi, lo) (see hashIds) at `line` unless ids
   * with the same hash were recorded: then records nothing and returns
   * their lines, for the caller to compare the ids and call `insertHash` if
   * it is a different id after all.
   */
  addHash(hi: number, lo: number, line: number): number[] | undefined {
    const slots = this.slots;
    let matches: number[] | undefined;
    let i = lo & this.mask;
    for (; slots[3 * i + 2] !== 0; i = (i + 1) & this.mask) {
      if (slots[3 * i] === hi && slots[3 * i + 1] === lo) (matches ??= []).push(slots[3 * i + 2]! >>> 0);
    }
    if (matches !== undefined) return matches;
    // The probe ended at the free slot the id goes to, unless the table must grow first.
    if (this.mustGrow() || !(line >= 2 && line <= MAX_LINE)) this.insertHash(hi, lo, line);
    else {
      this.store(i, hi, lo, line);
      this.size++;
    }
    return undefined;
  }

  /** Records the hash at `line` even when it is already there (a collision), in the first free slot of its probe run. */
  insertHash(hi: number, lo: number, line: number): void {
    if (!(line >= 2 && line <= MAX_LINE)) {
      throw new DataError(`line ${line}: the duplicate-id check numbers lines 2 to ${MAX_LINE} only`, { row: line });
    }
    if (this.mustGrow()) this.resize(2 * (this.mask + 1));
    this.place(hi, lo, line);
    this.size++;
  }

  /** Whether one more id would fill the table past 3/4. */
  private mustGrow(): boolean {
    return 4 * (this.size + 1) > 3 * (this.mask + 1);
  }

  private place(hi: number, lo: number, line: number): void {
    const slots = this.slots;
    let i = lo & this.mask;
    while (slots[3 * i + 2] !== 0) i = (i + 1) & this.mask;
    this.store(i, hi, lo, line);
  }

  private store(i: number, hi: number, lo: number, line: number): void {
    const slots = this.slots;
    slots[3 * i] = hi;
    slots[3 * i + 1] = lo;
    slots[3 * i + 2] = line | 0;
  }

  private resize(count: number): void {
    const old = this.slots;
    this.mask = count - 1;
    this.slots = new Int32Array(3 * count);
    for (let j = 0; j < old.length; j += 3) {
      if (old[j + 2] !== 0) this.place(old[j]!, old[j + 1]!, old[j + 2]!);
    }
  }
}

/**
 * cyrb53's two 32-bit multiply–xorshift lanes over the UTF-16 code units,
 * both kept whole: a 64-bit hash. Not cryptographic: ids chosen to collide
 * only make the check slower (each collision is one more read), never wrong.
 */
export function cyrb64(id: string, out: Int32Array): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  finish(h1, h2, out, 0);
}

/** cyrb64 of the ASCII id in `bytes[start..end)`: the same hash as of its string, without making one. */
export function cyrb64Ascii(bytes: Uint8Array, start: number, end: number, out: Int32Array, at: number): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = start; i < end; i++) {
    const ch = bytes[i]!;
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  finish(h1, h2, out, at);
}

function finish(h1: number, h2: number, out: Int32Array, at: number): void {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[at] = h1;
  out[at + 1] = h2;
}
