/**
 * The dialects no test can run for real (BigQuery, Spark SQL, Snowflake):
 * each query is parsed by node-sql-parser's grammar for the engine (Hive's
 * for Spark, the closest it has), and then run in DuckDB — verbatim for
 * Snowflake, and for BigQuery and Spark after the few rewrites listed in
 * `toDuckDb` (quoting, type names, day difference, raise function) — and
 * compared with the core like the DuckDB and PostgreSQL exports.
 */
import NodeSqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelToSql, type SqlDialect } from '../../packages/core/src/sql/index.js';
import { openDuck, type Duck } from './duckdb.js';
import { compare, ifood, mainJob, tableStatements, textTypes, toSqlRows, warehouseTypes, type Case } from './fixtures.js';

const parser = new NodeSqlParser.Parser();
const grammar = { bigquery: 'bigquery', spark: 'hive', snowflake: 'snowflake' } as const;

/** A date expression of the query: a typed column's CAST, or a text column's non-failing cast of its first 10 characters. */
const DATE_EXPRESSION = String.raw`((?:SAFE_|TRY_)?CAST\((?:"[^"]+"|SUBSTR\(NULLIF\(TRIM\("[^"]+"\), ''\), 1, 10\)) AS DATE\))`;

/** The only changes DuckDB needs; everything else runs as exported. */
function toDuckDb(dialect: 'bigquery' | 'spark' | 'snowflake', sql: string): string {
  if (dialect === 'snowflake') return sql;
  let out = sql.replace(/`([^`]*)`/g, (_, name: string) => `"${name}"`);
  if (dialect === 'bigquery') {
    out = out.replace(/\bFLOAT64\b/g, 'DOUBLE').replace(/\bINT64\b/g, 'BIGINT').replace(/\bSAFE_CAST\(/g, 'TRY_CAST(');
    out = out.replace(new RegExp(String.raw`DATE_DIFF\(DATE '([^']+)', ${DATE_EXPRESSION}, DAY\)`, 'g'), "date_diff('day', $2, DATE '$1')");
  } else {
    out = out.replace(new RegExp(String.raw`DATEDIFF\(DATE '([^']+)', ${DATE_EXPRESSION}\)`, 'g'), "date_diff('day', $2, DATE '$1')");
    out = out.replace(/\bRAISE_ERROR\(/g, 'error(');
  }
  return out;
}

let duck: Duck;
let cases: Case[];

beforeAll(async () => {
  cases = [await mainJob(), await ifood()];
  duck = await openDuck();
});
afterAll(() => duck?.close());

describe.each(['bigquery', 'spark', 'snowflake'] as const)('%s export', (dialect) => {
  it('parses with the engine grammar, and a broken query does not (the check can fail)', () => {
    for (const c of cases) {
      const sql = modelToSql(c.model, { dialect });
      expect(() => parser.astify(sql, { database: grammar[dialect] })).not.toThrow();
      expect(() => parser.astify(sql.replace(' AS cvnet_x1', ' AS AS cvnet_x1'), { database: grammar[dialect] })).toThrow();
    }
  });

  it.each(['main job', 'iFood'])('runs in DuckDB (with the rewrites above) and matches the core on the %s', async (name) => {
    const c = cases.find((x) => x.name === name)!;
    for (const sql of ['DROP TABLE IF EXISTS customers', ...tableStatements('customers', c.rows, warehouseTypes(c.rows))]) await duck.run(sql);
    const sql = toDuckDb(dialect, modelToSql(c.model, { dialect }));
    const result = compare(c.expected, toSqlRows(await duck.query(sql), c.model.method!.system.idColumn, c.model.inputs.names));
    expect(result.mismatches).toEqual([]);
    expect(result.maxDeltaK).toBeLessThanOrEqual(1e-9);
  });

  it('reads text columns with its non-failing cast: text that is no number or date scores the customer NULL with invalid: null', async () => {
    const c = cases.find((x) => x.name === 'iFood')!;
    const sql = modelToSql(c.model, { dialect, columns: 'text', invalid: 'null' });
    // Hive's grammar, the closest node-sql-parser has to Spark's, lacks Spark 3.2's TRY_CAST.
    if (dialect !== 'spark') expect(() => parser.astify(sql, { database: grammar[dialect] })).not.toThrow();
    const bad: Record<number, Record<string, string>> = { 3: { Income: 'n/a' }, 7: { Dt_Customer: 'unknown' } };
    const rows = c.rows.map((r, i) => ({ ...r, ...bad[i] }));
    for (const statement of ['DROP TABLE IF EXISTS customers', ...tableStatements('customers', rows, textTypes(rows))]) await duck.run(statement);
    const scored = toSqlRows(await duck.query(toDuckDb(dialect, sql)), c.model.method!.system.idColumn, c.model.inputs.names);
    const nulled = scored.filter((r) => r.K === null).map((r) => r.id);
    expect(nulled.sort()).toEqual([String(c.rows[3]!.ID), String(c.rows[7]!.ID)].sort());
    const others = { ...c.expected, customers: c.expected.customers.filter((cu) => !nulled.includes(cu.id)) };
    expect(compare(others, scored.filter((r) => r.K !== null)).mismatches).toEqual([]);
  });
});

describe('dialect specifics', () => {
  const sqlOf = (dialect: SqlDialect): string => modelToSql(cases.find((x) => x.name === 'iFood')!.model, { dialect });

  it('casts float literals to the engine\'s 64-bit float where a plain literal would be fixed-point', () => {
    expect(sqlOf('postgres')).toMatch(/ \+ \d\.\d+e[+-]\d+::float8 \* cvnet_x1/);
    expect(sqlOf('snowflake')).toMatch(/\d\.\d+e[+-]\d+::DOUBLE \* cvnet_x1/);
    // DuckDB, BigQuery and Spark read an exponent literal as a double.
    for (const d of ['duckdb', 'bigquery', 'spark'] as const) expect(sqlOf(d)).toMatch(/ [+-] \d(\.\d+)?e[+-]\d+ \* cvnet_x1/);
  });

  it('quotes names the engine\'s way: Snowflake leaves simple names bare so they match upper-case columns', () => {
    expect(sqlOf('bigquery')).toContain('`Income`');
    expect(sqlOf('spark')).toContain('`Income`');
    expect(sqlOf('postgres')).toContain('"Income"');
    expect(sqlOf('snowflake')).toMatch(/CAST\(Income AS DOUBLE\)/);
    // A backtick in a name: Spark SQL doubles it, GoogleSQL escapes it with a backslash.
    const model = cases.find((x) => x.name === 'iFood')!.model;
    expect(modelToSql(model, { dialect: 'spark', table: 'db.t`x' })).toContain('FROM `db`.`t``x`\n');
    expect(modelToSql(model, { dialect: 'bigquery', table: 'db.t`x' })).toContain('FROM `db`.`t\\`x`\n');
  });
});
