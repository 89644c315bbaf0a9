/**
 * Classified customers as files: the `cvnet classify` contract (columns id,
 * C, band, K, class, strategy, then one score column per indicator id), as
 * CSV or JSON lines, and a streaming scorer that reads a CSV block by block.
 *
 * Speed (1 M survey rows): scoring each block the reader hands out (a few
 * hundred rows) keeps per-row objects short-lived for V8's young-generation
 * GC, and the CSV is written field by field with csvField (byte-identical to
 * csv-stringify, which costs about 1 µs a field) from column arrays, with no
 * object per customer.
 */
import type { Model, Scorer } from '@cvnet/core/lean';
import {
  CLASSIFIED_COLUMNS,
  explainCustomers,
  explanationHeader,
  scoreColumns,
  scoringSystem,
  type Band,
  type CustomerClass,
  type Explanations,
  type ScoredBatch,
  type ScoredColumns,
} from '@cvnet/core/scoring';
import { DataError, csvField, csvLine, openCsv, type CsvRecord, type CsvSource } from '@cvnet/core/data';
import { IdChecker, type IdCheckerOptions } from './duplicate-ids.js';
import { inFile, toRow } from './file-rows.js';

export type OutputFormat = 'csv' | 'jsonl';

export interface FormatOptions {
  /** Applied to every id written (`--pseudonymize`). @default the identity */
  ids?: (id: string) => string;
  /**
   * Append `K_base` and one `contrib:<indicator id>` column per indicator:
   * integrated-gradient contributions to K from this model's baseline customer.
   * @default no explanation columns
   */
  explain?: Model;
}

/** Header of a classified file (with the explanation columns when `explain`). */
export function classifiedHeader(indicators: readonly string[], explain = false): string[] {
  return [...CLASSIFIED_COLUMNS, ...indicators, ...(explain ? explanationHeader(indicators) : [])];
}

const same = (id: string): string => id;

/**
 * The values of row `r`, in header order. Numbers are written with
 * JavaScript's shortest round-trip form, so K read back from the file
 * equals the model's K to the last digit.
 */
function rowValues(s: ScoredColumns, r: number, ids: (id: string) => string, ex: Explanations | undefined): (string | number)[] {
  const n = s.indicators.length;
  const values: (string | number)[] = [ids(s.ids[r]!), s.C[r]!, s.bands[r]!, s.K[r]!, s.classes[r]!, s.strategies[r]!];
  for (let j = 0; j < n; j++) values.push(s.scores[r * n + j]!);
  if (ex) values.push(ex.kBase, ...ex.customers[r]!.contributions);
  return values;
}

/** Scored columns as CSV or JSON-lines text (CSV header only when `header`). */
export function formatColumns(s: ScoredColumns, format: OutputFormat, header: boolean, options: FormatOptions = {}): string {
  const ids = options.ids ?? same;
  const columns = classifiedHeader(s.indicators, options.explain !== undefined);
  const rows = s.ids.length;
  // Explained per batch, so memory stays flat however long the file is.
  const ex = options.explain && rows ? explainCustomers(options.explain, s.scores) : undefined;
  if (format === 'jsonl') {
    let text = '';
    for (let r = 0; r < rows; r++) {
      const values = rowValues(s, r, ids, ex);
      text += `${JSON.stringify(Object.fromEntries(values.map((v, j) => [columns[j]!, v])))}\n`;
    }
    return text;
  }
  let text = header ? csvLine(columns) : '';
  const n = s.indicators.length;
  for (let r = 0; r < rows; r++) {
    // Band and class are small numbers and single letters: never quoted.
    let line = `${csvField(ids(s.ids[r]!))},${s.C[r]!},${s.bands[r]!},${s.K[r]!},${s.classes[r]!},${csvField(s.strategies[r]!)}`;
    for (let j = r * n, end = j + n; j < end; j++) line += `,${s.scores[j]!}`;
    if (ex) {
      line += `,${ex.kBase}`;
      for (const c of ex.customers[r]!.contributions) line += `,${c}`;
    }
    text += `${line}\n`;
  }
  return text;
}

