/**
 * Shared by `cvnet segment`, `cvnet cluster` and `cvnet migrate`: reading
 * scored customers (the `cvnet classify` contract, or raw customers scored
 * here with the model) and choosing a segment map.
 */
import { readFile } from 'node:fs/promises';
import {
  BUILTIN_SEGMENTS,
  CLASSES,
  ConfigError,
  OptionsError,
  compileSegments,
  isClassifiedOutput,
  fittingBuiltinSegments,
  parseSegments,
  scoreWithModel,
  type CustomerClass,
  type Engine,
  type Model,
  type RunCustomer,
  type SegmentEngine,
} from '@cvnet/core';
import { DataError, locate, openCsv, parseNumber } from '@cvnet/core/data';
import { inFile } from './file-rows.js';
import { readCustomers } from './method-input.js';

/** A class cell, checked. */
export function parseClass(text: string, path: string, line: number, column = 'class'): CustomerClass {
  const c = text.trim();
  if (!(CLASSES as readonly string[]).includes(c)) throw new DataError(`${locate(path, line, column)}: expected a class A, B, C or D, got ${JSON.stringify(text)}`, { row: line, column });
  return c as CustomerClass;
}

/** Columns a classified file has besides the indicator scores. */
const NON_INDICATOR = new Set(['id', 'C', 'band', 'K', 'class', 'strategy', 'segment', 'level', 'K_base', 'cluster']);

/**
 * The trimmed id of the customer on `line`, recorded in `seen` (id → line).
 * @throws DataError for an empty id, or one seen before (naming both lines; the id as `shown`).
 */
function uniqueId(raw: string, path: string, line: number, seen: Map<string, number>, shown: (id: string) => string = (id) => id): string {
  const id = raw.trim();
  if (id === '') throw new DataError(`${locate(path, line, 'id')}: empty customer id`, { row: line, column: 'id' });
  const first = seen.get(id);
  if (first !== undefined) throw new DataError(`${locate(path, line, 'id')}: duplicate customer id ${JSON.stringify(shown(id))} (first on line ${first})`, { row: line, column: 'id' });
  seen.set(id, line);
  return id;
}

/** One customer as the beyond-the-score commands see it. */
export interface ScoredRow {
  line: number;
  id: string;
  K: number;
  class: CustomerClass;
  C?: number;
  band?: number;
  segment?: string;
  /** Scores in `indicators` order. */
  scores: number[];
}

export interface ScoredFile {
  path: string;
  indicators: string[];
  customers: ScoredRow[];
  /** True when the file was already classified; false when the model scored it here. */
  classified: boolean;
}

/**
 * Reads customers: a classified file as is (indicators = the model's, or
 * every column that is not a classify/segment column), or raw customers
 * scored with `model`.
 *
 * @throws DataError naming file, line and column; OptionsError when raw data
 *   comes without a model.
 */
export async function readScoredFile(path: string, model: Model | undefined, engine: () => Promise<Engine>): Promise<ScoredFile> {
  const source = await openCsv(path);
  const { header } = source;
  /** An early error closes the file first (the rows are not read). */
  const refuse = async (error: Error): Promise<never> => {
    await source.close();
    throw error;
  };
  if (!isClassifiedOutput(header)) {
    if (!model) return refuse(new OptionsError(`${path} is not cvnet classify output (it lacks id, K and class columns); give --model to score raw customers`));
    const { rows, lines } = await readCustomers(source);
    const scoring = await engine();
    const batch = inFile(path, DataError, () => scoreWithModel(scoring, model, rows, { lines }));
    const customers = batch.customers.map((c, i): ScoredRow => ({ line: lines[i]!, id: c.id, K: c.K, class: c.class, C: c.C, band: c.band, scores: c.scores }));
    return { path, indicators: batch.indicators, customers, classified: false };
  }
  const indicators = model ? [...model.inputs.names] : header.filter((h) => !NON_INDICATOR.has(h) && !h.startsWith('contrib:'));
  const missing = indicators.filter((i) => !header.includes(i));
  if (missing.length) return refuse(new DataError(`${path}: no score column ${missing.map((m) => `"${m}"`).join(', ')} for the model's indicators (columns: ${header.join(', ')})`, { column: missing[0] }));
  // Row by row, keeping only what the analyses read (a row object per customer cost ~2.7 KB).
  const at = (name: string): number => header.indexOf(name);
  const [idAt, kAt, classAt, cAt, bandAt, segmentAt] = ['id', 'K', 'class', 'C', 'band', 'segment'].map(at) as [number, number, number, number, number, number];
  const scoreAt = indicators.map(at);
  const seen = new Map<string, number>();
  const customers: ScoredRow[] = [];
  for await (const { fields, line } of source.records) {
    const id = uniqueId(fields[idAt]!, path, line, seen);
    const num = (column: number, name: string): number | undefined => (column >= 0 ? parseNumber(fields[column]!, path, line, name) : undefined);
    const C = num(cAt, 'C');
    const band = num(bandAt, 'band');
    const segment = segmentAt >= 0 ? fields[segmentAt]!.trim() : undefined;
    customers.push({
      line,
      id,
      K: num(kAt, 'K')!,
      class: parseClass(fields[classAt]!, path, line),
      ...(C === undefined ? {} : { C }),
      ...(band === undefined ? {} : { band }),
      ...(segment === undefined || segment === '' ? {} : { segment }),
      scores: scoreAt.map((column, j) => parseNumber(fields[column]!, path, line, indicators[j]!)),
    });
  }
  if (customers.length === 0) throw new DataError(`${path}: no customer rows below the header`);
  return { path, indicators, customers, classified: true };
}

