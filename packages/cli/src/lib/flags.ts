import { decimalValue, OptionsError } from '@cvnet/core';

/**
 * The value of a flag holding a finite decimal number, undefined when not
 * given. Such flags are plain strings read here, inside the command's try
 * (as speed-flags does): oclif reports an error from a flag's own parser over
 * three lines with exit code 1.
 *
 * @throws OptionsError naming the flag.
 */
export function decimalFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = decimalValue(value);
  if (number === undefined) throw new OptionsError(`${name} must be a finite decimal number, got "${value}"`);
  return number;
}
