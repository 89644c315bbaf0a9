/**
 * Fitting an indicator system on customer data (quantile cut points, median
 * scores for missing values) and scoring customers with the fitted system.
 */
import type { IndicatorConfig, IndicatorSource, ProjectConfig } from './config.js';
import { ConfigError, DataError } from '../errors.js';
import { categoricalScore, cutsRule, numericScore, fitQuantiles, medianScore, type FittedRule } from './rules.js';
import { describeSource, isBlank, isoDay, lineOf, numericValue, sourceColumns, textValue, type Cell, type CustomerRow } from './source.js';

/** An indicator with its rule made concrete; stored in the model. */
export interface FittedIndicator {
  readonly id: string;
  readonly name: string;
  readonly dimension: string;
  readonly source: IndicatorSource;
  /** The configured rule type this was fitted from. */
  readonly from: IndicatorConfig['rule']['type'];
  readonly rule: FittedRule;
}

/** Everything needed to score new customers exactly as the training data. */
export interface FittedIndicatorSystem {
  readonly version: 1;
  readonly idColumn: string;
  readonly indicators: readonly FittedIndicator[];
}

/** How rows are numbered in error messages. */
export interface RowNumbering {
  /**
   * Number of the first row (e.g. 2 for a CSV file whose line 1 is the header).
   * @default 1
   */
  firstLine?: number;
  /** Explicit number per row (e.g. CSV line numbers with multi-line fields); overrides `firstLine`. */
  lines?: readonly number[];
}

/** Scores of every customer: row-major `ids.length × indicators.length`, each 1–5. */
export interface ScoreMatrix {
  readonly ids: readonly string[];
  readonly indicators: readonly string[];
  readonly values: Float64Array;
}

function checkColumns(indicators: readonly { id: string; source: IndicatorSource }[], rows: readonly CustomerRow[]): void {
  const first = rows[0];
  if (!first) throw new DataError('the data has no customer rows');
  const have = Object.keys(first);
  for (const ind of indicators) {
    for (const column of sourceColumns(ind.source)) {
      if (!(column in first)) {
        const shown = have.length > 40 ? `${have.slice(0, 40).join(', ')}, …` : have.join(', ');
        throw new DataError(
          `column "${column}" needed by indicator "${ind.id}" (source ${describeSource(ind.source)}) is not in the data; columns are: ${shown}`,
          { column, indicator: ind.id },
        );
      }
    }
  }
}

/**
 * The score of one indicator for one row, or `null` for an empty value when
 * `allowMissing` (used while fitting, before the missing score is known).
 */
function scoreCell(ind: FittedIndicator, row: CustomerRow, cell: Cell, allowMissing: boolean): number | null {
  const { rule, source } = ind;
  const column = sourceColumns(source)[0]!;
  const where = `row ${cell.line}, column "${column}" (indicator "${ind.id}")`;
  const detail = { row: cell.line, column, indicator: ind.id };
  let s: number | null;
  if (rule.type === 'categorical') {
    const v = textValue(source, row);
    if (v === null) s = null;
    else {
      s = categoricalScore(rule, v);
      if (s === null) {
        throw new DataError(`${where}: unknown value ${JSON.stringify(v)}, expected one of ${Object.keys(rule.map).map((k) => JSON.stringify(k)).join(', ')}`, detail);
      }
    }
  } else {
    const v = numericValue(source, row, cell);
    s = v === null ? null : numericScore(rule, v);
    if (v !== null && s === null) throw new DataError(`${where}: expected an integer score 1–5 (likert rule), got ${JSON.stringify(row[column])}`, detail);
  }
  if (s !== null) return s;
  if (rule.missingScore !== null) return rule.missingScore;
  if (allowMissing) return null;
  throw new DataError(`${where}: empty value; expected a value, or set the rule's "missing" to "median" or a score 1–5`, detail);
}