/** A batch of customer objects as CSV or JSON-lines text (CSV header only when `header`). */
export function formatBatch(batch: ScoredBatch, format: OutputFormat, header: boolean, options: FormatOptions = {}): string {
  const n = batch.indicators.length;
  const scores = new Float64Array(batch.customers.length * n);
  batch.customers.forEach((c, r) => scores.set(c.scores, r * n));
  const columns: ScoredColumns = {
    indicators: batch.indicators,
    ids: batch.customers.map((c) => c.id),
    C: Float64Array.from(batch.customers, (c) => c.C),
    bands: batch.customers.map((c): Band => c.band),
    K: Float64Array.from(batch.customers, (c) => c.K),
    classes: batch.customers.map((c): CustomerClass => c.class),
    strategies: batch.customers.map((c) => c.strategy),
    scores,
  };
  return formatColumns(columns, format, header, options);
}

/**
 * Scores records of a CSV file with `scoreColumns` (errors name the file).
 */
export function scoreRecords(scorer: Scorer, model: Model, source: Pick<CsvSource, 'path' | 'header'>, records: readonly CsvRecord[]): ScoredColumns {
  const rows = records.map((r) => toRow(source.header, r.fields));
  const lines = records.map((r) => r.line);
  return inFile(source.path, DataError, () => scoreColumns(scorer, model, rows, { lines }));
}

/**
 * Scores a CSV source block by block with `scoreColumns`, checking ids for
 * duplicates across the whole file.
 *
 * @param ids the duplicate-id check (tests pass one with a weak hash or a small cap).
 * @throws DataError naming file, line and column.
 */
export async function* scoreStream(scorer: Scorer, model: Model, source: CsvSource, ids = idChecker(scorer, model, source)): AsyncGenerator<ScoredColumns> {
  try {
    for await (const records of source.batches) {
      const batch = scoreRecords(scorer, model, source, records);
      await ids.check(ids.hashes(batch.ids), records.map((r) => r.line));
      yield batch;
    }
    await ids.finish();
  } finally {
    ids.dispose();
  }
}

/** The duplicate-id check of a customer file scored with `model`. */
export function idChecker(scorer: Scorer, model: Model, source: Pick<CsvSource, 'path' | 'header'>, options: IdCheckerOptions = {}): IdChecker {
  const idColumn = (): string => scoringSystem(model, new Set(source.header)).idColumn;
  const ids = (again: CsvSource, records: readonly CsvRecord[]): readonly string[] => scoreRecords(scorer, model, again, records).ids;
  return new IdChecker({ path: source.path, idColumn }, (lines) => idsOnLines(source.path, lines, ids), options);
}

/**
 * The customer ids on `lines` of a CSV file, read again from the start
 * (IdChecker's confirmation of a repeated hash); `idsOf` reads them from records.
 */
export async function idsOnLines(
  path: string,
  lines: readonly number[],
  idsOf: (source: CsvSource, records: readonly CsvRecord[]) => readonly string[],
): Promise<Map<number, string>> {
  const wanted = new Set(lines);
  const last = Math.max(...lines);
  const found = new Map<number, string>();
  const again = await openCsv(path);
  try {
    for await (const records of again.batches) {
      const hits = records.filter((r) => wanted.has(r.line));
      if (hits.length > 0) idsOf(again, hits).forEach((id, i) => found.set(hits[i]!.line, id));
      if (found.size === wanted.size || records[records.length - 1]!.line >= last) break;
    }
  } finally {
    await again.close();
  }
  return found;
}

/**
 * The output text: the header is emitted with the first scored batch, so an
 * error in the first rows leaves standard output empty.
 *
 * @param withHeader false when continuing output that has its header already.
 */
export async function* formatStream(batches: AsyncIterable<ScoredColumns>, indicators: readonly string[], format: OutputFormat, options: FormatOptions = {}, withHeader = true): AsyncGenerator<string> {
  let header = withHeader && format === 'csv';
  for await (const batch of batches) {
    yield formatColumns(batch, format, header, options);
    header = false;
  }
  // A file with no customers still gets its header.
  if (header) yield csvLine(classifiedHeader(indicators, options.explain !== undefined));
}
