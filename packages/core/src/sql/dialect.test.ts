import { describe, expect, it } from 'vitest';
import { createPrng } from '../network/prng.js';
import { SQL_DIALECTS, dialectOf } from './dialect.js';

describe('SQL dialects', () => {
  it('write float64 literals that round-trip exactly, negatives in parentheses', () => {
    const prng = createPrng(7);
    const values = [0, 0.1, -0.1, 1 / 3, Number.MAX_VALUE, Number.MIN_VALUE, 5 - 1e-9, 1e21, -123456.789];
    for (let i = 0; i < 500; i++) values.push((prng.next() - 0.5) * 10 ** Math.floor(prng.next() * 40 - 20));
    for (const name of SQL_DIALECTS) {
      const d = dialectOf(name);
      for (const x of values) {
        const text = d.float(x);
        const bare = text.replace(/^\((.*)\)$/, '$1').replace(/::(float8|DOUBLE)$/, '');
        expect(bare).toMatch(/^-?\d(\.\d+)?e[+-]\d+$/);
        expect(Number(bare)).toBe(x);
        expect(text.startsWith('(')).toBe(x < 0);
      }
    }
  });

  it('escape strings: quote doubled in standard SQL, backslash escapes where backslash is special', () => {
    const s = "it's a \\ test\nline";
    expect(dialectOf('postgres').string(s)).toBe("'it''s a \\ test\nline'");
    expect(dialectOf('duckdb').string(s)).toBe("'it''s a \\ test\nline'");
    for (const name of ['bigquery', 'spark', 'snowflake'] as const) expect(dialectOf(name).string(s)).toBe("'it\\'s a \\\\ test\\nline'");
  });

  it('quote identifiers, Snowflake only when the name is not simple or is reserved', () => {
    expect(dialectOf('postgres').ident('a"b')).toBe('"a""b"');
    expect(dialectOf('bigquery').ident('a`b')).toBe('`a\\`b`');
    expect(dialectOf('bigquery').ident('a\\b')).toBe('`a\\\\b`');
    expect(dialectOf('spark').ident('a`b')).toBe('`a``b`');
    expect(dialectOf('spark').ident('a\\b')).toBe('`a\\b`');
    expect(dialectOf('snowflake').ident('Income')).toBe('Income');
    expect(dialectOf('snowflake').ident('select')).toBe('"select"');
    expect(dialectOf('snowflake').ident('my col')).toBe('"my col"');
  });
});
