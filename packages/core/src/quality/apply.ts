/**
 * Applying a data-quality policy to raw customer rows, in a fixed order:
 * 1. duplicated ids (fail or merge), 2. missing values (rows to drop first,
 * then imputation from the remaining present values), 3. outliers (bounds
 * from the values present in the input, so imputed values do not narrow
 * them). Every decision is counted in the returned QualityReport.
 */
import { DataError } from '../errors.js';
import type { RowNumbering } from '../indicators/fit.js';
import { cellNumber } from '../number-text.js';
import { isBlank, lineOf, type CustomerRow } from '../indicators/source.js';
import { validateQualityConfig, type QualityMissingPolicy, type OutlierRule, type QualityConfig, type QualityConfigInput } from './config.js';

type Cell = CustomerRow[string];

export interface DuplicateDecision {
  policy: 'fail' | 'merge';
  /** Ids that occurred more than once. */
  groups: number;
  /** Rows merged into an earlier row with the same id (and so removed). */
  rowsMerged: number;
  /** Empty fields of a kept row filled from a later duplicate. */
  fieldsFilled: number;
  /** Fields where a later duplicate disagreed with the kept row (the kept row's value stays). */
  conflicts: number;
}

export interface MissingDecision {
  column: string;
  policy: QualityMissingPolicy;
  /** Empty values in the input. */
  missing: number;
  /** Rows dropped because this column was empty (a row empty in several drop columns counts in the first). */
  dropped: number;
  imputed: number;
  /** The imputed value (mean / median / mode). */
  value?: string | number;
}

export interface OutlierFlag {
  /** Line (as numbered by the caller) and id of the customer. */
  row: number;
  id: string;
  value: number;
}

export interface OutlierDecision {
  column: string;
  method: 'zscore' | 'iqr';
  threshold: number;
  action: 'flag' | 'winsorise' | 'fail';
  lower: number;
  upper: number;
  /** Values outside [lower, upper]. */
  outliers: number;
  winsorised: number;
  /** The outliers (all of them; renderers show ids only when asked). */
  flagged: OutlierFlag[];
}

export interface QualityReport {
  input: number;
  output: number;
  duplicates: DuplicateDecision;
  missing: MissingDecision[];
  outliers: OutlierDecision[];
  /** One line per decision, for logs and the terminal. */
  decisions: string[];
}

export interface QualityResult {
  /** Cleaned rows (changed rows are copies; the input is not modified). */
  rows: CustomerRow[];
  /** Line number of every kept row, for later error messages. */
  lines: number[];
  report: QualityReport;
}

function numberAt(v: Cell, line: number, column: string): number {
  const x = cellNumber(v);
  if (!Number.isFinite(x)) throw new DataError(`row ${line}, column "${column}": expected a number, got ${JSON.stringify(v)}`, { row: line, column });
  return x;
}

/** Quantile with linear interpolation between order statistics (R type 7, NumPy's default). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function checkColumn(rows: readonly CustomerRow[], column: string, what: string): void {
  if (rows.length > 0 && !(column in rows[0]!)) {
    throw new DataError(`${what} names column "${column}", which is not in the data (columns: ${Object.keys(rows[0]!).join(', ')})`, { column });
  }
}

/**
 * Cleans `rows` by `policy`.
 *
 * @throws DataError for a `fail` decision (naming row, column and value), a
 *   missing or empty id, a column the policy names that the data lacks, or a
 *   non-numeric value where a number is needed (mean, median, outliers).
 */
