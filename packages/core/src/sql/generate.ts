/**
 * A trained customer-value model as one SQL SELECT: indicator scores from raw
 * columns (the fitted cut points and maps as CASE expressions), current value
 * C and its band, min–max normalisation, the network layer by layer, K,
 * class and strategy. It reproduces scoreWithModel: same rules, same
 * summation order, same float64 constants, so K agrees to rounding.
 */
import { ModelError } from '../errors.js';
import type { FittedIndicator } from '../indicators/fit.js';
import type { FittedRule } from '../indicators/rules.js';
import { describeSource } from '../indicators/source.js';
import { currentValueWeights } from '../method/current.js';
import { methodOf } from '../method/score-model.js';
import type { Model } from '../model/schema.js';
import type { Transfer } from '../network/types.js';
import { dialectOf, type Dialect, type SqlDialect } from './dialect.js';
import { checkSqlLimits } from './limits.js';

export interface ModelSqlOptions {
  dialect: SqlDialect;
  /**
   * Table or view with one row per customer; a dotted name (schema.table,
   * project.dataset.table) is quoted part by part.
   * @default 'customers'
   */
  table?: string;
  /** Column holding the customer id; also the id's name in the result. @default the model's idColumn */
  idColumn?: string;
  /**
   * `raw`: the indicators' source columns (as in the training data);
   * `scores`: one column per indicator, named after its id, holding the 1–5
   * score (e.g. a `cvnet classify` result).
   * @default 'raw'
   */
  input?: 'raw' | 'scores';
  /**
   * `typed`: numeric source columns are numbers, dates are DATE/TIMESTAMP or
   * ISO text, an empty value is NULL (a warehouse table). `text`: every
   * source column is text as in a CSV file; blank text is an empty value.
   * @default 'typed'
   */
  columns?: 'typed' | 'text';
  /**
   * What a value the model cannot score does (unknown category, empty value
   * without a missing score, non-integer Likert answer, date after asOf,
   * NaN or ±Infinity, and with `columns: 'text'` text that is not a number
   * or a date): `error` stops the query with a message, `null` scores that
   * customer NULL (and so K, class and strategy), never as an empty value.
   * @default 'error'
   */
  invalid?: 'error' | 'null';
  /**
   * Refuse a query past the engine's size limit (SQL_LIMITS); switch off
   * for an engine configured beyond its defaults (e.g. DuckDB's
   * max_expression_depth).
   * @default true
   */
  checkLimits?: boolean;
}

/** Largest finite double: |v| <= this is false for NaN and ±Infinity in every engine. */
const MAX_DOUBLE = Number.MAX_VALUE;
/** C within this of 5 is band 5 (TOP_TOLERANCE in method/current.ts). */
const TOP_TOLERANCE = 1e-9;
/** |n| beyond which tansig is exactly ±1 in float64 and exp cannot overflow or underflow. */
const TANSIG_SATURATION = 350;
/** |n| beyond which logsig is 0 or 1 to far below 1e-300, before exp overflows. */
const LOGSIG_SATURATION = 700;

/** Names used inside the query; outputs and indicator ids must not collide with them. */
const OUTPUT_NAMES = ['C', 'band', 'K', 'class', 'strategy'];
const prefix = 'cvnet_';
/**
 * With invalid: 'null', stages 1 and 2 carry this flag: some source value
 * of the customer is one the core refuses. Its column is then NULL like an
 * empty one, so the flag is what keeps it from being scored as empty (with
 * the rule's missing score); stage 3 scores a flagged customer NULL.
 */
const INVALID = `${prefix}invalid`;

interface SourceColumn {
  kind: 'number' | 'text' | 'days';
  column: string;
  asOf?: string;
  alias: string;
}

/** A value of a source column the core refuses: when (a boolean expression; NULL counts as false) and the message. */
interface Refusal {
  when: string;
  what: string;
  /** The refused value, shown after `what`. */
  shown?: string;
}

/** Comment text on one line, never closing or opening anything. */
const comment = (text: string): string => text.replace(/[\r\n]+/g, ' ');

