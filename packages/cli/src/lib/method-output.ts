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
import {
  CLASSIFIED_COLUMNS,
  explainCustomers,
  explanationHeader,
  scoreColumns,
  type Band,
  type CustomerClass,
  type Engine,
  type Explanations,
  type Model,
  type ScoredBatch,
  type ScoredColumns,
} from '@cvnet/core';
import { DataError, csvField, csvLine, openCsv, type CsvRecord, type CsvSource } from '@cvnet/core/data';
import { IdTable } from './id-table.js';
import { inFile, toRow } from './method-input.js';

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
 * Scores a CSV source block by block with `scoreColumns`. Duplicate ids are
 * caught within a block by the scorer and across blocks here, in bounded
 * memory (see IdTable): an id whose 64-bit hash was seen before is compared
 * with the id on the earlier line, read again from the file, so the check is
 * exact; a true duplicate ends the run, and a hash collision between
 * different ids (chance about 3e-8 over a million ids) costs one more read.
 *
 * @param seen the ids seen so far (tests pass a table with a weak hash).
 * @throws DataError naming file, line and column.
 */
export async function* scoreStream(engine: Engine, model: Model, source: CsvSource, seen = new IdTable()): AsyncGenerator<ScoredColumns> {
  const score = (records: readonly CsvRecord[]): ScoredColumns => {
    const rows = records.map((r) => toRow(source.header, r.fields));
    const lines = records.map((r) => r.line);
    return inFile(source.path, DataError, () => scoreColumns(engine, model, rows, { lines }));
  };
  for await (const records of source.batches) {
    const batch = score(records);
    for (let i = 0; i < batch.ids.length; i++) {
      const id = batch.ids[i]!;
      const line = records[i]!.line;
      const earlier = seen.add(id, line);
      if (earlier === undefined) continue;
      // Same hash as earlier line(s): compare with the ids actually there.
      const there = await idsAt(source, earlier, score);
      const first = earlier.find((l) => there.get(l) === id);
      if (first !== undefined) {
        throw new DataError(`${source.path}: row ${line}: duplicate customer id ${JSON.stringify(id)} (first on row ${first})`, { row: line });
      }
      seen.insert(id, line);
    }
    yield batch;
  }
}

/** The customer ids on `lines` of the source's file, read again from the start. */
async function idsAt(source: CsvSource, lines: readonly number[], score: (records: readonly CsvRecord[]) => ScoredColumns): Promise<Map<number, string>> {
  const wanted = new Set(lines);
  const found = new Map<number, string>();
  const again = await openCsv(source.path);
  for await (const records of again.batches) {
    const hits = records.filter((r) => wanted.has(r.line));
    if (hits.length > 0) score(hits).ids.forEach((id, i) => found.set(hits[i]!.line, id));
    if (found.size === wanted.size || records[records.length - 1]!.line >= Math.max(...lines)) break;
  }
  return found;
}

/**
 * The output text: the header is emitted with the first scored batch, so an
 * error in the first rows leaves standard output empty.
 */
export async function* formatStream(batches: AsyncIterable<ScoredColumns>, indicators: readonly string[], format: OutputFormat, options: FormatOptions = {}): AsyncGenerator<string> {
  let header = format === 'csv';
  for await (const batch of batches) {
    yield formatColumns(batch, format, header, options);
    header = false;
  }
  // A file with no customers still gets its header.
  if (header) yield csvLine(classifiedHeader(indicators, options.explain !== undefined));
}