/**
 * The segment map: a shipped one by name (`value17`, `rfm`), or a JSON/JSONC
 * file. Without a choice, the first shipped map whose scores are all in
 * `available` (value17, then rfm). `available` undefined: scores are not checked.
 *
 * @throws ConfigError for a bad file or when no shipped map fits.
 */
export async function loadSegmentMap(choice: string | undefined, available: readonly string[] | undefined): Promise<SegmentEngine> {
  const check = available === undefined ? {} : { indicators: available };
  // Own names only: "constructor" or "toString" are file names, not Object.prototype's members.
  if (choice !== undefined && Object.hasOwn(BUILTIN_SEGMENTS, choice)) {
    return compileSegments(BUILTIN_SEGMENTS[choice]!, { file: `segment map "${choice}"`, ...check });
  }
  if (choice !== undefined) {
    const text = await readFile(choice, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError(error.code === 'ENOENT' ? `${choice}: segment config not found (shipped maps: ${Object.keys(BUILTIN_SEGMENTS).join(', ')})` : `${choice}: cannot read (${error.message})`);
    });
    return parseSegments(text, { file: choice, ...check });
  }
  const fitting = fittingBuiltinSegments(available);
  if (fitting !== undefined) return fitting.engine;
  throw new ConfigError(`no shipped segment map fits indicators ${(available ?? []).join(', ')} (value17 needs the study's indicators, rfm needs recency and frequency); give --segments <config.json>`);
}

/**
 * One scoring run for `cvnet migrate`: id and class (required), K, C and
 * segment when the file has them.
 * @throws DataError naming file, line and column (both lines of a repeated id).
 */
export async function readRun(path: string, ids: (id: string) => string): Promise<RunCustomer[]> {
  const source = await openCsv(path);
  const at = (name: string): number => source.header.indexOf(name);
  for (const c of ['id', 'class']) {
    if (at(c) < 0) throw new DataError(`${path}: no column "${c}"; expected cvnet classify or cvnet segment output (columns: ${source.header.join(', ')})`, { column: c });
  }
  const run: RunCustomer[] = [];
  const seen = new Map<string, number>();
  for await (const r of source.records) {
    // A repeated id is quoted as written out (a pseudonym with --pseudonymize).
    const id = uniqueId(r.fields[at('id')]!, path, r.line, seen, ids);
    const num = (name: string): number | undefined => (at(name) >= 0 ? parseNumber(r.fields[at(name)]!, path, r.line, name) : undefined);
    const K = num('K');
    const C = num('C');
    const segment = at('segment') >= 0 ? r.fields[at('segment')]!.trim() : '';
    run.push({ id: ids(id), class: parseClass(r.fields[at('class')]!, path, r.line), ...(K === undefined ? {} : { K }), ...(C === undefined ? {} : { C }), ...(segment ? { segment } : {}) });
  }
  if (run.length === 0) throw new DataError(`${path}: no customer rows below the header`);
  return run;
}
