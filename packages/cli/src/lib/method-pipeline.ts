/**
 * The customer-value method as the CLI runs it: read the data, check the
 * pre-classification, train on the stratified sample and score everyone
 * with the resulting model (the same scorer `cvnet classify` uses).
 */
import {
  band as bandOf,
  bandTable,
  computeWeights,
  currentValues,
  currentValueWeights,
  fitIndicatorSystem,
  loadEngine,
  prepareData,
  scoreCustomers,
  scoreWithModel,
  trainCustomerValueAsync,
  trainThreaded,
  type BandTable,
  type CustomerValueRun,
  type Engine,
  type Precision,
  type ProjectConfig,
  type QualityReport,
  type ScoredBatch,
} from '@cvnet/core';
import { DataError } from '@cvnet/core/data';
import { progressLine } from './progress.js';
import { loadConfig, onData, readCustomers, type CustomerTable, type LoadedConfig } from './method-input.js';
import { cleanRows, loadQualityPolicy } from './report-sections.js';

/** Table 2 of the study for `table`, plus the band and C of every customer. */
export interface Preclassification {
  table: BandTable;
  current: number[];
  warnings: string[];
}

/**
 * Scores the indicators and pre-classifies every customer by current value C.
 *
 * @throws DataError naming the file, row, column and indicator.
 */
export function preclassify({ config, label }: LoadedConfig, input: CustomerTable): Preclassification {
  return onData(input.path, label, () => {
    const numbering = { lines: input.lines };
    const { system, warnings } = fitIndicatorSystem(config, input.rows, numbering);
    const scores = scoreCustomers(system, input.rows, numbering);
    const current = currentValues(scores, currentValueWeights(computeWeights(config).weights, config.currentValue));
    const table = bandTable(current.map(bandOf));
    return { table, current, warnings: [...warnings, ...emptyBandWarnings(table)] };
  });
}

function emptyBands(table: BandTable): number[] {
  return table.bands.filter((b) => b.count === 0).map((b) => b.band);
}

function emptyBandWarnings(table: BandTable): string[] {
  return emptyBands(table).map((b) => `band ${b} (${b === 5 ? 'C = 5' : `C in [${b}, ${b + 1})`}) has no customers`);
}

/**
 * Refuses a pre-classification with an empty band: the stratified sample
 * then cannot represent every band of current value, which the method
 * assumes. `allow` turns the error into the sampler's warning.
 *
 * @throws DataError naming the file and the empty band(s).
 */
export function checkEmptyBands(table: BandTable, path: string, allow: boolean): void {
  const empty = emptyBands(table);
  if (empty.length === 0 || allow) return;
  const which = empty.map((b) => (b === 5 ? '5 (C = 5)' : `${b} (C in [${b}, ${b + 1}))`)).join(', ');
  throw new DataError(
    `${path}: band ${which} has no customers, so the stratified sample cannot represent ${empty.length > 1 ? 'them' : 'it'}; check the data and the indicator rules, or pass --allow-empty-bands`,
  );
}

export interface MethodRun {
  input: CustomerTable;
  loaded: LoadedConfig;
  config: ProjectConfig;
  run: CustomerValueRun;
  /** Every customer scored with the trained model. */
  scored: ScoredBatch;
  engine: Engine;
  warnings: string[];
  /** What the data-quality policy did, when one was given. */
  quality?: QualityReport;
}

export interface TrainMethodOptions {
  /** Customer CSV file. */
  data: string;
  /** Config file; @default ./cvnet.config.jsonc if present, else the study's config */
  config?: string;
  /** Overrides the config's seed. */
  seed?: number;
  /** Continue (with a warning) when a band of C is empty. @default false */
  allowEmptyBands?: boolean;
  /** Overrides of the config's training settings. */
  training?: ProjectConfig['training'];
  /** Draw a progress line on stderr. @default false */
  progress?: boolean;
  /**
   * Data-quality policy file (JSON/JSONC), applied to the rows before
   * anything is fitted, trained or scored.
   * @default no policy: the rows are used as read
   */
  quality?: string;
  /** Kernel arithmetic of training (recorded in the model when f32). @default 'f64' */
  precision?: Precision;
  /** Worker threads of training (recorded in the model when above 1). @default 1 */
  threads?: number;
}

/**
 * Reads the data, pre-classifies, samples, trains and scores everyone.
 *
 * @throws ConfigError / DataError naming file, row, column and config entry.
 */
export async function trainMethod(options: TrainMethodOptions): Promise<MethodRun> {
  const loaded = await loadConfig(options.config, options.seed);
  const training = { ...loaded.config.training, ...options.training };
  const config: ProjectConfig = Object.keys(training).length ? { ...loaded.config, training } : loaded.config;
  const policy = options.quality === undefined ? undefined : await loadQualityPolicy(options.quality, loaded.config.idColumn);
  let input = await readCustomers(options.data);
  let quality: QualityReport | undefined;
  if (policy) {
    const clean = cleanRows(input.path, input.rows, input.lines, policy);
    if (clean.rows.length === 0) throw new DataError(`${input.path}: the quality policy ${options.quality} removed every customer`);
    input = { ...input, rows: clean.rows, lines: clean.lines };
    quality = clean.report;
  }
  const numbering = { lines: input.lines };
  // Checked before training so a bad sample fails fast and names the problem.
  const prepared = onData(input.path, loaded.label, () => prepareData(config, input.rows, numbering));
  checkEmptyBands(prepared.table, input.path, options.allowEmptyBands ?? false);

  const engine = await loadEngine();
  const epochs = config.training?.epochs ?? 1000;
  const progress = options.progress ? progressLine(process.stderr, epochs) : undefined;
  let run: CustomerValueRun;
  const threads = options.threads ?? 1;
  try {
    run = await trainCustomerValueAsync(engine, config, input.rows, {
      numbering,
      ...(progress ? { onProgress: progress.onProgress, progressEvery: Math.max(1, Math.floor(epochs / 500)) } : {}),
      ...(options.precision === undefined ? {} : { precision: options.precision }),
      // One thread stays on the in-process engine: no workers to start.
      ...(threads > 1 ? { threads, train: (net, data, opts) => trainThreaded(net, data, { ...opts, threads }) } : {}),
    }).catch((error: unknown) => onData(input.path, loaded.label, () => {
      throw error; // through onData for its file name and config hint
    }));
  } finally {
    progress?.done();
  }
  const scored = onData(input.path, loaded.label, () => scoreWithModel(engine, run.model, input.rows, numbering));
  return { input, loaded, config, run, scored, engine, warnings: run.prepared.warnings, ...(quality ? { quality } : {}) };
}
