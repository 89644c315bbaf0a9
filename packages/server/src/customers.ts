/**
 * Model-specific validation of customer rows, before the engine sees them:
 * every indicator needs its raw source column(s) or a 1–5 score field named
 * after it (chosen per batch from the first row, as core's scorer does), and
 * each value must fit the indicator's fitted rule. Every bad value is
 * reported with its JSON Pointer, not just the first.
 */
import { z } from 'zod';
// Core's own blank test and date reader, so a value passes here exactly when its scorer reads it.
import { decimalValue, indicatorReadings, isBlank, isoDay, sourceColumns, type CustomerRow, type FittedIndicator, type Model } from '@cvnet/core';
import { pointer, type FieldIssue } from './problem.js';

type Check = (value: unknown) => string | undefined;

/** The number core's scorer reads from a cell (same conversion, so the checks agree with it); NaN when none. */
const numberOf = (v: unknown): number => (typeof v === 'number' ? v : (decimalValue(String(v)) ?? NaN));
const shown = (v: unknown): string => JSON.stringify(v) ?? String(v);

function required(check: Check, missingOk: boolean, what: string): Check {
  return (v) => (isBlank(v) ? (missingOk ? undefined : `missing value; expected ${what}`) : check(v));
}

const scoreCheck: Check = (v) => {
  const x = numberOf(v);
  if (!Number.isFinite(x)) return `expected an integer score 1–5, got ${shown(v)}`;
  if (!Number.isInteger(x) || x < 1 || x > 5) return `out of range: expected an integer score 1–5, got ${shown(v)}`;
  return undefined;
};

/**
 * JSON numbers past ±(2^53 − 1) lose digits when parsed (RFC 8259 section 6):
 * the id would be answered changed, and two ids could become one. Fractions
 * have no one spelling either (1.50 reads as 1.5). Such ids must come as text.
 */
const idCheck: Check = (v) =>
  typeof v === 'number' && !Number.isSafeInteger(v)
    ? 'a numeric customer id must be an integer within ±9007199254740991 (2^53 − 1), as larger JSON numbers lose digits when read; send ids as strings'
    : undefined;

const numberCheck: Check = (v) => (Number.isFinite(numberOf(v)) ? undefined : `expected a number, got ${shown(v)}`);

function dateCheck(asOf: string): Check {
  const limit = isoDay(asOf);
  return (v) => {
    const day = typeof v === 'string' ? isoDay(v) : null;
    if (day === null) return `expected a date as YYYY-MM-DD, got ${shown(v)}`;
    if (limit !== null && day > limit) return `date ${String(v)} is after the model's asOf date ${asOf}`;
    return undefined;
  };
}

function categoryCheck(map: Readonly<Record<string, number>>, fallback: number | null): Check {
  const known = Object.keys(map);
  return (v) => {
    const key = String(v).trim();
    if (Object.hasOwn(map, key) || fallback !== null) return undefined;
    return `unknown value ${shown(key)}, expected one of ${known.map((k) => JSON.stringify(k)).join(', ')}`;
  };
}

/** Checks of the raw source column(s) of one indicator under its fitted rule. */
function rawChecks(ind: FittedIndicator): [string, Check][] {
  const { rule, source } = ind;
  const missingOk = rule.missingScore !== null;
  const columns = sourceColumns(source);
  if (rule.type === 'categorical') {
    return [[columns[0]!, required(categoryCheck(rule.map, rule.default), missingOk, 'a category')]];
  }
  if (typeof source === 'object' && 'days_since' in source) {
    return [[source.days_since, required(dateCheck(source.asOf), missingOk, 'a date as YYYY-MM-DD')]];
  }
  // A likert rule on a single column reads a score; on a sum, the sum must be one (core checks that).
  const single = rule.type === 'likert' && columns.length === 1;
  return columns.map((c) => [c, required(single ? scoreCheck : numberCheck, missingOk, single ? 'an integer score 1–5' : 'a number')]);
}

export interface RowChecks {
  /** Column the customer id is read from: the model's id column, or "id" when the rows lack it (as core's scorer does). */
  idColumn: string;
  schema: z.ZodType<Record<string, unknown>>;
}

/**
 * The checks for a batch whose first row has `columns`; an issue instead when
 * an indicator can be read neither way.
 */
