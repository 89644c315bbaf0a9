/**
 * The duplicate-id check of a streamed customer file, exact and in bounded
 * memory whatever the file's length.
 *
 * Ids are kept as 64-bit hashes with their line (IdTable, 12–24 bytes an
 * id). A repeated hash is confirmed by reading the ids on both lines again
 * (`idsAt`), so a hash collision between different ids costs a read, never a
 * false error; a true duplicate throws at once, naming both rows.
 *
 * Past `cap` ids the table spills: its hashes and every later one go to
 * temporary partition files by their top hash bits (equal ids always share a
 * partition), and `finish` checks one partition at a time at the end. A
 * duplicate past the cap is then reported once the whole file is read: with
 * --out nothing is written, on standard output the rows are already out.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, removeOnSignal } from '@cvnet/core/data';
import { IdTable } from './id-table.js';

export interface IdCheckerOptions {
  /**
   * Ids held in memory; past this the hashes spill to temporary files.
   * @default 2_000_000 (a table of 48 MiB)
   */
  cap?: number;
  /** The table (tests pass one with a weak hash, to force collisions). @default new IdTable() */
  table?: IdTable;
  /** Where spilled hashes go (in a folder of their own, removed afterwards). @default the system's temporary folder */
  tmp?: string;
}

/** Where the checker reads ids again: the id on each of `lines` of the file. */
export type IdsAt = (lines: readonly number[]) => Promise<Map<number, string>>;

/** A repeated hash found in a spilled partition: a duplicate if the ids on the lines agree. */
interface Candidate {
  readonly line: number;
  readonly earlier: readonly number[];
}

export class IdChecker {
  private table: IdTable;
  /** Ids held in memory before the hashes spill (IdCheckerOptions.cap). */
  readonly cap: number;
  private spill: Spill | undefined;
  private readonly tmp: string;
  /** IdTable.warm's results, kept so that its loads are not optimised away. */
  private warmed = 0;

  /**
   * @param where the file (and the id column, once known) for messages.
   */
  constructor(
    private readonly where: { path: string; idColumn: () => string },
    private readonly idsAt: IdsAt,
    options: IdCheckerOptions = {},
  ) {
    this.table = options.table ?? new IdTable();
    this.cap = options.cap ?? 2_000_000;
    this.tmp = options.tmp ?? tmpdir();
  }

  /** The ids' hashes, two halves each, as `check` takes them. */
  hashes(ids: readonly string[]): Int32Array {
    return this.table.hashIds(ids);
  }

  /** Room for `count` ids in memory (up to the cap), so the table is not regrown step by step. */
  expect(count: number): void {
    this.table.reserve(Math.min(count, this.cap));
  }

  /** Records each id (by hash) on its line; throws at the first one seen before (in memory). */
  async check(hashes: Int32Array, lines: ArrayLike<number>): Promise<void> {
    if (this.spill === undefined) this.warmed ^= this.table.warm(hashes);
    for (let i = 0; i < lines.length; i++) {
      const hi = hashes[2 * i]!;
      const lo = hashes[2 * i + 1]!;
      const line = lines[i]!;
      if (this.spill === undefined && this.table.count >= this.cap) {
        this.spill = new Spill(this.tmp);
        this.table.forEach((h, l, at) => this.spill!.add(h, l, at));
        this.table = this.table.empty(); // keeps hashing ids as before the spill
      }
      if (this.spill !== undefined) {
        this.spill.add(hi, lo, line);
        continue;
      }
      const earlier = this.table.addHash(hi, lo, line);
      if (earlier === undefined) continue;
      await this.confirm({ line, earlier });
      this.table.insertHash(hi, lo, line);
    }
  }

  /** Ends the check: with spilled ids, throws for the first repeated id in file order. */
  async finish(): Promise<void> {
    if (this.spill === undefined) return;
    try {
      const candidates = this.spill.candidates(this.cap).sort((a, b) => a.line - b.line);
      for (const candidate of candidates) await this.confirm(candidate);
    } finally {
      this.dispose();
    }
  }

  /** Removes spilled files (a reader that stops early, or fails, calls this; finish does too). */
  dispose(): void {
    this.spill?.remove();
    this.spill = undefined;
  }

  /** Throws if the id on `line` is the one on an earlier line with the same hash. */
  private async confirm({ line, earlier }: Candidate): Promise<void> {
    const there = await this.idsAt([...earlier, line]);
    const id = there.get(line)!;
    const first = earlier.filter((l) => there.get(l) === id).sort((a, b) => a - b)[0];
    if (first === undefined) return;
    const column = this.where.idColumn();
    throw new DataError(`${this.where.path}: row ${line}, column "${column}": duplicate customer id ${JSON.stringify(id)} (first on row ${first})`, { row: line, column });
  }
}

