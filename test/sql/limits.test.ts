/**
 * Size limits: a query at the limit runs in the real engine, one past it is
 * refused before it is written, with a message naming network, engine and
 * limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelToSql, SQL_LIMITS, SqlLimitError } from '../../packages/core/src/sql/index.js';
import type { Duck } from './duckdb.js';
import { closeEngines, openEngines } from './engines.js';
import { tableStatements, warehouseTypes } from './fixtures.js';
import type { Postgres } from './postgres.js';
import { syntheticModel, syntheticRows } from './synthetic-model.js';

let duck: Duck;
let pg: Postgres;
beforeAll(async () => {
  ({ duck, pg } = await openEngines());
});
afterAll(() => closeEngines(duck, pg));

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('SQL size limits', () => {
  it('DuckDB: a neuron summing 990 terms runs, 991 is refused (max_expression_depth)', async () => {
    const limit = SQL_LIMITS.duckdb.maxFanIn!;
    // 2 inputs, so the output neuron sums hidden + 1 terms.
    const rows = syntheticRows(2, 3);
    for (const sql of tableStatements('customers', rows, warehouseTypes(rows))) await duck.run(sql);
    const result = await duck.query(modelToSql(syntheticModel(2, limit - 1), { dialect: 'duckdb' }));
    expect(result).toHaveLength(3);
    const error = thrown(() => modelToSql(syntheticModel(2, limit), { dialect: 'duckdb' }));
    expect(error).toBeInstanceOf(SqlLimitError);
    expect((error as Error).message).toBe(
      `network 2-${limit}-1 has neurons summing ${limit + 1} terms; DuckDB takes at most ${limit} in one expression (DuckDB max_expression_depth, 1000 by default): use fewer indicators or hidden neurons, or score with cvnet classify`,
    );
    // The limit is real: DuckDB itself refuses a little past it.
    const past = modelToSql(syntheticModel(2, limit + 20), { dialect: 'duckdb', checkLimits: false });
    await expect(duck.query(past)).rejects.toThrow(/expression depth/);
  });

  it('PostgreSQL: a stage of 1,664 columns runs, 1,665 is refused (target list limit)', async () => {
    const max = SQL_LIMITS.postgres.maxColumns!;
    // Widest stage: id + 2 scores + hidden activations.
    const rows = syntheticRows(2, 3);
    for (const sql of ['DROP TABLE IF EXISTS customers', ...tableStatements('customers', rows, warehouseTypes(rows))]) await pg.client.query(sql);
    const ok = await pg.client.query(modelToSql(syntheticModel(2, max - 3), { dialect: 'postgres' }));
    expect(ok.rows).toHaveLength(3);
    const error = thrown(() => modelToSql(syntheticModel(2, max - 2), { dialect: 'postgres' }));
    expect(error).toBeInstanceOf(SqlLimitError);
    expect((error as Error).message).toMatch(/needs a query stage of 1665 columns; PostgreSQL takes at most 1664/);
    // And PostgreSQL does refuse it.
    const unchecked = modelToSql(syntheticModel(2, max - 2), { dialect: 'postgres', checkLimits: false });
    await expect(pg.client.query(unchecked)).rejects.toThrow(/at most 1664 entries/);
  });

  it.each(['bigquery', 'snowflake'] as const)('%s: refuses a query text past its documented maximum', (dialect) => {
    const max = SQL_LIMITS[dialect].maxBytes!;
    // About 26 bytes per weight: 40 inputs × 1,000 hidden is ~1 MB.
    const under = modelToSql(syntheticModel(20, 300), { dialect });
    expect(under.length).toBeLessThan(max);
    const error = thrown(() => modelToSql(syntheticModel(40, 1000), { dialect }));
    expect(error).toBeInstanceOf(SqlLimitError);
    expect((error as Error).message).toMatch(new RegExp(`^the query for network 40-1000-1 is \\d+ bytes; \\w+ takes at most ${max} `));
  });

  it('Spark: no documented limit, so none is enforced', () => {
    expect(() => modelToSql(syntheticModel(40, 1000), { dialect: 'spark' })).not.toThrow();
  });
});
