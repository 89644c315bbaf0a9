/**
 * A lean entry (`@cvnet/core/scoring`) for scoring customers with a trained
 * method model, as `cvnet classify` does on every run: indicator scoring,
 * C, bands, K and classes, explanations and pseudonyms. It leaves out config
 * parsing, training, reports and SQL, and with them zod, which together
 * cost classify ~70 ms of start-up per run when it loaded the main index.
 * Every export is the same object as the main entry's.
 */
export { CLASSIFIED_COLUMNS, DEFAULT_STRATEGIES } from './indicators/output-contract.js';
export type { FittedIndicator, FittedIndicatorSystem, RowNumbering, ScoreMatrix } from './indicators/fit.js';
export { categoricalScore, numericScore } from './indicators/rules.js';
export { numericValue, sourceColumns, type CustomerRow } from './indicators/source.js';
export type { Band } from './method/current.js';
export type { CustomerClass } from './method/classify.js';
export {
  methodOf,
  scoreColumns,
  scoreMatrix,
  scoringSystem,
  type ScoredBatch,
  type ScoredColumns,
  type ScoredCustomer,
} from './method/score-model.js';
export { explainCustomers, explanationHeader, type Explanations } from './explain/integrated.js';
export { pseudonymizerFromEnv } from './privacy/pseudonymize.js';
export { FIELD_ID, FIELD_SKIP, prepareLines, type LineReading } from './wasm/line-classifier.js';
export { LineInstance, type ClassifiedLines, type IdOrder, type PreparedLines } from './wasm/line-instance.js';