/** Partitions per level: the top 6 bits of the hash's first half, then the next 6, … */
const FANOUT = 64;
/** Levels of partitions (bits 31–2 of the first half): 64^5 partitions of `cap` ids each is enough for any file. */
const DEEPEST = 4;
/** Entries (hash halves and line) buffered per partition before a write. */
const BUFFERED = 4096;

/** Hash/line entries in temporary partition files. */
class Spill {
  private readonly dir: string;
  private readonly root: Partitions;
  /** Ctrl-C or SIGTERM mid-file removes the partitions too, as it does a half-written output. */
  private readonly forget: () => void;

  constructor(tmp: string) {
    this.dir = mkdtempSync(join(tmp, 'cvnet-ids-'));
    this.forget = removeOnSignal(this.dir);
    this.root = new Partitions(this.dir, 'p', 0);
  }

  add(hi: number, lo: number, line: number): void {
    this.root.add(hi, lo, line);
  }

  /** Every repeated hash, partition by partition, each level small enough for one table. */
  candidates(cap: number): Candidate[] {
    return this.root.candidates(cap);
  }

  remove(): void {
    this.root.close();
    rmSync(this.dir, { recursive: true, force: true });
    this.forget();
  }
}

class Partitions {
  private readonly fds: number[] = [];
  private readonly buffers: Int32Array[] = [];
  private readonly fill = new Int32Array(FANOUT);

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly level: number,
  ) {
    for (let k = 0; k < FANOUT; k++) {
      this.fds.push(openSync(join(dir, `${name}${k}`), 'w+'));
      this.buffers.push(new Int32Array(3 * BUFFERED));
    }
  }

  add(hi: number, lo: number, line: number): void {
    // Level 0 takes bits 31–26 of the first half, level 1 bits 25–20, …
    const k = (hi >>> (26 - 6 * this.level)) & 63;
    const buffer = this.buffers[k]!;
    const at = 3 * this.fill[k]!;
    buffer[at] = hi;
    buffer[at + 1] = lo;
    buffer[at + 2] = line;
    if (++this.fill[k]! === BUFFERED) this.flush(k);
  }

  candidates(cap: number): Candidate[] {
    const found: Candidate[] = [];
    for (let k = 0; k < FANOUT; k++) {
      this.flush(k);
      const fd = this.fds[k]!;
      const count = fstatSync(fd).size / 12;
      if (count <= cap || this.level === DEEPEST) found.push(...this.repeats(fd, count));
      else {
        const deeper = new Partitions(this.dir, `${this.name}${k}.`, this.level + 1);
        try {
          readEntries(fd, count, (hi, lo, line) => deeper.add(hi, lo, line));
          found.push(...deeper.candidates(cap));
        } finally {
          deeper.close();
        }
      }
    }
    return found;
  }

  close(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
  }

  /** Repeated hashes in one partition file, entries taken in the order written. */
  private repeats(fd: number, count: number): Candidate[] {
    const table = new IdTable();
    table.reserve(count);
    const found: Candidate[] = [];
    readEntries(fd, count, (hi, lo, line) => {
      const earlier = table.addHash(hi, lo, line);
      if (earlier === undefined) return;
      found.push({ line, earlier });
      table.insertHash(hi, lo, line);
    });
    return found;
  }

  private flush(k: number): void {
    const n = this.fill[k]!;
    if (n === 0) return;
    const bytes = new Uint8Array(this.buffers[k]!.buffer, 0, 12 * n);
    for (let at = 0; at < bytes.length;) at += writeSync(this.fds[k]!, bytes, at);
    this.fill[k] = 0;
  }
}

/** Reads a partition file's entries from its start, a chunk at a time. */
function readEntries(fd: number, count: number, fn: (hi: number, lo: number, line: number) => void): void {
  const chunk = new Int32Array(3 * 65536);
  const bytes = new Uint8Array(chunk.buffer);
  for (let done = 0; done < count;) {
    const n = Math.min(65536, count - done);
    let got = 0;
    while (got < 12 * n) got += readSync(fd, bytes, got, 12 * n - got, 12 * done + got);
    for (let i = 0; i < n; i++) fn(chunk[3 * i]!, chunk[3 * i + 1]!, chunk[3 * i + 2]! >>> 0);
    done += n;
  }
}
