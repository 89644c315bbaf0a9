/**
 * Scoring customers with a trained model: indicator scores on the model's own
 * scale, current value C and band, the network's K, class and strategy. Every
 * front end (CLI, HTTP, browser) calls this, so they agree to the last digit.
 */
import { DataError, ModelError } from '../errors.js';
import { isClassifiedOutput } from '../indicators/output-contract.js';
import type { FittedIndicator, FittedIndicatorSystem, RowNumbering, ScoreMatrix } from '../indicators/fit.js';
import { scoreCustomers } from '../indicators/fit.js';
import { sourceColumns, type CustomerRow } from '../indicators/source.js';
import type { Model } from '../model/schema.js';
import { applyMinMax } from '../model/normalize.js';
import type { Scorer } from '../wasm/engine.js';
import { classify, type CustomerClass } from './classify.js';
import { band, currentValues, currentValueWeights, type Band } from './current.js';
import type { ModelMethod } from './model-method.js';
import { networkOf } from './model-network.js';

export interface ScoredCustomer {
  id: string;
  /** Current value C = Σ w·s over the current-value indicators (1–5). */
  C: number;
  band: Band;
  /** The network's value K in [0, 1]. */
  K: number;
  class: CustomerClass;
  strategy: string;
  /** Indicator scores 1–5, in `ScoredBatch.indicators` order. */
  scores: number[];
}

export interface ScoredBatch {
  /** Indicator ids in model input order. */
  indicators: string[];
  customers: ScoredCustomer[];
}

/**
 * The model's method section, or a ModelError saying why the model can't
 * score customers: it has none, or its network's inputs are not its
 * indicators in order (every scorer — CLI, HTTP, SQL — relies on that).
 */
export function methodOf(model: Model, source = 'model'): ModelMethod {
  if (!model.method) {
    throw new ModelError(`${source} has no customer-value method (it was trained with plain "cvnet train <data.csv> --target"); train it from a project config to classify customers`);
  }
  const ids = model.method.system.indicators.map((i) => i.id);
  if (ids.join('\u0000') !== model.inputs.names.join('\u0000')) {
    throw new ModelError(`${source}'s inputs (${model.inputs.names.join(', ')}) do not match its indicators (${ids.join(', ')})`);
  }
  return model.method;
}

/** How an indicator is read from data: its raw source column(s), the 1–5 score column named after it, or neither. */
export type IndicatorReading = 'raw' | 'score' | 'missing';

/**
 * How each indicator of `system` is read from data with these columns: the
 * raw source column(s) when the data has them, otherwise a score column
 * named after the indicator id (so `cvnet classify` output is valid input
 * again). Classify output (isClassifiedOutput: an id, K and a class) holds
 * scores in its indicator-id columns even where an id is also its raw
 * column's name (`recency` in the CDNOW config): read raw, the scores would
 * be put through the cut points a second time.
 */
export function indicatorReadings(system: FittedIndicatorSystem, columns: ReadonlySet<string>): IndicatorReading[] {
  const classified = isClassifiedOutput(columns);
  return system.indicators.map((ind) => {
    if (classified && columns.has(ind.id)) return 'score';
    if (sourceColumns(ind.source).every((c) => columns.has(c))) return 'raw';
    return columns.has(ind.id) ? 'score' : 'missing';
  });
}

/** The system as it reads data with these columns (see indicatorReadings). */
function systemForColumns(system: FittedIndicatorSystem, columns: ReadonlySet<string>): FittedIndicatorSystem {
  const readings = indicatorReadings(system, columns);
  const indicators = system.indicators.map((ind, i): FittedIndicator => {
    if (readings[i] === 'raw') return ind;
    if (readings[i] === 'score') return { ...ind, source: ind.id, from: 'likert', rule: { type: 'likert', missingScore: null } };
    const missing = sourceColumns(ind.source).filter((c) => !columns.has(c));
    throw new DataError(
      `indicator "${ind.id}" needs column(s) ${missing.map((c) => `"${c}"`).join(', ')} (raw source) or a score column "${ind.id}"; neither is in the data`,
      { column: missing[0] ?? ind.id, indicator: ind.id },
    );
  });
  // Classified output names its id column "id" whatever the training data called it.
  const idColumn = !columns.has(system.idColumn) && columns.has('id') ? 'id' : system.idColumn;
  return { ...system, idColumn, indicators };
}

