/**
 * The SQL that turns transaction lines into one row of raw indicator values
 * per customer. Pure string building (no DuckDB here), so every rule of the
 * feature definitions can be read in one place:
 *
 * - a line's *outcome* is the first that applies of: bad date (missing or
 *   unparseable), no customer id, duplicate (when dropped), bad amount
 *   (missing or not a number), cancelled status (never paid), zero amount,
 *   return (order id with the cancellation prefix, negative quantity or
 *   negative amount; kept, with a negative amount), purchase;
 * - returns net monetary value and future spend; only purchases make orders.
 */
import { dialectOf } from '../sql/dialect.js';
import type { Mapping, ResolvedColumns } from './mapping.js';

const duckdb = dialectOf('duckdb');
/** A quoted SQL identifier. */
export const ident = duckdb.ident;
/** A quoted SQL string literal. */
export const literal = duckdb.string;

/** The table function reading one file in `format`. */
export function readFileSql(path: string, format: 'csv' | 'parquet', delimiter?: string): string {
  if (format === 'parquet') return `read_parquet(${literal(path)})`;
  // Every column as text: dates and numbers are parsed (and failures counted)
  // by the feature SQL, not rejected by the CSV sniffer.
  const delim = delimiter === undefined ? '' : `, delim=${literal(delimiter)}`;
  return `read_csv(${literal(path)}, header=true, all_varchar=true${delim})`;
}

/**
 * A whitespace-separated file (runs of spaces, leading spaces allowed, as
 * CDNOW): each line is read whole and split into its non-blank tokens.
 */
export function readWhitespaceSql(path: string, header: readonly string[]): string {
  // \u0001 never occurs in such files, so each line arrives as one field.
  const fields = header.map((h, i) => `tokens[${i + 1}] AS ${ident(h)}`).join(', ');
  return `(SELECT ${fields} FROM (SELECT regexp_extract_all(line, '\\S+') AS tokens FROM read_csv(${literal(path)}, columns={'line': 'VARCHAR'}, header=true, delim='\u0001', quote='', escape='', auto_detect=false)) WHERE len(tokens) > 0)`;
}

const text = (c: string): string => `NULLIF(trim(CAST(${ident(c)} AS VARCHAR)), '')`;
const num = (c: string): string => `TRY_CAST(trim(CAST(${ident(c)} AS VARCHAR)) AS DOUBLE)`;

/** Which optional per-customer columns the source supports. */
export interface Available {
  product: boolean;
  category: boolean;
  rating: boolean;
  visits: boolean;
  timeOnSite: boolean;
  membership: boolean;
}

export function available(cols: ResolvedColumns): Available {
  return {
    product: cols.product !== undefined,
    category: cols.category !== undefined,
    rating: cols.rating !== undefined,
    visits: cols.visits !== undefined,
    timeOnSite: cols.timeOnSite !== undefined,
    membership: cols.membership !== undefined,
  };
}

/**
 * CREATE TABLE lines: one row per source line with parsed fields, the issue
 * flags (independent; a line may have several) and its single outcome.
 *
 * @param allColumns every source column, for duplicate detection.
 */
