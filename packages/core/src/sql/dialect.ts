/**
 * What differs between SQL engines for the exported scoring query: quoting,
 * string and float literals, type names, day differences and how to stop the
 * query with a message. Everything else in the query is standard SQL that all
 * five engines read the same way.
 */

export const SQL_DIALECTS = ['duckdb', 'postgres', 'bigquery', 'spark', 'snowflake'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export interface Dialect {
  readonly name: SqlDialect;
  /** Engine name for comments and messages. */
  readonly label: string;
  /** A column, table or alias name. */
  ident(name: string): string;
  /** A string literal. */
  string(text: string): string;
  /**
   * A float64 literal that the engine reads back as exactly `x`, as its
   * 64-bit float type (never a fixed-point NUMERIC/DECIMAL).
   */
  float(x: number): string;
  readonly doubleType: string;
  readonly textType: string;
  readonly intType: string;
  /** Whole days from `date` (a DATE expression) to the ISO day `asOf`. */
  daysUntil(date: string, asOf: string): string;
  /** An expression that aborts the query with the text of `message` (a string expression). */
  raise(message: string): string;
  /**
   * The text expression `text` as a DOUBLE ('double') or DATE ('date'), or
   * NULL where it does not read as one: a plain CAST would stop the query
   * with the engine's own error instead.
   */
  tryCast(text: string, type: 'double' | 'date'): string;
  /** How a CTE is introduced (`AS`, or `AS MATERIALIZED` where inlining would copy expressions). */
  readonly cteAs: string;
}

/**
 * JS's shortest round-trip digits in exponent form. A plain decimal like 0.1
 * is fixed-point in DuckDB, Spark and Snowflake (and NUMERIC in PostgreSQL),
 * and DuckDB's DECIMAL→DOUBLE conversion is not correctly rounded; an
 * exponent literal is parsed straight to a double by DuckDB, Spark and
 * BigQuery.
 */
function exponent(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as an SQL number`);
  return x.toExponential();
}

/** Wraps negative literals so `a - -1e+0` can never become the comment `a --1e+0`. */
const signed = (x: number, text: string): string => (x < 0 || Object.is(x, -0) ? `(${text})` : text);

const doubleQuoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** GoogleSQL: a quoted identifier takes the string escapes, so `\`` and `\\`. */
const backslashBackQuoted = (name: string): string => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
/** Spark SQL: a backtick inside a quoted identifier is doubled; a backslash is itself. */
const doubledBackQuoted = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** Standard SQL string: only the quote is doubled (PostgreSQL with standard_conforming_strings, DuckDB). */
const standardString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Strings in engines where backslash is an escape character (BigQuery, Spark, Snowflake). */
const backslashString = (s: string): string =>
  `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;

/**
 * PostgreSQL has no TRY_CAST (pg_input_is_valid is 16+): the text is cast
 * only when it has the form the cast reads. Numbers: cvnet's decimal syntax
 * (number-text.ts), which float8 reads, except magnitudes past float64's
 * range, which still stop the query. Dates: YYYY-MM-DD with a year 1–9999
 * and a month 01–12, and a day that exists in that month (checked by adding
 * it to the 1st, which cannot fail, and comparing). Nested CASEs, because
 * PostgreSQL does not promise to evaluate AND from left to right.
 */
const PG_DECIMAL = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$';
const PG_DAY = '^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';
function postgresTryCast(text: string, type: 'double' | 'date'): string {
  if (type === 'double') return `CASE WHEN ${text} ~ '${PG_DECIMAL}' THEN CAST(${text} AS DOUBLE PRECISION) END`;
  const day = `to_char(CAST(SUBSTR(${text}, 1, 8) || '01' AS DATE) + (CAST(SUBSTR(${text}, 9, 2) AS INTEGER) - 1), 'YYYY-MM-DD')`;
  return `CASE WHEN ${text} ~ '${PG_DAY}' THEN CASE WHEN ${day} = ${text} THEN CAST(${text} AS DATE) END END`;
}

/**
 * Snowflake folds unquoted names to upper case and matches quoted names
 * exactly, so simple names stay unquoted: `Income` then finds a column
 * created as INCOME or as Income without quotes — the common case.
 */
const SNOWFLAKE_PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SNOWFLAKE_RESERVED = new Set(
  ('ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME ' +
    'CURRENT_TIMESTAMP CURRENT_USER DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR FROM FULL GRANT GROUP HAVING ILIKE IN ' +
    'INCREMENT INNER INSERT INTERSECT INTO IS JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ' +
    'ORDER QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST ' +
    'UNION UNIQUE UPDATE USING VALUES WHEN WHENEVER WHERE WITH').split(' '),
);

const DIALECTS: Readonly<Record<SqlDialect, Dialect>> = {
  duckdb: {
    name: 'duckdb',
    label: 'DuckDB',
    ident: doubleQuoted,
    string: standardString,
    float: (x) => signed(x, exponent(x)),
    doubleType: 'DOUBLE',
    textType: 'VARCHAR',
    intType: 'INTEGER',
    daysUntil: (date, asOf) => `date_diff('day', ${date}, DATE '${asOf}')`,
    raise: (message) => `error(${message})`,
    tryCast: (text, type) => `TRY_CAST(${text} AS ${type === 'double' ? 'DOUBLE' : 'DATE'})`,
    cteAs: 'AS MATERIALIZED',
  },
  postgres: {
    name: 'postgres',
    label: 'PostgreSQL',
    ident: doubleQuoted,
    string: standardString,
    // Numeric constants are NUMERIC in PostgreSQL; the cast parses the exact
    // decimal text to the nearest double.
    float: (x) => signed(x, `${exponent(x)}::float8`),
    doubleType: 'DOUBLE PRECISION',
    textType: 'TEXT',
    intType: 'INTEGER',
    daysUntil: (date, asOf) => `(DATE '${asOf}' - ${date})`,
    // PostgreSQL has no raise function in plain SQL; casting the message to
    // an integer fails with the message in the error text. The message always
    // depends on a column, so the planner cannot fold it into a constant error.
    raise: (message) => `CAST(${message} AS INTEGER)`,
    tryCast: postgresTryCast,
    // PostgreSQL inlines a CTE used once, substituting each column's whole
    // expression wherever it is named: a net input named three times by its
    // tansig, K named by class and strategy... multiply into a plan that
    // takes minutes. Materialised, every stage is computed once per row.
    cteAs: 'AS MATERIALIZED',
  },
  bigquery: {
    name: 'bigquery',
    label: 'BigQuery',
    ident: backslashBackQuoted,
    string: backslashString,
    // A literal with an exponent is FLOAT64 in GoogleSQL.
    float: (x) => signed(x, exponent(x)),
    doubleType: 'FLOAT64',
    textType: 'STRING',
    intType: 'INT64',
    daysUntil: (date, asOf) => `DATE_DIFF(DATE '${asOf}', ${date}, DAY)`,
    raise: (message) => `ERROR(${message})`,
    tryCast: (text, type) => `SAFE_CAST(${text} AS ${type === 'double' ? 'FLOAT64' : 'DATE'})`,
    cteAs: 'AS',
  },
  spark: {
    name: 'spark',
    label: 'Spark SQL',
    ident: doubledBackQuoted,
    string: backslashString,
    // An exponent literal is DOUBLE in Spark SQL (unless the legacy
    // spark.sql.legacy.exponentLiteralAsDecimal.enabled is switched on).
    float: (x) => signed(x, exponent(x)),
    doubleType: 'DOUBLE',
    textType: 'STRING',
    intType: 'INT',
    daysUntil: (date, asOf) => `DATEDIFF(DATE '${asOf}', ${date})`,
    raise: (message) => `RAISE_ERROR(${message})`,
    // Spark 3.2 and later.
    tryCast: (text, type) => `TRY_CAST(${text} AS ${type === 'double' ? 'DOUBLE' : 'DATE'})`,
    cteAs: 'AS',
  },
  snowflake: {
    name: 'snowflake',
    label: 'Snowflake',
    ident: (name) => (SNOWFLAKE_PLAIN.test(name) && !SNOWFLAKE_RESERVED.has(name.toUpperCase()) ? name : doubleQuoted(name)),
    string: backslashString,
    // Snowflake reads 0.5 as NUMBER (fixed point); DOUBLE is its 64-bit FLOAT.
    float: (x) => signed(x, `${exponent(x)}::DOUBLE`),
    doubleType: 'DOUBLE',
    textType: 'VARCHAR',
    intType: 'INTEGER',
    daysUntil: (date, asOf) => `DATEDIFF('day', ${date}, DATE '${asOf}')`,
    // No raise function in Snowflake SQL: a failing cast carries the message.
    raise: (message) => `CAST(${message} AS INTEGER)`,
    // Snowflake's TRY_CAST takes text only, which is what it is given.
    tryCast: (text, type) => `TRY_CAST(${text} AS ${type === 'double' ? 'DOUBLE' : 'DATE'})`,
    cteAs: 'AS',
  },
};

export function dialectOf(name: SqlDialect): Dialect {
  return DIALECTS[name];
}
