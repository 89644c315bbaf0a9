/**
 * Model-specific validation of customer rows, before the engine sees them:
 * every indicator needs its raw source column(s) or a 1–5 score field named
 * after it (chosen per batch from the first row, as core's scorer does), and
 * each value must fit the indicator's fitted rule. Every bad value is
 * reported with its JSON Pointer, not just the first.
 */
// Core's own blank test and date reader, so a value passes here exactly when its scorer reads it.
import { cellNumber, indicatorReadings, isBlank, isoDay, sourceColumns, type CustomerRow, type FittedIndicator, type Model } from '@cvnet/core';
import { IssueList, pointer } from './problem.js';

type Check = (value: unknown) => string | undefined;

/** A value as a message quotes it. */
const shown = (v: unknown): string => JSON.stringify(v) ?? String(v);

function required(check: Check, missingOk: boolean, what: string): Check {
  return (v) => (isBlank(v) ? (missingOk ? undefined : `missing value; expected ${what}`) : check(v));
}

const scoreCheck: Check = (v) => {
  const x = cellNumber(v);
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

const numberCheck: Check = (v) => (Number.isFinite(cellNumber(v)) ? undefined : `expected a number, got ${shown(v)}`);

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

/** An issue of one row: the field it is in (none for the row as a whole) and what is wrong. */
export interface RowIssue {
  field?: string;
  detail: string;
}

interface RowChecks {
  /** Column the customer id is read from: the model's id column, or "id" when the rows lack it (as core's scorer does). */
  idColumn: string;
  /** Checks of the fields the first row has, by field. */
  fields: [string, Check][];
  /** What the first row lacks: the id field, or both ways of reading an indicator. */
  missing: RowIssue[];
}

/** The checks for a batch whose first row has `columns`. */
function rowChecks(model: Model, columns: ReadonlySet<string>): RowChecks {
  const system = model.method!.system;
  const idColumn = !columns.has(system.idColumn) && columns.has('id') ? 'id' : system.idColumn;
  const checks = new Map<string, Check>();
  const missing: RowIssue[] = [];
  if (columns.has(idColumn)) checks.set(idColumn, required(idCheck, false, 'a customer id'));
  else missing.push({ field: idColumn, detail: `missing the customer id field "${idColumn}"` });
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
      // The raw fields it does have are checked too, so one answer lists everything to fix.
      for (const [column, check] of rawChecks(ind)) if (columns.has(column) && !checks.has(column)) checks.set(column, check);
    }
  }
  return { idColumn, fields: [...checks], missing };
}

const isRow = (v: unknown): v is CustomerRow => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A row's issues in body order: the row itself, then its fields in the order
 * the row has them, then fields it lacks (in the model's order).
 */
function inBodyOrder(issues: RowIssue[], row: unknown): RowIssue[] {
  if (issues.length < 2 || !isRow(row)) return issues;
  const keys = Object.keys(row);
  const rank = (issue: RowIssue): number => {
    if (issue.field === undefined) return -1;
    const at = keys.indexOf(issue.field);
    return at === -1 ? keys.length : at;
  };
  return issues.map((issue) => ({ issue, rank: rank(issue) })).sort((a, b) => a.rank - b.rank).map((r) => r.issue);
}

/**
 * Every invalid value of `items` in body order, row by row, with pointers
 * built by `where(index)` (the array index for a JSON array, nothing for a
 * single object) plus the field. `shape` holds issues found before, by row
 * (the request schema's); a field reported there is not reported again.
 * Items that are not objects have only their shape issues; the first object
 * decides how indicators are read, as core's scorer does.
 */
export function customerIssues(
  model: Model,
  items: readonly unknown[],
  where: (index: number) => { path: (string | number)[]; line?: number },
  shape: ReadonlyMap<number, readonly RowIssue[]> = new Map(),
): IssueList {
  const list = new IssueList();
  const first = items.findIndex(isRow);
  const checks = first === -1 ? undefined : rowChecks(model, new Set(Object.keys(items[first] as CustomerRow)));
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    // Most rows have no issue at all: nothing is allocated for them.
    const earlier = shape.get(index);
    const issues: RowIssue[] = earlier === undefined ? [] : [...earlier];
    if (checks !== undefined && isRow(item)) {
      if (index === first) issues.push(...checks.missing);
      // A field with a shape issue is not reported twice.
      const reported = issues.length === 0 ? undefined : new Set(issues.map((i) => i.field));
      for (const [field, check] of checks.fields) {
        const detail = reported?.has(field) ? undefined : check(item[field]);
        if (detail !== undefined) issues.push({ field, detail });
      }
      // An id already reported (blank, or a number that lost digits) says nothing about duplicates.
      const id = item[checks.idColumn];
      if (!isBlank(id) && (issues.length === 0 || !issues.some((i) => i.field === checks.idColumn))) {
        const key = String(id).trim();
        const before = seen.get(key);
        if (before === undefined) seen.set(key, index);
        else issues.push({ field: checks.idColumn, detail: `duplicate customer id ${JSON.stringify(key)} (first at ${pointer(where(before).path)})` });
      }
    }
    if (issues.length === 0) continue;
    if (list.full) {
      list.count += issues.length; // no need to place and locate issues that are not listed
      continue;
    }
    const at = where(index);
    for (const issue of inBodyOrder(issues, item)) {
      list.add({
        pointer: pointer(issue.field === undefined ? at.path : [...at.path, issue.field]),
        detail: issue.detail,
        ...(at.line === undefined ? {} : { line: at.line }),
      });
    }
  }
  return list;
}