/** One select item per line, comma-separated, each with an optional trailing comment. */
const list = (lines: readonly string[], indent = '    ', notes: readonly (string | undefined)[] = []): string =>
  lines
    .map((l, i) => {
      const note = notes[i];
      return `${indent}${l}${i < lines.length - 1 ? ',' : ''}${note === undefined ? '' : ` -- ${comment(note)}`}`;
    })
    .join('\n');

class Writer {
  readonly d: Dialect;
  private readonly raw: boolean;
  private readonly text: boolean;
  private readonly nullOnInvalid: boolean;
  readonly sources: SourceColumn[] = [];
  private readonly used = new Set<string>();

  constructor(dialect: SqlDialect, readonly idColumn: string, options: ModelSqlOptions) {
    this.d = dialectOf(dialect);
    this.raw = (options.input ?? 'raw') === 'raw';
    this.text = (options.columns ?? 'typed') === 'text';
    this.nullOnInvalid = options.invalid === 'null';
    this.used.add(idColumn.toLowerCase());
  }

  id(name: string): string {
    return this.d.ident(name);
  }

  /** A comparison constant: integers stay integers (exact in every engine), other values float64. */
  constant(x: number): string {
    return Number.isSafeInteger(x) ? String(x) : this.d.float(x);
  }

  /**
   * An expression that stops the query (or is NULL with invalid: 'null').
   * `parts` alternate literal text and SQL expressions (made text, NULL as
   * empty); every message includes the customer id, which also keeps
   * PostgreSQL from folding the failing cast into a constant at plan time.
   */
  fail(what: string, type: string, value?: string): string {
    // Typed so that every CASE branch agrees (PostgreSQL's failing cast is an integer).
    if (this.nullOnInvalid) return `CAST(NULL AS ${type})`;
    const t = this.d.textType;
    const id = `COALESCE(CAST(${this.id(this.idColumn)} AS ${t}), '')`;
    const parts = [this.d.string(`cvnet: ${what}`)];
    if (value !== undefined) parts.push(`COALESCE(CAST(${value} AS ${t}), '')`);
    parts.push(this.d.string(`; customer ${this.idColumn} = `), id);
    return `CAST(${this.d.raise(parts.join(' || '))} AS ${type})`;
  }

  /** The stage-1 alias of a source column read as `kind`, added on first use. */
  source(kind: SourceColumn['kind'], column: string, asOf?: string): string {
    const found = this.sources.find((s) => s.kind === kind && s.column === column && s.asOf === asOf);
    if (found) return found.alias;
    let alias = kind === 'number' ? column : `${column}_${kind}`;
    for (let k = 2; this.used.has(alias.toLowerCase()); k++) alias = `${column}_${kind}${k}`;
    this.used.add(alias.toLowerCase());
    this.sources.push({ kind, column, alias, ...(asOf === undefined ? {} : { asOf }) });
    return alias;
  }

  /** Stage-1 expression of a source column: its value, NULL when empty, and a failure (or NULL) for a value the core refuses. */
  sourceExpression(s: SourceColumn): string {
    const { value, type, refusals } = this.sourceValue(s);
    if (refusals.length === 0) return value;
    return `CASE ${refusals.map((r) => `WHEN ${r.when} THEN ${this.fail(r.what, type, r.shown)}`).join(' ')} ELSE ${value} END`;
  }

  /** Whether stages 1 and 2 carry the INVALID flag: with invalid: 'null', once a number or date source is read (known after stage 2 is written). */
  get flagged(): boolean {
    return this.nullOnInvalid && this.sources.some((s) => s.kind !== 'text');
  }

  /** The stage-1 column of the INVALID flag, when there is one. */
  invalidFlag(): string | undefined {
    if (!this.flagged) return undefined;
    const refusals = this.sources.flatMap((s) => this.sourceValue(s).refusals);
    return `${refusals.map((r) => `COALESCE(${r.when}, FALSE)`).join(' OR ')} AS ${INVALID}`;
  }