/**
 * A scored batch as columns, without a per-customer object: what a fast
 * writer needs. `scoreWithModel` is this, one object per customer.
 */
export interface ScoredColumns {
  /** Indicator ids in model input order. */
  indicators: string[];
  ids: readonly string[];
  /** Current value C per customer. */
  C: Float64Array;
  bands: readonly Band[];
  /** The network's value K per customer. */
  K: Float64Array;
  classes: readonly CustomerClass[];
  strategies: readonly string[];
  /** Indicator scores 1–5, row-major: customers × indicators. */
  scores: Float64Array;
}

/**
 * The model's fitted indicator system as it reads data with these columns
 * (raw source columns, or score columns named after the indicators).
 *
 * @throws ModelError as methodOf; DataError when an indicator finds neither column.
 */
export function scoringSystem(model: Model, columns: ReadonlySet<string>): FittedIndicatorSystem {
  return systemForColumns(methodOf(model).system, columns);
}

/**
 * Everything after the indicator scores: C and band, K, class and strategy
 * for each customer of `matrix` (scored with `scoringSystem(model, …)`).
 */
export function scoreMatrix(scorer: Scorer, model: Model, matrix: ScoreMatrix): ScoredColumns {
  const method = methodOf(model);
  const rows = matrix.ids.length;
  const C = Float64Array.from(currentValues(matrix, currentValueWeights(method.weights, method.currentValue)));
  const k = scorer.forward(networkOf(model), applyMinMax(matrix.values, model.inputs, { clamp: true }), rows);
  const outputs = model.outputs.names.length;
  const K = outputs === 1 ? k : Float64Array.from({ length: rows }, (_, r) => k[r * outputs]!);
  const bands: Band[] = [];
  const classes: CustomerClass[] = [];
  const strategies: string[] = [];
  for (let r = 0; r < rows; r++) {
    bands.push(band(C[r]!));
    const { class: cls, strategy } = classify(K[r]!, method.thresholds, method.strategies);
    classes.push(cls);
    strategies.push(strategy);
  }
  return { indicators: [...matrix.indicators], ids: matrix.ids, C, bands, K, classes, strategies, scores: matrix.values };
}

/**
 * Scores `rows` with `model`, as columns (see ScoredColumns); same values
 * and errors as scoreWithModel.
 *
 * @throws DataError naming row, column and indicator for unscorable values;
 *   ModelError when the model has no method section or is inconsistent.
 */
export function scoreColumns(scorer: Scorer, model: Model, rows: readonly CustomerRow[], numbering: RowNumbering = {}): ScoredColumns {
  if (rows.length === 0) {
    methodOf(model);
    const ids = [...model.inputs.names]; // methodOf checked they are the indicators
    return { indicators: ids, ids: [], C: new Float64Array(0), bands: [], K: new Float64Array(0), classes: [], strategies: [], scores: new Float64Array(0) };
  }
  const system = scoringSystem(model, new Set(Object.keys(rows[0]!)));
  return scoreMatrix(scorer, model, scoreCustomers(system, rows, numbering));
}

/**
 * Scores `rows` with `model`. Rows may hold raw source columns or indicator
 * scores (1–5) under the indicator ids; the id is read from the model's id
 * column, or from "id" when the rows lack it (classified output).
 *
 * @throws DataError naming row, column and indicator for unscorable values;
 *   ModelError when the model has no method section or is inconsistent.
 */
export function scoreWithModel(scorer: Scorer, model: Model, rows: readonly CustomerRow[], numbering: RowNumbering = {}): ScoredBatch {
  const s = scoreColumns(scorer, model, rows, numbering);
  const n = s.indicators.length;
  const customers = s.ids.map((id, r): ScoredCustomer => ({
    id, C: s.C[r]!, band: s.bands[r]!, K: s.K[r]!, class: s.classes[r]!, strategy: s.strategies[r]!,
    scores: Array.from(s.scores.subarray(r * n, (r + 1) * n)),
  }));
  return { indicators: s.indicators, customers };
}