function fitIndicator(ind: IndicatorConfig, rows: readonly CustomerRow[], numbering: RowNumbering, warnings: string[]): FittedIndicator {
  const r = ind.rule;
  const fixed = typeof r.missing === 'number' ? r.missing : null;
  const base = { id: ind.id, name: ind.name, dimension: ind.dimension, source: ind.source, from: r.type };
  const src = ind.source;
  // The config schema only checks the shape of asOf, not that the date exists.
  if (typeof src !== 'string' && 'days_since' in src && isoDay(src.asOf) === null) {
    throw new ConfigError(`indicator "${ind.id}": asOf ${src.asOf} is not a valid date`, { indicator: ind.id });
  }
  if (r.type === 'categorical' && typeof src !== 'string' && !('column' in src)) {
    throw new ConfigError(`indicator "${ind.id}": a categorical rule reads a single column, not ${describeSource(src)}`, { indicator: ind.id });
  }
  let rule: FittedRule;
  if (r.type === 'likert') rule = { type: 'likert', missingScore: fixed };
  else if (r.type === 'cuts') rule = cutsRule(r.cuts, r.direction, fixed);
  else if (r.type === 'categorical') rule = { type: 'categorical', map: { ...r.map }, default: r.default ?? null, missingScore: fixed };
  else {
    const values: number[] = [];
    rows.forEach((row, i) => {
      const v = numericValue(src, row, { line: lineOf(numbering, i), indicator: ind.id });
      if (v !== null) values.push(v);
    });
    if (values.length === 0) {
      throw new DataError(`indicator "${ind.id}" (source ${describeSource(src)}): every value is empty, nothing to fit quantiles on`, { indicator: ind.id, column: sourceColumns(src)[0]! });
    }
    const fit = fitQuantiles(values, r.count, r.direction, fixed);
    if (fit.distinct < r.count - 1) {
      warnings.push(
        `indicator "${ind.id}" (source ${describeSource(src)}): ties leave ${fit.distinct} distinct cut point(s) instead of ${r.count - 1}; scores used: ${[...new Set(fit.rule.scores)].join(', ')}`,
      );
    }
    rule = fit.rule;
  }
  const fitted: FittedIndicator = { ...base, rule };
  // Score every row now: this validates the data and yields the median score.
  const scores: number[] = [];
  let empty = 0;
  rows.forEach((row, i) => {
    const s = scoreCell(fitted, row, { line: lineOf(numbering, i), indicator: ind.id }, r.missing === 'median');
    if (s === null) empty++;
    else scores.push(s);
  });
  if (r.missing !== 'median') {
    const nMissing = fixed === null ? 0 : rows.filter((row) => sourceColumns(src).some((c) => isBlank(row[c]))).length;
    if (nMissing > 0) warnings.push(`indicator "${ind.id}" (source ${describeSource(src)}): ${nMissing} empty value(s) scored ${fixed}`);
    return fitted;
  }
  if (scores.length === 0) {
    throw new DataError(`indicator "${ind.id}" (source ${describeSource(src)}): every value is empty, so there is no median score`, { indicator: ind.id });
  }
  const m = medianScore(scores);
  if (empty > 0) warnings.push(`indicator "${ind.id}" (source ${describeSource(src)}): ${empty} empty value(s) scored ${m} (median score)`);
  return { ...fitted, rule: { ...rule, missingScore: m } };
}

/**
 * Makes every rule of the config concrete on `rows`: quantile cut points,
 * median scores for empty values. Problems that do not stop scoring (ties
 * merging quantiles, imputed values) are returned as warnings.
 *
 * @throws DataError for a missing column or a value the rule cannot score;
 *   ConfigError for a rule that cannot apply to its source.
 */
export function fitIndicatorSystem(
  config: ProjectConfig,
  rows: readonly CustomerRow[],
  numbering: RowNumbering = {},
): { system: FittedIndicatorSystem; warnings: string[] } {
  checkColumns(config.indicators, rows);
  const warnings: string[] = [];
  const indicators = config.indicators.map((ind) => fitIndicator(ind, rows, numbering, warnings));
  return { system: { version: 1, idColumn: config.idColumn, indicators }, warnings };
}

/**
 * Scores customers with a fitted system.
 *
 * @throws DataError for a missing column, an empty or duplicate customer id,
 *   or a value the fitted rules cannot score (naming row, column, indicator).
 */
export function scoreCustomers(system: FittedIndicatorSystem, rows: readonly CustomerRow[], numbering: RowNumbering = {}): ScoreMatrix {
  checkColumns(system.indicators, rows);
  const idc = system.idColumn;
  if (!(idc in rows[0]!)) throw new DataError(`id column "${idc}" (config "idColumn") is not in the data`, { column: idc });
  const n = system.indicators.length;
  const values = new Float64Array(rows.length * n);
  const ids: string[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, r) => {
    const line = lineOf(numbering, r);
    const raw = row[idc];
    if (isBlank(raw)) throw new DataError(`row ${line}, column "${idc}": empty customer id`, { row: line, column: idc });
    const id = String(raw).trim();
    const prev = seen.get(id);
    if (prev !== undefined) {
      throw new DataError(`row ${line}, column "${idc}": duplicate customer id ${JSON.stringify(id)} (first on row ${prev})`, { row: line, column: idc });
    }
    seen.set(id, line);
    ids.push(id);
    system.indicators.forEach((ind, c) => {
      values[r * n + c] = scoreCell(ind, row, { line, indicator: ind.id }, false)!;
    });
  });
  return { ids, indicators: system.indicators.map((i) => i.id), values };
}