  /**
   * A source column's value and what the core refuses in it. Text columns
   * are read with the engine's non-failing cast, so a value that is not a
   * number or a date is refused with cvnet's message (or scored NULL), not
   * stopped by the engine's conversion error whatever --invalid says.
   */
  private sourceValue(s: SourceColumn): { value: string; type: string; refusals: Refusal[] } {
    const d = this.d;
    const col = this.id(s.column);
    const blank = `NULLIF(TRIM(${col}), '')`;
    if (s.kind === 'text') return { value: `NULLIF(TRIM(CAST(${col} AS ${d.textType})), '')`, type: d.textType, refusals: [] };
    if (s.kind === 'number') {
      const x = this.text ? d.tryCast(blank, 'double') : `CAST(${col} AS ${d.doubleType})`;
      // NaN and ±Infinity fail ABS(x) <= max; so does text that is not a number (x NULL, blank not). An empty value is NULL and passes.
      const when = this.text ? `${blank} IS NOT NULL AND NOT COALESCE(ABS(${x}) <= ${d.float(MAX_DOUBLE)}, FALSE)` : `NOT ABS(${x}) <= ${d.float(MAX_DOUBLE)}`;
      return { value: x, type: d.doubleType, refusals: [{ when, what: `column "${s.column}": expected a finite number, got `, shown: this.text ? blank : x }] };
    }
    const asOf = s.asOf!;
    const date = this.text ? d.tryCast(`SUBSTR(${blank}, 1, 10)`, 'date') : `CAST(${col} AS DATE)`;
    const refusals: Refusal[] = [{ when: `${date} > DATE '${asOf}'`, what: `column "${s.column}": date after asOf ${asOf}: `, shown: date }];
    if (this.text) refusals.unshift({ when: `${blank} IS NOT NULL AND ${date} IS NULL`, what: `column "${s.column}": expected a date YYYY-MM-DD, got `, shown: blank });
    return { value: d.daysUntil(date, asOf), type: d.intType, refusals };
  }

  /** Stage-2 raw value of an indicator (NULL = empty), reading stage-1 aliases. */
  value(ind: FittedIndicator): string {
    const src = ind.source;
    if (!this.raw) return this.id(this.source('number', ind.id));
    if (ind.rule.type === 'categorical') {
      const column = typeof src === 'string' ? src : 'column' in src ? src.column : null;
      if (column === null) throw new ModelError(`indicator "${ind.id}": a categorical rule reads one column, not ${describeSource(src)}`);
      return this.id(this.source('text', column));
    }
    if (typeof src === 'string') return this.id(this.source('number', src));
    if ('column' in src) return this.id(this.source('number', src.column));
    if ('sum' in src) return src.sum.map((c) => this.id(this.source('number', c))).join(' + ');
    if ('count_positive' in src) {
      // NULL when the column is NULL: neither WHEN matches, and NULL spreads through the sum.
      return src.count_positive.map((c) => `(CASE WHEN ${this.id(this.source('number', c))} > 0 THEN 1 WHEN ${this.id(this.source('number', c))} <= 0 THEN 0 END)`).join(' + ');
    }
    return this.id(this.source('days', src.days_since, src.asOf));
  }

  /** Stage-3 score of an indicator from its stage-2 value `v`. */
  score(ind: FittedIndicator, rule: FittedRule): string {
    const d = this.d;
    const v = this.id(ind.id);
    const where = `indicator "${ind.id}" (${this.raw ? describeSource(ind.source) : `score column "${ind.id}"`})`;
    const missing = rule.missingScore === null ? this.fail(`${where}: empty value`, d.intType) : String(rule.missingScore);
    const branches = [`WHEN ${v} IS NULL THEN ${missing}`];
    if (this.flagged) branches.unshift(`WHEN ${INVALID} THEN CAST(NULL AS ${d.intType})`);
    let otherwise: string;
    if (rule.type === 'likert') {
      // Not `IN (1, 2, 3, 4, 5)`: DuckDB's optimiser takes seconds per hundred such lists.
      branches.push(`WHEN ${v} >= 1 AND ${v} <= 5 AND ${v} = FLOOR(${v}) THEN CAST(${v} AS ${d.intType})`);
      otherwise = this.fail(`${where}: expected an integer score 1-5, got `, d.intType, v);
    } else if (rule.type === 'cuts') {
      // Group g = number of cut points strictly below v: v <= cuts[g] first matches group g.
      rule.cuts.forEach((c, g) => branches.push(`WHEN ${v} <= ${this.constant(c)} THEN ${rule.scores[g]!}`));
      otherwise = String(rule.scores[rule.cuts.length]!);
    } else {
      for (const [key, s] of Object.entries(rule.map)) branches.push(`WHEN ${v} = ${d.string(key)} THEN ${s}`);
      otherwise = rule.default === null ? this.fail(`${where}: unknown value `, d.intType, v) : String(rule.default);
    }
    return `CASE ${branches.join(' ')} ELSE ${otherwise} END`;
  }