export function linesSql(source: string, mapping: Mapping, cols: ResolvedColumns, allColumns: readonly string[]): string {
  const c = cols as Required<ResolvedColumns>;
  const ts = mapping.dateFormat !== undefined
    ? `try_strptime(trim(CAST(${ident(c.timestamp)} AS VARCHAR)), ${literal(mapping.dateFormat)})::TIMESTAMP`
    : `TRY_CAST(${ident(c.timestamp)} AS TIMESTAMP)`;
  const amount = cols.amount !== undefined ? num(c.amount) : `${num(c.quantity)} * ${num(c.unitPrice)}`;
  const quantity = cols.quantity !== undefined ? num(c.quantity) : 'NULL::DOUBLE';
  const order = cols.order !== undefined ? text(c.order) : 'NULL::VARCHAR';
  const prefix = mapping.cancelledPrefix;
  const cancelledPrefix = prefix !== null && cols.order !== undefined ? `coalesce(starts_with(${text(c.order)}, ${literal(prefix)}), false)` : 'false';
  const statuses = mapping.cancelledStatuses.map((s) => literal(s.toLowerCase()));
  const cancelledStatus = cols.status !== undefined && statuses.length > 0
    ? `coalesce(lower(${text(c.status)}) IN (${statuses.join(', ')}), false)`
    : 'false';
  const keyColumns = allColumns.filter((x) => !mapping.ignoreColumns.includes(x));
  const dup = keyColumns.length > 0 ? `row_number() OVER (PARTITION BY ${keyColumns.map(ident).join(', ')}) > 1` : 'false';
  const optional = [
    cols.product !== undefined ? `${text(c.product)} AS product` : 'NULL::VARCHAR AS product',
    cols.category !== undefined ? `${text(c.category)} AS category` : 'NULL::VARCHAR AS category',
    cols.rating !== undefined ? `${num(c.rating)} AS rating` : 'NULL::DOUBLE AS rating',
    cols.visits !== undefined ? `${num(c.visits)} AS visits` : 'NULL::DOUBLE AS visits',
    cols.timeOnSite !== undefined ? `${num(c.timeOnSite)} AS time_on_site` : 'NULL::DOUBLE AS time_on_site',
    cols.membership !== undefined
      ? `CASE WHEN coalesce(lower(${text(c.membership)}), '0') IN ('0', 'false', 'no', 'n', 'f') THEN 0 ELSE 1 END AS membership`
      : 'NULL::INTEGER AS membership',
  ];
  const dropDup = mapping.duplicates === 'drop' ? "WHEN dup THEN 'duplicate'" : '';
  return `CREATE TEMP TABLE lines AS
WITH parsed AS (
  SELECT
    NULLIF(regexp_replace(trim(CAST(${ident(c.customer)} AS VARCHAR)), '\\.0+$', ''), '') AS customer,
    ${order} AS order_raw,
    ${ts} AS ts,
    ${quantity} AS quantity,
    ${amount} AS amount_raw,
    ${cancelledPrefix} AS cancelled_prefix,
    ${cancelledStatus} AS cancelled_status,
    ${dup} AS dup,
    ${optional.join(',\n    ')}
  FROM ${source}
), flagged AS (
  SELECT *,
    ts IS NULL AS bad_date,
    customer IS NULL AS no_customer,
    amount_raw IS NULL OR NOT isfinite(amount_raw) AS bad_amount,
    amount_raw = 0 AS zero_amount,
    coalesce(quantity < 0, false) AS negative_quantity,
    cancelled_prefix OR coalesce(quantity < 0, false) OR coalesce(amount_raw < 0, false) AS is_return
  FROM parsed
)
SELECT
  customer,
  -- Without an order column, the lines of one customer at one timestamp are one order.
  coalesce(order_raw, customer || '@' || CAST(ts AS VARCHAR)) AS order_id,
  ts,
  CASE WHEN is_return THEN -abs(amount_raw) ELSE amount_raw END AS amount,
  product, category, rating, visits, time_on_site, membership,
  bad_date, no_customer, dup, bad_amount, zero_amount, cancelled_prefix, negative_quantity, cancelled_status,
  CASE
    WHEN bad_date THEN 'bad_date'
    WHEN no_customer THEN 'no_customer'
    ${dropDup}
    WHEN bad_amount THEN 'bad_amount'
    WHEN cancelled_status THEN 'cancelled_status'
    WHEN zero_amount THEN 'zero_amount'
    WHEN is_return THEN 'return'
    ELSE 'purchase'
  END AS outcome
FROM flagged`;
}

/** Row counts per issue and outcome, and per period for the used lines. */
export function summarySql(cut: string, horizonEnd: string | null): string {
  const later = horizonEnd === null ? `ts >= ${cut}` : `ts >= ${horizonEnd}`;
  const future = horizonEnd === null ? 'false' : `ts >= ${cut} AND ts < ${horizonEnd}`;
  const used = "outcome IN ('purchase', 'return')";
  return `SELECT
  count(*) AS rows,
  count_if(bad_date) AS bad_date, count_if(no_customer) AS no_customer, count_if(dup) AS duplicate,
  count_if(bad_amount) AS bad_amount, count_if(zero_amount) AS zero_amount, count_if(cancelled_prefix) AS cancelled_prefix,
  count_if(negative_quantity) AS negative_quantity, count_if(cancelled_status) AS cancelled_status,
  count_if(outcome = 'purchase') AS o_purchase, count_if(outcome = 'return') AS o_return,
  count_if(outcome = 'bad_date') AS o_bad_date, count_if(outcome = 'no_customer') AS o_no_customer,
  count_if(outcome = 'duplicate') AS o_duplicate, count_if(outcome = 'bad_amount') AS o_bad_amount,
  count_if(outcome = 'cancelled_status') AS o_cancelled_status, count_if(outcome = 'zero_amount') AS o_zero_amount,
  count_if(${used} AND ts < ${cut}) AS p_history,
  count_if(${used} AND ${future}) AS p_future,
  count_if(${used} AND ${later}) AS p_later,
  min(ts) FILTER (${used}) AS first_ts, max(ts) FILTER (${used}) AS last_ts
FROM lines`;
}

/** The output columns (raw indicator values) the source supports, in order. */
export function indicatorColumns(a: Available): string[] {
  return [
    'recency', 'frequency', 'monetary',
    ...(a.product ? ['repeat', 'cross'] : []),
    'relationship',
    ...(a.rating ? ['rating'] : []),
    ...(a.visits ? ['visits'] : []),
    ...(a.timeOnSite ? ['time_online'] : []),
    ...(a.membership ? ['membership'] : []),
  ];
}

export interface CustomersQuery {
  /** As-of day, YYYY-MM-DD: the last day of history. */
  asOf: string;
  windowDays: number;
  /** Days after as-of for future_spend / future_purchase; null for none. */
  horizonDays: number | null;
}

