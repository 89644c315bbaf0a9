/**
 * Pseudonymous customer ids: HMAC-SHA256 of the id under a secret key, as
 * hex. The same key gives the same pseudonym in every run (so files can still
 * be joined and snapshots compared), but without the key nobody can go back
 * to the raw id or test a guessed id.
 */
import { OptionsError } from '../errors.js';
import { hmacSha256, toHex } from './sha256.js';

/** The environment variable holding the pseudonymisation key. */
export const PSEUDONYM_KEY_ENV = 'CVNET_PSEUDONYM_KEY';

/** Keys shorter than this (in UTF-8 bytes) are refused: a short key can be brute-forced. */
export const MIN_KEY_BYTES = 16;

export interface PseudonymOptions {
  /**
   * Hex characters kept (even, 16–64). The full HMAC is kept unless asked:
   * truncating to 32 characters (128 bits, RFC 4231 §4.6) still makes a
   * collision among even billions of customers vanishingly unlikely.
   * @default 64
   */
  length?: number;
}

/** A function id → pseudonym for one key. */
export type Pseudonymizer = (id: string) => string;

const encoder = new TextEncoder();

/**
 * A pseudonymiser for `key` (text, used as its UTF-8 bytes).
 *
 * @throws OptionsError for a key shorter than {@link MIN_KEY_BYTES} bytes or a bad length.
 */
export function createPseudonymizer(key: string | Uint8Array, options: PseudonymOptions = {}): Pseudonymizer {
  const bytes = typeof key === 'string' ? encoder.encode(key) : key;
  if (bytes.length < MIN_KEY_BYTES) {
    throw new OptionsError(`the pseudonymisation key has ${bytes.length} byte(s); use at least ${MIN_KEY_BYTES} (e.g. 64 random hex characters from \`openssl rand -hex 32\`)`);
  }
  const length = options.length ?? 64;
  if (!Number.isInteger(length) || length < 16 || length > 64 || length % 2 !== 0) {
    throw new OptionsError(`pseudonym length must be an even number of hex characters from 16 to 64, got ${length}`);
  }
  const mac = hmacSha256(bytes);
  return (id) => toHex(mac(encoder.encode(id))).slice(0, length);
}

/** One pseudonym (convenience; build a pseudonymiser once for many ids). */
export function pseudonymize(id: string, key: string | Uint8Array, options: PseudonymOptions = {}): string {
  return createPseudonymizer(key, options)(id);
}

/**
 * The pseudonymiser configured by the environment (`process.env` in Node, a
 * binding object in workers).
 *
 * @throws OptionsError naming the variable when it is unset or empty, or too short.
 */
export function pseudonymizerFromEnv(env: Readonly<Record<string, string | undefined>>, options: PseudonymOptions = {}): Pseudonymizer {
  const key = env[PSEUDONYM_KEY_ENV];
  if (key === undefined || key === '') {
    throw new OptionsError(`pseudonymisation needs a secret key in the environment variable ${PSEUDONYM_KEY_ENV} (at least ${MIN_KEY_BYTES} characters, e.g. export ${PSEUDONYM_KEY_ENV}=$(openssl rand -hex 32)); it is not set`);
  }
  return createPseudonymizer(key, options);
}