export function rowChecks(model: Model, columns: ReadonlySet<string>): RowChecks | { missing: { field: string; detail: string }[] } {
  const system = model.method!.system;
  const idColumn = !columns.has(system.idColumn) && columns.has('id') ? 'id' : system.idColumn;
  const checks = new Map<string, Check>([[idColumn, required(idCheck, false, 'a customer id')]]);
  const missing: { field: string; detail: string }[] = [];
  // Core's choice of raw or score form per indicator, so a value passes here exactly when its scorer reads it.
  const readings = indicatorReadings(system, columns);
  for (const [i, ind] of system.indicators.entries()) {
    if (readings[i] === 'raw') {
      for (const [column, check] of rawChecks(ind)) checks.set(column, check);
    } else if (readings[i] === 'score') {
      checks.set(ind.id, required(scoreCheck, false, 'an integer score 1–5'));
    } else {
      const absent = sourceColumns(ind.source).filter((c) => !columns.has(c));
      missing.push({
        field: ind.id,
        detail: `indicator "${ind.id}" needs field(s) ${absent.map((c) => `"${c}"`).join(', ')} (raw value) or a score field "${ind.id}"; neither is given`,
      });
    }
  }
  if (!columns.has(idColumn)) missing.unshift({ field: idColumn, detail: `missing the customer id field "${idColumn}"` });
  if (missing.length > 0) return { missing };
  const shape = Object.fromEntries(
    [...checks].map(([column, check]) => [
      column,
      z.unknown().superRefine((v, ctx) => {
        const message = check(v);
        if (message !== undefined) ctx.addIssue({ code: 'custom', message });
      }),
    ]),
  );
  return { idColumn, schema: z.looseObject(shape) };
}

/**
 * Building a zod object schema costs far more than using it (zod compiles a
 * fast path on first use), so the checks are kept per model and column set;
 * clients send the same columns request after request.
 */
const cache = new WeakMap<Model, Map<string, ReturnType<typeof rowChecks>>>();
const CACHED_COLUMN_SETS = 64;

function cachedRowChecks(model: Model, columns: readonly string[]): ReturnType<typeof rowChecks> {
  let byColumns = cache.get(model);
  if (byColumns === undefined) cache.set(model, (byColumns = new Map()));
  const key = columns.join('\u0000');
  let checks = byColumns.get(key);
  if (checks === undefined) {
    checks = rowChecks(model, new Set(columns));
    // A client sending ever new columns must not grow memory without bound.
    if (byColumns.size >= CACHED_COLUMN_SETS) byColumns.delete(byColumns.keys().next().value!);
    byColumns.set(key, checks);
  }
  return checks;
}

/** At most this many issues are listed; a batch of 10 000 bad rows would otherwise answer megabytes. */
export const MAX_ISSUES = 1000;

/**
 * Every invalid value of `rows`, with pointers built by `where(index)` (the
 * array index for a JSON array, nothing for a single object) plus the field.
 */
export function customerIssues(
  model: Model,
  rows: readonly CustomerRow[],
  where: (index: number) => { path: (string | number)[]; line?: number },
): FieldIssue[] {
  const first = rows[0];
  if (first === undefined) return [];
  const checks = cachedRowChecks(model, Object.keys(first));
  if ('missing' in checks) {
    const at = where(0);
    return checks.missing.map((m): FieldIssue => ({
      pointer: pointer([...at.path, m.field]),
      detail: m.detail,
      ...(at.line === undefined ? {} : { line: at.line }),
    }));
  }
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  for (const [index, row] of rows.entries()) {
    if (issues.length >= MAX_ISSUES) break;
    const at = where(index);
    const located = (field: string, detail: string): FieldIssue => ({
      pointer: pointer([...at.path, field]),
      detail,
      ...(at.line === undefined ? {} : { line: at.line }),
    });
    const result = checks.schema.safeParse(row);
    if (!result.success) for (const issue of result.error.issues) issues.push(located(String(issue.path[0]), issue.message));
    const id = row[checks.idColumn];
    // An id already reported (blank, or a number that lost digits) says nothing about duplicates.
    if (isBlank(id) || idCheck(id) !== undefined) continue;
    const key = String(id).trim();
    const before = seen.get(key);
    if (before === undefined) seen.set(key, index);
    else issues.push(located(checks.idColumn, `duplicate customer id ${JSON.stringify(key)} (first at ${pointer(where(before).path)})`));
  }
  return issues.slice(0, MAX_ISSUES);
}
