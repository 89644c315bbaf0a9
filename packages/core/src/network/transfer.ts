import type { Transfer } from './types.js';

/** Transfer codes shared with the Wasm core (assembly/transfer.ts). */
export const TRANSFER_CODES: Readonly<Record<Transfer, number>> = Object.freeze({
  purelin: 0,
  logsig: 1,
  tansig: 2,
});

export const TRANSFERS: readonly Transfer[] = Object.freeze(['tansig', 'logsig', 'purelin']);

/** MATLAB's tansig: 2/(1+exp(−2n)) − 1 (equal to tanh, up to rounding). */
export function tansig(n: number): number {
  return 2 / (1 + Math.exp(-2 * n)) - 1;
}

/** MATLAB's logsig: 1/(1+exp(−n)). */
export function logsig(n: number): number {
  return 1 / (1 + Math.exp(-n));
}

/** Applies a transfer function to one net input. */
export function transferValue(transfer: Transfer, n: number): number {
  switch (transfer) {
    case 'tansig':
      return tansig(n);
    case 'logsig':
      return logsig(n);
    case 'purelin':
      return n;
  }
}

/** da/dn written through the output a, as MATLAB's dtansig/dlogsig/dpurelin. */
export function transferDerivative(transfer: Transfer, a: number): number {
  switch (transfer) {
    case 'tansig':
      return 1 - a * a;
    case 'logsig':
      return a * (1 - a);
    case 'purelin':
      return 1;
  }
}

/**
 * Net-input range in which the transfer function is active, as MATLAB's
 * initnw uses it; purelin has none (unbounded).
 */
export function activeRange(transfer: Transfer): readonly [number, number] | undefined {
  switch (transfer) {
    case 'tansig':
      return [-2, 2];
    case 'logsig':
      return [-4, 4];
    case 'purelin':
      return undefined;
  }
}

/**
 * Output range of a layer, used as the input range of the next layer by
 * Nguyen–Widrow initialisation. purelin is unbounded; cvnet then assumes
 * [−1, 1] (MATLAB would have infinite ranges and no usable scaling).
 */
export function outputRange(transfer: Transfer): readonly [number, number] {
  return transfer === 'logsig' ? [0, 1] : [-1, 1];
}
