/**
 * How large a scoring query each engine accepts. The query grows with the
 * number of weights (hidden × inputs + hidden × outputs); one neuron's net
 * input is a single sum, so its number of terms (the layer's fan-in) sets the
 * expression depth, which some engines cap separately from the text length.
 */
import { CvnetError } from '../errors.js';
import type { SqlDialect } from './dialect.js';

export interface SqlLimit {
  /** Longest query text in bytes (UTF-8), when the engine documents one. */
  readonly maxBytes?: number;
  /** Most terms in one neuron's sum (inputs + 1 bias), when the engine caps expression depth. */
  readonly maxFanIn?: number;
  /** Most columns in one stage of the query (id + scores + one layer). */
  readonly maxColumns?: number;
  /** Where the numbers come from. */
  readonly basis: string;
}

/**
 * Per-engine limits. DuckDB's and PostgreSQL's were measured with the
 * engines the tests run (a 991-term sum ran in DuckDB 1.5 and a 999-term one
 * failed; PostgreSQL 15 ran a 1,661-term sum and stops at its 1,664-column
 * target list). BigQuery's and Snowflake's are their documented maximum query
 * text; Spark documents none, so none is enforced for it.
 */
export const SQL_LIMITS: Readonly<Record<SqlDialect, SqlLimit>> = {
  duckdb: { maxFanIn: 990, basis: 'DuckDB max_expression_depth, 1000 by default' },
  postgres: { maxColumns: 1664, basis: 'PostgreSQL target lists have at most 1,664 entries' },
  bigquery: { maxBytes: 1_024_000, basis: 'BigQuery maximum unresolved GoogleSQL query length, 1,024K characters' },
  spark: { basis: 'Spark SQL documents no query size limit' },
  snowflake: { maxBytes: 1_000_000, basis: 'Snowflake maximum SQL statement size, 1 MB' },
};

/** The error thrown for a query past its engine's limit. */
export class SqlLimitError extends CvnetError {
  constructor(message: string) {
    super('SQL_LIMIT', message);
    this.name = 'SqlLimitError';
  }
}

/** Size of a generated query, for checking it against a limit. */
export interface SqlSize {
  /** Network shape for messages, e.g. "14-29-1". */
  shape: string;
  sql: string;
  /** Terms of every neuron sum per layer (inputs + 1). */
  fanIns: readonly number[];
  /** Select items of every stage. */
  widths: readonly number[];
}

const ADVICE = 'use fewer indicators or hidden neurons, or score with cvnet classify';

/** Throws SqlLimitError when a query is past the limit of `dialect`. */
export function checkSqlLimits(dialect: SqlDialect, label: string, size: SqlSize): void {
  const limit = SQL_LIMITS[dialect];
  const fanIn = Math.max(...size.fanIns);
  if (limit.maxFanIn !== undefined && fanIn > limit.maxFanIn) {
    throw new SqlLimitError(`network ${size.shape} has neurons summing ${fanIn} terms; ${label} takes at most ${limit.maxFanIn} in one expression (${limit.basis}): ${ADVICE}`);
  }
  const width = Math.max(...size.widths);
  if (limit.maxColumns !== undefined && width > limit.maxColumns) {
    throw new SqlLimitError(`network ${size.shape} needs a query stage of ${width} columns; ${label} takes at most ${limit.maxColumns} (${limit.basis}): ${ADVICE}`);
  }
  const bytes = new TextEncoder().encode(size.sql).length;
  if (limit.maxBytes !== undefined && bytes > limit.maxBytes) {
    throw new SqlLimitError(`the query for network ${size.shape} is ${bytes} bytes; ${label} takes at most ${limit.maxBytes} (${limit.basis}): ${ADVICE}`);
  }
}