  /** `b + w1 * x1 - w2 * x2 …` in the engine's order: bias first, then inputs in order. */
  sum(bias: number, weights: readonly number[], inputs: readonly string[]): string {
    let out = this.d.float(bias);
    weights.forEach((w, j) => {
      // a - |w|·x equals a + w·x exactly in IEEE arithmetic; the sign just reads better.
      const sign = w < 0 || Object.is(w, -0) ? '-' : '+';
      out += ` ${sign} ${this.d.float(Math.abs(w))} * ${inputs[j]!}`;
    });
    return out;
  }

  transfer(transfer: Transfer, n: string): string {
    const f = (x: number): string => this.d.float(x);
    if (transfer === 'purelin') return n;
    if (transfer === 'tansig') {
      // MATLAB's formula, as the Wasm core computes it; guarded because
      // PostgreSQL's exp() raises on overflow and underflow instead of
      // returning Infinity or 0. Past ±350 the formula is exactly ±1 anyway.
      return `CASE WHEN ${n} < ${f(-TANSIG_SATURATION)} THEN ${f(-1)} WHEN ${n} > ${f(TANSIG_SATURATION)} THEN ${f(1)} ELSE 2 / (1 + EXP(-2 * ${n})) - 1 END`;
    }
    return `CASE WHEN ${n} < ${f(-LOGSIG_SATURATION)} THEN ${f(0)} WHEN ${n} > ${f(LOGSIG_SATURATION)} THEN ${f(1)} ELSE 1 / (1 + EXP(-${n})) END`;
  }
}

function qualifiedTable(d: Dialect, table: string): string {
  const parts = table.split('.');
  if (parts.some((p) => p.length === 0)) throw new ModelError(`table name "${table}" has an empty part`);
  return parts.map((p) => d.ident(p)).join('.');
}

/**
 * The scoring query for `model` in `options.dialect`.
 *
 * @throws ModelError when the model has no customer-value method or its
 *   names clash with the query's output columns; SqlLimitError when the
 *   query is past the engine's size limit.
 */