export function applyQuality(rows: readonly CustomerRow[], policy: QualityConfig | QualityConfigInput, numbering: RowNumbering = {}): QualityResult {
  const config = validateQualityConfig(policy);
  const decisions: string[] = [];
  const idc = config.idColumn;
  checkColumn(rows, idc, 'idColumn');
  for (const column of Object.keys(config.missing)) checkColumn(rows, column, 'the missing-value policy');
  for (const column of Object.keys(config.outliers)) checkColumn(rows, column, 'the outlier policy');
  let kept: { row: Record<string, Cell>; line: number; id: string }[] = [];

  // 1. Duplicated ids.
  const dup: DuplicateDecision = { policy: config.duplicates, groups: 0, rowsMerged: 0, fieldsFilled: 0, conflicts: 0 };
  const byId = new Map<string, (typeof kept)[number]>();
  const groups = new Set<string>();
  rows.forEach((row, r) => {
    const line = lineOf(numbering, r);
    if (isBlank(row[idc])) throw new DataError(`row ${line}, column "${idc}": empty customer id`, { row: line, column: idc });
    const id = String(row[idc]).trim();
    const first = byId.get(id);
    if (!first) {
      const entry = { row: { ...row }, line, id };
      byId.set(id, entry);
      kept.push(entry);
      return;
    }
    if (config.duplicates === 'fail') {
      throw new DataError(`row ${line}, column "${idc}": duplicate customer id ${JSON.stringify(id)} (first on row ${first.line}); set "duplicates": "merge" to merge them`, { row: line, column: idc });
    }
    groups.add(id);
    dup.rowsMerged++;
    for (const [k, v] of Object.entries(row)) {
      if (isBlank(v)) continue;
      if (isBlank(first.row[k])) {
        first.row[k] = v;
        dup.fieldsFilled++;
      } else if (String(first.row[k]).trim() !== String(v).trim()) dup.conflicts++;
    }
  });
  dup.groups = groups.size;
  if (dup.rowsMerged > 0) {
    decisions.push(`duplicates: ${dup.rowsMerged} row(s) with ${dup.groups} repeated id(s) merged into the first row (${dup.fieldsFilled} empty field(s) filled, ${dup.conflicts} conflicting value(s) kept from the first row)`);
  }

  // 2. Missing values: drop first, then impute from what is left.
  const missing: MissingDecision[] = [];
  const present = new Map<string, boolean[]>();
  for (const [column, p] of Object.entries(config.missing)) {
    const empty = kept.filter((k) => isBlank(k.row[column]));
    missing.push({ column, policy: p, missing: empty.length, dropped: 0, imputed: 0 });
    if (p === 'fail' && empty.length > 0) {
      const e = empty[0]!;
      throw new DataError(`row ${e.line}, column "${column}": empty value (${empty.length} empty in all); the policy for "${column}" is "fail"`, { row: e.line, column });
    }
  }
  const droppedBy = new Map<string, number>();
  kept = kept.filter((k) => {
    const column = Object.entries(config.missing).find(([c, p]) => p === 'drop' && isBlank(k.row[c]))?.[0];
    if (column !== undefined) droppedBy.set(column, (droppedBy.get(column) ?? 0) + 1);
    return column === undefined;
  });
  for (const m of missing) {
    m.dropped = droppedBy.get(m.column) ?? 0;
    if (m.policy === 'drop' && m.missing > 0) decisions.push(`missing ${m.column}: ${m.missing} empty, ${m.dropped} row(s) dropped`);
    if (m.policy !== 'mean' && m.policy !== 'median' && m.policy !== 'mode') continue;
    const values = kept.filter((k) => !isBlank(k.row[m.column]));
    if (m.missing > 0 && values.length === 0) throw new DataError(`column "${m.column}": every value is empty, nothing to impute ${m.policy} from`, { column: m.column });
    if (m.missing === 0) continue;
    let value: string | number;
    if (m.policy === 'mode') {
      const counts = new Map<string, number>();
      for (const k of values) counts.set(String(k.row[m.column]).trim(), (counts.get(String(k.row[m.column]).trim()) ?? 0) + 1);
      // Most frequent; ties go to the value seen first, so the result does not depend on sorting rules.
      value = [...counts.entries()].reduce((best, e) => (e[1] > best[1] ? e : best))[0];
    } else {
      const xs = values.map((k) => numberAt(k.row[m.column], k.line, m.column));
      value = m.policy === 'mean' ? xs.reduce((s, x) => s + x, 0) / xs.length : quantile([...xs].sort((a, b) => a - b), 0.5);
    }
    const flags = kept.map((k) => !isBlank(k.row[m.column]));
    present.set(m.column, flags);
    for (const k of kept) {
      if (isBlank(k.row[m.column])) {
        k.row[m.column] = typeof value === 'number' ? String(value) : value;
        m.imputed++;
      }
    }
    m.value = value;
    decisions.push(`missing ${m.column}: ${m.imputed} empty value(s) imputed with the ${m.policy} ${typeof value === 'number' ? Number(value.toPrecision(10)) : JSON.stringify(value)}`);
  }

  // 3. Outliers, with bounds from the values present before imputation.
  const outliers: OutlierDecision[] = [];
  for (const [column, rule] of Object.entries(config.outliers) as [string, OutlierRule][]) {
    const observed = present.get(column);
    const xs: number[] = [];
    kept.forEach((k, i) => {
      if (!isBlank(k.row[column]) && (observed === undefined || observed[i])) xs.push(numberAt(k.row[column], k.line, column));
    });
    const threshold = rule.threshold ?? (rule.method === 'zscore' ? 3 : 1.5);
    let lower = -Infinity;
    let upper = Infinity;
    if (xs.length >= 2) {
      if (rule.method === 'zscore') {
        const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
        [lower, upper] = [mean - threshold * sd, mean + threshold * sd];
      } else {
        const sorted = [...xs].sort((a, b) => a - b);
        const q1 = quantile(sorted, 0.25);
        const q3 = quantile(sorted, 0.75);
        [lower, upper] = [q1 - threshold * (q3 - q1), q3 + threshold * (q3 - q1)];
      }
    }
    const d: OutlierDecision = { column, method: rule.method, threshold, action: rule.action as OutlierDecision['action'], lower, upper, outliers: 0, winsorised: 0, flagged: [] };
    for (const k of kept) {
      if (isBlank(k.row[column])) continue;
      const x = numberAt(k.row[column], k.line, column);
      if (x >= lower && x <= upper) continue;
      d.outliers++;
      d.flagged.push({ row: k.line, id: k.id, value: x });
      if (d.action === 'fail') {
        throw new DataError(`row ${k.line}, column "${column}": ${x} is an outlier (${rule.method} bounds ${Number(lower.toPrecision(8))} to ${Number(upper.toPrecision(8))}); the policy for "${column}" is "fail"`, { row: k.line, column });
      }
      if (d.action === 'winsorise') {
        k.row[column] = String(x < lower ? lower : upper);
        d.winsorised++;
      }
    }
    if (d.outliers > 0) {
      decisions.push(`outliers ${column}: ${d.outliers} value(s) outside [${Number(lower.toPrecision(8))}, ${Number(upper.toPrecision(8))}] (${rule.method} ${threshold}) ${d.action === 'flag' ? 'flagged' : 'winsorised'}`);
    }
    outliers.push(d);
  }

  return {
    rows: kept.map((k) => k.row),
    lines: kept.map((k) => k.line),
    report: { input: rows.length, output: kept.length, duplicates: dup, missing, outliers, decisions },
  };
}
