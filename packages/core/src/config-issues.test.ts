/**
 * invalidConfigError: every zod issue on its own line under the file's
 * name, `(top level)` for the file as a whole, and the first issue's dotted
 * path as the error's `path`.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { invalidConfigError } from './config-issues.js';
import { ConfigError } from './errors.js';

const schema = z.strictObject({ levels: z.array(z.object({ id: z.string() })).min(1) });

function errorOf(value: unknown): ConfigError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to fail the schema');
  return invalidConfigError('segments.json', parsed.error);
}

describe('invalidConfigError', () => {
  it('lists every issue with its path, and keeps the first as the error path', () => {
    const error = errorOf({ levels: [{ id: 1 }], bogus: true });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.split('\n')).toEqual([
      'segments.json is invalid:',
      '  levels.0.id: Invalid input: expected string, received number',
      '  (top level): Unrecognized key: "bogus"',
    ]);
    expect(error.path).toBe('levels.0.id');
  });

  it('names the whole file as (top level) and its path as empty', () => {
    const error = errorOf('not an object');
    expect(error.message).toMatch(/^segments\.json is invalid:\n {2}\(top level\): Invalid input: expected object, received string$/);
    expect(error.path).toBe('');
  });
});
