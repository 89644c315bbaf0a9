/**
 * Everything the report shows. The CLI fills this after a run; the report
 * module only formats it.
 */
import type { ClassThresholds, Strategies } from '../indicators/config.js';
import type { BandTable } from '../method/current.js';
import type { CustomerClass, Evaluation } from '../method/classify.js';
import type { MatrixReport } from '../weights/compute.js';

export interface ReportData {
  /** @default "cvnet customer-value report" */
  title?: string;
  /** Where the customers came from (file name, "synthetic survey"…). */
  dataset?: string;
  /** Label the report as synthetic data, prominently. @default false */
  synthetic?: boolean;
  /** When the run happened (ISO text, supplied by the caller: the report reads no clock). */
  generatedAt?: string;
  /** Network layout and how training ended. */
  network?: { inputs: number; hidden: number; outputs: number; epochs?: number; bestEpoch?: number; stop?: string };
  /** Pre-classification by current value C (all customers). */
  bands: BandTable;
  /** Sizes of the stratified sample and its split. */
  sample?: { size: number; train: number; test: number };
  /**
   * MSE per epoch; index 0 is the initial network. `test` is the test-set MSE
   * per epoch when the engine records it; otherwise `finalTest` (the test MSE
   * of the saved network) is drawn as a level line.
   */
  training?: { train: readonly number[]; test?: readonly number[]; validation?: readonly number[]; finalTest?: number };
  /** Every classified customer with predicted K and class. */
  customers: readonly { id: string; k: number; class: CustomerClass }[];
  thresholds: ClassThresholds;
  strategies: Strategies;
  /** Predicted against target K on the test set. */
  evaluation?: Evaluation;
  /** Global weight per indicator. */
  weights: readonly { id: string; name: string; dimension: string; weight: number }[];
  /** AHP matrices, when weights came from AHP. */
  matrices?: readonly MatrixReport[];
  /** Which target the network learnt, e.g. `comprehensive weighted score`. */
  target: string;
  warnings: readonly string[];
  /**
   * Show customer ids in the top-customers table. Reports leave raw ids out
   * unless asked, so a report can be shared without leaking who the
   * customers are; pass true for pseudonymised ids or when the ids may be shown.
   * @default false
   */
  showIds?: boolean;
  /**
   * Further `<section>`s rendered by their own modules (segments, importance,
   * clusters, data quality: each escapes its own text), placed before the
   * target and warnings.
   * @default none
   */
  sections?: readonly string[];
}
