import { createPrng } from '@cvnet/core';
import { DataError } from '@cvnet/core/data';

/**
 * Row indices split into training and a seeded random validation fraction
 * (partial Fisher–Yates). Both lists are returned in file order so that the
 * batch sums run in the same order as the file.
 *
 * @throws DataError when either part would be empty.
 */
export function splitRows(
  rows: number,
  fraction: number,
  seed: number,
  path: string,
): { training: number[]; validation: number[] } {
  const all = Array.from({ length: rows }, (_, i) => i);
  if (fraction === 0) return { training: all, validation: [] };
  const count = Math.round(fraction * rows);
  if (count === 0 || count === rows) {
    throw new DataError(
      `${path}: ${rows} rows cannot be split into training and validation with --validation ${fraction} (${count} validation rows)`,
    );
  }
  const rng = createPrng(seed);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.next() * (rows - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const byIndex = (a: number, b: number): number => a - b;
  return { training: all.slice(count).sort(byIndex), validation: all.slice(0, count).sort(byIndex) };
}