export function modelToSql(model: Model, options: ModelSqlOptions): string {
  const method = methodOf(model);
  const indicators = method.system.indicators;
  const ids = indicators.map((i) => i.id);
  const idColumn = options.idColumn ?? method.system.idColumn;
  const clash = [idColumn, ...ids].find((name, i, all) => OUTPUT_NAMES.some((o) => o.toLowerCase() === name.toLowerCase()) || all.findIndex((x) => x.toLowerCase() === name.toLowerCase()) !== i);
  if (clash !== undefined) {
    throw new ModelError(`name "${clash}" is used twice among the id column, the indicator ids and the outputs ${OUTPUT_NAMES.join(', ')} (case-insensitively); rename it to export SQL`);
  }
  const internal = [idColumn, ...ids].find((name) => name.toLowerCase().startsWith(prefix));
  if (internal !== undefined) throw new ModelError(`name "${internal}" starts with "${prefix}", which the exported query uses for its own columns`);

  const w = new Writer(options.dialect, idColumn, options);
  const d = w.d;
  const q = (name: string): string => w.id(name);
  const idq = q(idColumn);

  // Stage 2 first: it registers the source columns stage 1 must read (and so whether there is an invalid flag).
  const values = indicators.map((ind) => `${w.value(ind)} AS ${q(ind.id)}`);
  const flag = w.invalidFlag();
  const scoreRules = indicators.map((ind) => (options.input === 'scores' ? { type: 'likert' as const, missingScore: null } : ind.rule));
  const scores = indicators.map((ind, i) => `${w.score(ind, scoreRules[i]!)} AS ${q(ind.id)}`);

  const blankId = `NULLIF(TRIM(CAST(${idq} AS ${d.textType})), '')`;
  const columns = [
    `CASE WHEN ${blankId} IS NULL THEN ${w.fail(`empty customer id in column "${idColumn}"`, d.textType)} ELSE ${blankId} END AS ${idq}`,
    ...w.sources.map((s) => `${w.sourceExpression(s)} AS ${q(s.alias)}`),
    ...(flag === undefined ? [] : [flag]),
  ];
  const flagColumn = flag === undefined ? [] : [INVALID];

  const n = ids.length;
  const x = ids.map((_, i) => `${prefix}x${i + 1}`);
  const inputs = ids.map((id, i) => {
    const lo = model.inputs.min[i]!;
    const span = model.inputs.max[i]! - lo;
    if (!(span > 0)) return `${d.float(0)} AS ${x[i]!}`;
    // Clipped to [0, 1] as the core does; CASE (not LEAST/GREATEST) keeps a
    // NULL score NULL on PostgreSQL, whose GREATEST ignores NULLs.
    const scaled = `(${q(id)} - ${d.float(lo)}) / ${d.float(span)}`;
    return `CASE WHEN ${scaled} < ${d.float(0)} THEN ${d.float(0)} WHEN ${scaled} > ${d.float(1)} THEN ${d.float(1)} ELSE ${scaled} END AS ${x[i]!}`;
  });

  // Every stage passes on the id and the scores and adds its own columns, so
  // no stage is wider than id + scores + one layer (PostgreSQL allows 1,664).
  const carry = [idq, ...ids.map(q)];
  const ctes: string[] = [];
  const cte = (name: string, notes: readonly string[], body: string): void => {
    ctes.push(`${notes.map((t) => `-- ${comment(t)}`).join('\n')}\n${name} ${d.cteAs} (\n${body}\n)`);
  };
  cte(`${prefix}columns`, [`1. Source columns: ids trimmed, numbers as float64, dates as days before asOf, text trimmed; empty values are NULL${flag === undefined ? '' : `, and so are values the core refuses, flagged in ${INVALID}`}.`],
    `  SELECT\n${list(columns)}\n  FROM ${qualifiedTable(d, options.table ?? 'customers')}`);
  cte(`${prefix}values`, ['2. Raw value of every indicator (NULL when empty).'],
    `  SELECT\n${list([idq, ...values, ...flagColumn], '    ', [undefined, ...indicators.map((ind) => ind.name)])}\n  FROM ${prefix}columns`);
  cte(`${prefix}scores`, ['3. Indicator scores 1-5 with the fitted cut points and maps.'],
    `  SELECT\n${list([idq, ...scores])}\n  FROM ${prefix}values`);
  cte(`${prefix}inputs`, ['4. Min-max normalisation with the training ranges, clipped to [0, 1] (a score outside a training range means the sample lacked that level).'],
    `  SELECT\n${list([...carry, ...inputs], '    ', [...carry.map(() => undefined), ...ids.map((id, i) => `${id}: training range ${model.inputs.min[i]!} to ${model.inputs.max[i]!}`)])}\n  FROM ${prefix}scores`);

  const fanIns: number[] = [];
  let previous = x;
  let from = `${prefix}inputs`;
  model.layers.forEach((layer, l) => {
    const k = l + 1;
    const net = layer.weights.map((row, i) => `${w.sum(layer.biases[i]!, row, previous)} AS ${prefix}n${k}_${i + 1}`);
    const act = layer.weights.map((_, i) => `${prefix}a${k}_${i + 1}`);
    fanIns.push(previous.length + 1);
    const last = l === model.layers.length - 1;
    cte(`${prefix}net${k}`, [`${5 + 2 * l}. ${last ? 'Output' : 'Hidden'} layer ${k}: net input = bias + weights · ${l === 0 ? 'normalised inputs' : `layer ${l} outputs`} (${layer.weights.length} neurons × ${previous.length} inputs).`],
      `  SELECT\n${list([...carry, ...net])}\n  FROM ${from}`);
    cte(`${prefix}layer${k}`, [`${6 + 2 * l}. Layer ${k} output: ${layer.transfer}${layer.transfer === 'tansig' ? ' 2/(1+exp(-2n))-1' : layer.transfer === 'logsig' ? ' 1/(1+exp(-n))' : ' (identity)'}.`],
      `  SELECT\n${list([...carry, ...act.map((a, i) => `${w.transfer(layer.transfer, `${prefix}n${k}_${i + 1}`)} AS ${a}`)])}\n  FROM ${prefix}net${k}`);
    previous = act;
    from = `${prefix}layer${k}`;
  });

  const cvWeights = currentValueWeights(method.weights, method.currentValue);
  const cvEntries = Object.entries(cvWeights);
  const total = cvEntries.reduce((s, [, v]) => s + v, 0);
  const cSum = cvEntries.map(([id, v]) => `${q(id)} * ${d.float(v)}`).join(' + ');
  const c = `(${cSum}) / ${d.float(total)}`;
  const K = previous[0]!;
  const { A, B, C: Cth } = method.thresholds;
  const kq = q('K');
  const cq = q('C');
  const band = `CASE WHEN ${cq} IS NULL THEN NULL WHEN ${cq} >= ${d.float(5 - TOP_TOLERANCE)} THEN 5 WHEN ${cq} < 2 THEN 1 WHEN ${cq} < 3 THEN 2 WHEN ${cq} < 4 THEN 3 ELSE 4 END`;
  const classOf = (t: (cls: 'A' | 'B' | 'C' | 'D') => string): string =>
    `CASE WHEN ${kq} IS NULL THEN NULL WHEN ${kq} >= ${d.float(A)} THEN ${t('A')} WHEN ${kq} >= ${d.float(B)} THEN ${t('B')} WHEN ${kq} >= ${d.float(Cth)} THEN ${t('C')} ELSE ${t('D')} END`;
  const layersDone = 4 + 2 * model.layers.length;
  cte(`${prefix}output`, [`${layersDone + 1}. K = first output of the last layer; current value C = weighted mean of ${method.currentValue.join(', ')} (weights renormalised to sum 1).`],
    `  SELECT\n${list([...carry, `${c} AS ${cq}`, `${K} AS ${kq}`])}\n  FROM ${from}`);

  const shape = [n, ...model.layers.map((layer) => layer.weights.length)].join('-');
  const header = [
    `-- cvnet scoring query for ${d.label}, generated by cvnet export-sql.`,
    `-- Network ${shape} (${model.layers.map((layer) => layer.transfer).join(', ')}); indicators: ${ids.join(', ')}.`,
    `-- Input: ${options.input === 'scores' ? 'indicator scores 1-5 in columns named after the indicators' : `raw ${options.columns === 'text' ? 'text' : 'typed'} source columns`} of ${options.table ?? 'customers'}, one row per customer, id in "${idColumn}".`,
    `-- Output: ${idColumn}, the ${n} indicator scores, C, band, K, class, strategy (no ORDER BY: rows come in the engine's order).`,
    `-- Invalid values ${options.invalid === 'null' ? 'score NULL' : 'stop the query with a message starting "cvnet:"'}.`,
    ...(model.createdAt ? [`-- Model created ${comment(model.createdAt)}.`] : []),
  ];
  const select = [
    idq,
    ...ids.map(q),
    cq,
    `${band} AS ${q('band')}`,
    kq,
    `${classOf((cls) => d.string(cls))} AS ${q('class')}`,
    `${classOf((cls) => d.string(method.strategies[cls]))} AS ${q('strategy')}`,
  ];
  const sql = `${header.join('\n')}\nWITH\n${ctes.join(',\n')}\n-- ${layersDone + 2}. Band of C (5 only for C = 5), class of K by the thresholds A ${A}, B ${B}, C ${Cth}, and its strategy.\nSELECT\n${list(select, '  ')}\nFROM ${prefix}output\n`;
  if (options.checkLimits !== false) checkSqlLimits(options.dialect, d.label, { shape, sql, fanIns, widths: [columns.length, carry.length + n, ...model.layers.map((layer) => carry.length + layer.weights.length)] });
  return sql;
}
