/**
 * The duplicate-id check of a file whose ids ascend (a CRM export sorted by
 * its key, say). Ids in strictly ascending order are all different, so
 * while every block's ids ascend and each block's first id comes after the
 * one before's last, their hashes are only kept, not looked up in the id
 * table: a lookup is a cache miss in a table of tens of MiB, about a
 * quarter of classify's main thread on a million rows. At the first block
 * out of that order the kept hashes go to the IdChecker in file order, and
 * it checks everything from then on, so what it reports is what it would
 * have reported without this. Hashes are kept for at most the checker's
 * own limit in memory (its cap, at 16 bytes an id against its 12–24); past
 * that they are handed over too.
 */
import type { IdOrder } from '@cvnet/core/scoring';
import type { IdChecker } from './duplicate-ids.js';

interface Kept {
  readonly hashes: Int32Array;
  readonly lines: ArrayLike<number>;
}

export class AscendingIds {
  /** Blocks kept unchecked while the ids ascend; undefined once the checker has taken over. */
  private kept: Kept[] | undefined = [];
  private keptIds = 0;
  private last: Uint8Array | undefined;
  /** The count for IdChecker.expect, passed on when it takes over. */
  private expected: number | undefined;

  constructor(private readonly ids: IdChecker) {}

  /** IdChecker.expect, once the checker is needed. */
  expect(count: number): void {
    this.expected = count;
  }

  /**
   * IdChecker.check for a block whose ids are in `order` (unknown for a
   * block read by the JavaScript paths, which ends the ascending run).
   */
  async check(hashes: Int32Array, lines: ArrayLike<number>, order: IdOrder | undefined): Promise<void> {
    if (this.kept !== undefined && lines.length === 0) return;
    const ascends = order !== undefined && order.ascending && (this.last === undefined || Buffer.compare(this.last, order.first) < 0);
    if (this.kept !== undefined && ascends && this.keptIds + lines.length <= this.ids.cap) {
      this.kept.push({ hashes, lines });
      this.keptIds += lines.length;
      this.last = order.last;
      return;
    }
    await this.handOver();
    await this.ids.check(hashes, lines);
  }

  /** IdChecker.finish: nothing to look up if the ids ascended throughout. */
  async finish(): Promise<void> {
    if (this.kept === undefined) await this.ids.finish();
  }

  /** Hands the kept blocks to the checker, in file order; it checks every block from now on (and may be called directly). */
  async handOver(): Promise<void> {
    const kept = this.kept;
    if (kept === undefined) return;
    this.kept = undefined;
    if (this.expected !== undefined) this.ids.expect(this.expected);
    for (const block of kept) await this.ids.check(block.hashes, block.lines);
  }
}
