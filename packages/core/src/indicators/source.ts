/**
 * Reading an indicator's raw value from a customer row: a column, a sum of
 * columns, a count of positive columns, or the days since a date.
 */
import type { IndicatorSource } from './config.js';
import { DataError } from '../errors.js';
import type { RowNumbering } from './fit.js';
import { decimalValue } from '../number-text.js';

/** One customer record, keyed by column name (CSV text or numbers). */
export type CustomerRow = Readonly<Record<string, string | number | null | undefined>>;

/** Where a value is, for error messages. */
export interface Cell {
  /** 1-based row/line number. */
  readonly line: number;
  readonly indicator: string;
}

/** The columns a source reads. */
export function sourceColumns(source: IndicatorSource): string[] {
  if (typeof source === 'string') return [source];
  if ('column' in source) return [source.column];
  if ('sum' in source) return [...source.sum];
  if ('count_positive' in source) return [...source.count_positive];
  return [source.days_since];
}

/** Human-readable form of a source, for messages and reports. */
export function describeSource(source: IndicatorSource): string {
  if (typeof source === 'string') return source;
  if ('column' in source) return source.column;
  if ('sum' in source) return `sum(${source.sum.join(', ')})`;
  if ('count_positive' in source) return `count_positive(${source.count_positive.join(', ')})`;
  return `days_since(${source.days_since}, ${source.asOf})`;
}

/** An empty value: null, undefined or blank text (any type: the server checks JSON values with it too). */
export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** The line number of row `r` (0-based) for error messages. */
export function lineOf(numbering: RowNumbering, r: number): number {
  return numbering.lines?.[r] ?? (numbering.firstLine ?? 1) + r;
}

function numberAt(row: CustomerRow, column: string, cell: Cell): number | null {
  const v = row[column];
  if (isBlank(v)) return null;
  const x = typeof v === 'number' ? v : decimalValue(String(v));
  if (x === undefined || !Number.isFinite(x)) {
    throw new DataError(
      `row ${cell.line}, column "${column}" (indicator "${cell.indicator}"): expected a number, got ${JSON.stringify(v)}`,
      { row: cell.line, column, indicator: cell.indicator },
    );
  }
  return x;
}

const DAY_MS = 86_400_000;

/**
 * An ISO date, optionally with a time of day (`T` or a space, hh:mm[:ss[.f]],
 * optionally Z, an offset ±hh[[:]mm] or " UTC"), as CRM exports and databases
 * (PostgreSQL's timestamptz, BigQuery) write timestamps; the time is checked,
 * then ignored.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?| UTC)?)?$/;

/** Days since 1970-01-01 of an ISO date (time of day, if present, ignored); null for a date or time that does not exist. */
export function isoDay(text: string): number | null {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 60)) return null;
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  // Dates roll over (2014-02-30 becomes March 2): reject dates that do not exist.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.getTime() / DAY_MS;
}

/**
 * The numeric raw value of a source in one row; `null` when it is empty
 * (for sums and counts: when any of their columns is empty).
 *
 * @throws DataError for a non-numeric value or an unreadable date.
 */
export function numericValue(source: IndicatorSource, row: CustomerRow, cell: Cell): number | null {
  if (typeof source === 'string') return numberAt(row, source, cell);
  if ('column' in source) return numberAt(row, source.column, cell);
  if ('sum' in source || 'count_positive' in source) {
    const columns = 'sum' in source ? source.sum : source.count_positive;
    let total = 0;
    for (const c of columns) {
      const x = numberAt(row, c, cell);
      if (x === null) return null;
      total += 'sum' in source ? x : x > 0 ? 1 : 0;
    }
    return total;
  }
  const v = row[source.days_since];
  if (isBlank(v)) return null;
  const day = isoDay(String(v));
  // Runs once per customer: the message parts are made only for an error, asOf's day only once.
  const refuse = (problem: string): never => {
    throw new DataError(`row ${cell.line}, column "${source.days_since}" (indicator "${cell.indicator}"): ${problem}`, { row: cell.line, column: source.days_since, indicator: cell.indicator });
  };
  if (day === null) return refuse(`expected a date as YYYY-MM-DD, got ${JSON.stringify(v)}`);
  const days = asOfDay(source.asOf) - day;
  if (days < 0) return refuse(`date ${String(v)} is after asOf ${source.asOf}`);
  return days;
}

const asOfDays = new Map<string, number>();
/** isoDay of a config's asOf (checked when the config was read), parsed once per text. */
function asOfDay(asOf: string): number {
  let day = asOfDays.get(asOf);
  if (day === undefined) asOfDays.set(asOf, (day = isoDay(asOf) ?? NaN));
  return day;
}

/** The text raw value of a single-column source (categorical rules); `null` when empty. */
export function textValue(source: IndicatorSource, row: CustomerRow): string | null {
  const column = sourceColumns(source)[0]!;
  const v = row[column];
  return isBlank(v) ? null : String(v).trim();
}
