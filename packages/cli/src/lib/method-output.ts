/**
 * Classified customers as files: the `cvnet classify` contract (columns id,
 * C, band, K, class, strategy, then one score column per indicator id), as
 * CSV or JSON lines, and a streaming scorer that reads a CSV in chunks.
 */
import { stringify } from 'csv-stringify/sync';
import { CLASSIFIED_COLUMNS, explainCustomers, explanationFields, explanationHeader, scoreWithModel, type Engine, type Model, type ScoredBatch, type ScoredCustomer } from '@cvnet/core';
import { DataError, type CsvRecord, type CsvSource } from '@cvnet/core/data';
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

/**
 * Numbers are written with JavaScript's shortest round-trip form, so K read
 * back from the file equals the model's K to the last digit.
 */
function fields(c: ScoredCustomer, ids: (id: string) => string): (string | number)[] {
  return [ids(c.id), c.C, c.band, c.K, c.class, c.strategy, ...c.scores];
}

const same = (id: string): string => id;

/** A batch as CSV or JSON-lines text (CSV header only when `header`). */
export function formatBatch(batch: ScoredBatch, format: OutputFormat, header: boolean, options: FormatOptions = {}): string {
  const ids = options.ids ?? same;
  const columns = classifiedHeader(batch.indicators, options.explain !== undefined);
  // Explained per batch, so memory stays flat however long the file is.
  const ex = options.explain && batch.customers.length ? explainCustomers(options.explain, batch.customers.map((c) => c.scores)) : undefined;
  const values = (c: ScoredCustomer, i: number): (string | number)[] => (ex ? [...fields(c, ids), ...explanationFields(ex, i)] : fields(c, ids));
  if (format === 'jsonl') {
    return batch.customers.map((c, i) => `${JSON.stringify(Object.fromEntries(values(c, i).map((v, j) => [columns[j]!, v])))}\n`).join('');
  }
  return stringify([...(header ? [columns] : []), ...batch.customers.map(values)]);
}

/** Rows per call of scoreWithModel: amortises the Wasm call, keeps memory flat. */
export const CHUNK = 4096;

/**
 * Scores a CSV source chunk by chunk with `scoreWithModel`. Duplicate ids
 * are caught within a chunk by the scorer and across chunks here.
 *
 * @throws DataError naming file, line and column.
 */
export async function* scoreStream(engine: Engine, model: Model, source: CsvSource): AsyncGenerator<ScoredBatch> {
  const firstLine = new Map<string, number>();
  let chunk: CsvRecord[] = [];
  const flush = (): ScoredBatch => {
    const rows = chunk.map((r) => toRow(source.header, r.fields));
    const lines = chunk.map((r) => r.line);
    const batch = inFile(source.path, DataError, () => scoreWithModel(engine, model, rows, { lines }));
    batch.customers.forEach((c, i) => {
      const first = firstLine.get(c.id);
      if (first !== undefined) {
        throw new DataError(`${source.path}: row ${lines[i]}: duplicate customer id ${JSON.stringify(c.id)} (first on row ${first})`, { row: lines[i] });
      }
      firstLine.set(c.id, lines[i]!);
    });
    chunk = [];
    return batch;
  };
  for await (const record of source.records) {
    chunk.push(record);
    if (chunk.length === CHUNK) yield flush();
  }
  if (chunk.length > 0) yield flush();
}

/**
 * The output text: the header is emitted with the first scored chunk, so an
 * error in the first rows leaves standard output empty.
 */
export async function* formatStream(batches: AsyncIterable<ScoredBatch>, indicators: readonly string[], format: OutputFormat, options: FormatOptions = {}): AsyncGenerator<string> {
  let header = format === 'csv';
  for await (const batch of batches) {
    yield formatBatch(batch, format, header, options);
    header = false;
  }
  // A file with no customers still gets its header.
  if (header) yield stringify([classifiedHeader(indicators, options.explain !== undefined)]);
}