/** A TIMESTAMP literal for midnight after `day` + `offset` days. */
export const dayAfter = (day: string, offset = 0): string => `(DATE ${literal(day)} + INTERVAL ${1 + offset} DAY)::TIMESTAMP`;

/**
 * One row per customer with a purchase on or before as-of: customer_id, the
 * raw indicator values and, with a horizon, future_spend (net, floored at 0)
 * and future_purchase (0/1). Ordered by customer id.
 */
export function customersSql(q: CustomersQuery, a: Available): string {
  const cut = dayAfter(q.asOf);
  const start = `(${cut} - INTERVAL ${q.windowDays} DAY)`;
  const buyWindow = `outcome = 'purchase' AND ts >= ${start}`;
  // Cross purchases: distinct categories, or distinct products without a category column.
  const crossKey = a.category ? 'category' : 'product';
  const select = [
    'k.customer AS customer_id',
    `date_diff('day', CAST(k.last_ts AS DATE), DATE ${literal(q.asOf)}) AS recency`,
    'coalesce(w.frequency, 0) AS frequency',
    'round(coalesce(w.monetary, 0), 4) AS monetary',
    ...(a.product ? ['coalesce(p.repeat, 0) AS repeat', 'coalesce(w.cross_count, 0) AS cross'] : []),
    `date_diff('day', CAST(k.first_ts AS DATE), DATE ${literal(q.asOf)}) AS relationship`,
    ...(a.rating ? ['round(o.rating, 4) AS rating'] : []),
    ...(a.visits ? ['coalesce(o.visits, 0) AS visits'] : []),
    ...(a.timeOnSite ? ['coalesce(o.time_on_site, 0) AS time_online'] : []),
    ...(a.membership ? ['k.membership AS membership'] : []),
    ...(q.horizonDays === null ? [] : ['round(greatest(coalesce(f.spend, 0), 0), 4) AS future_spend', 'CASE WHEN coalesce(f.bought, false) THEN 1 ELSE 0 END AS future_purchase']),
  ];
  const withs = [
    `hist AS (SELECT * FROM lines WHERE outcome IN ('purchase', 'return') AND ts < ${cut})`,
    `known AS (SELECT customer, min(ts) AS first_ts, max(ts) AS last_ts, max(membership) AS membership FROM hist WHERE outcome = 'purchase' GROUP BY customer)`,
    `w AS (SELECT customer, count(DISTINCT order_id) FILTER (outcome = 'purchase') AS frequency, sum(amount) AS monetary,
      count(DISTINCT ${crossKey}) FILTER (outcome = 'purchase') AS cross_count FROM hist WHERE ts >= ${start} GROUP BY customer)`,
  ];
  if (a.product) {
    withs.push(`p AS (SELECT customer, count(*) FILTER (orders > 1) AS repeat FROM
      (SELECT customer, product, count(DISTINCT order_id) AS orders FROM hist WHERE ${buyWindow} AND product IS NOT NULL GROUP BY customer, product)
      GROUP BY customer)`);
  }
  if (a.rating || a.visits || a.timeOnSite) {
    // Order-level first (an order's lines repeat its rating), then per customer.
    withs.push(`o AS (SELECT customer, avg(rating) AS rating, sum(visits) AS visits, sum(time_on_site) AS time_on_site FROM
      (SELECT customer, order_id, avg(rating) AS rating, max(visits) AS visits, max(time_on_site) AS time_on_site FROM hist WHERE outcome = 'purchase' GROUP BY customer, order_id)
      GROUP BY customer)`);
  }
  if (q.horizonDays !== null) {
    const end = dayAfter(q.asOf, q.horizonDays);
    withs.push(`f AS (SELECT customer, sum(amount) AS spend, bool_or(outcome = 'purchase') AS bought FROM lines
      WHERE outcome IN ('purchase', 'return') AND ts >= ${cut} AND ts < ${end} GROUP BY customer)`);
  }
  const joins = [
    'LEFT JOIN w USING (customer)',
    ...(a.product ? ['LEFT JOIN p USING (customer)'] : []),
    ...(a.rating || a.visits || a.timeOnSite ? ['LEFT JOIN o USING (customer)'] : []),
    ...(q.horizonDays === null ? [] : ['LEFT JOIN f USING (customer)']),
  ];
  return `WITH ${withs.join(',\n')}
SELECT ${select.join(', ')}
FROM known k ${joins.join(' ')}
ORDER BY customer_id`;
}

/** Customers whose first purchase falls in the horizon (unknown at as-of, so not scored). */
export function newCustomersSql(asOf: string, horizonDays: number): string {
  const cut = dayAfter(asOf);
  return `SELECT count(*) AS n FROM (SELECT customer, min(ts) AS first_ts FROM lines WHERE outcome = 'purchase' GROUP BY customer)
WHERE first_ts >= ${cut} AND first_ts < ${dayAfter(asOf, horizonDays)}`;
}
