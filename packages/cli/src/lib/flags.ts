import { Flags } from '@oclif/core';

/** A flag holding a finite decimal number (oclif only ships integer flags). */
export const float = Flags.custom<number>({
  parse: async (input) => {
    const value = Number(input);
    if (input.trim() === '' || !Number.isFinite(value)) throw new Error(`expected a number, got "${input}"`);
    return value;
  },
});
