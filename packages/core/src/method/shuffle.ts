import type { Prng } from '../network/prng.js';

/** Shuffles a copy of `xs` (Fisher–Yates) with the shared seeded PRNG. */
export function shuffled<T>(xs: readonly T[], prng: Prng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
