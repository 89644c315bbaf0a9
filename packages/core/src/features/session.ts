/**
 * An embedded DuckDB session over one transaction source: the lines are
 * parsed and classified once, then aggregated per customer for any as-of
 * date (the backtest needs two). Memory is bounded by DuckDB's memory_limit,
 * spilling to a private temp directory that is removed on close.
 */
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, isAbsolute, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { atomicWriteStream, writeOutput } from '../data/atomic.js';
import { openCsv } from '../data/csv.js';
import { csvLine } from '../data/csv-write.js';
import { removeOnSignal } from '../data/signal-cleanup.js';
import { ConfigError, CvnetError, DataError } from '../errors.js';
import type { CustomerRow } from '../indicators/source.js';
import { resolveColumns, type Mapping, type ResolvedColumns } from './mapping.js';
import { checkMemoryLimit } from './memory-limit.js';
import {
  available, customersSql, dayAfter, ident, indicatorColumns, linesSql, literal, newCustomersSql, readFileSql, readWhitespaceSql,
  summarySql, type Available, type CustomersQuery,
} from './sql.js';

/** A stage of the work and DuckDB's progress within it. */
export interface FeatureProgress {
  stage: 'reading' | 'aggregating' | 'writing';
  /** Percent done of the running query, or null when DuckDB cannot tell. */
  percent: number | null;
  /** Rows processed so far by the running query (DuckDB's count; 0 when it does not track them). */
  rows: number;
  /** Seconds since the stage started. */
  seconds: number;
}

export interface FeatureSessionOptions {
  /** The transactions file (CSV/whitespace/Parquet), or with `mapping.tables` their directory. */
  input: string;
  mapping: Mapping;
  /** Directory of the mapping file: relative table paths are tried there after the input directory. */
  mappingDir?: string;
  /** DuckDB memory_limit. @default "1GB" */
  memoryLimit?: string;
  /** DuckDB worker threads. @default 2 */
  threads?: number;
  /** Called about twice a second while a query runs. */
  onProgress?: (p: FeatureProgress) => void;
}

/** Where the rows of the source went. Issues overlap; outcomes add up to `rows`. */
export interface FeatureSummary {
  input: string;
  rows: number;
  /** Lines with each problem (a line may have several). */
  issues: {
    badDate: number; noCustomer: number; duplicate: number; badAmount: number; zeroAmount: number;
    cancelledInvoice: number; negativeQuantity: number; cancelledStatus: number;
  };
  /** The one thing done with each line. */
  outcome: {
    purchase: number;
    /** Cancellations and returns: kept, netting monetary and future spend. */
    return: number;
    excluded: { badDate: number; noCustomer: number; duplicate: number; badAmount: number; cancelledStatus: number; zeroAmount: number };
  };
  /** Used lines (purchases and returns) by period relative to as-of. */
  period: { history: number; future: number; later: number };
  /** First and last used timestamp (ISO), null without used lines. */
  span: { first: string | null; last: string | null };
  /** Customers with a purchase on or before as-of (the output rows). */
  customers: number;
  /** Customers whose first purchase is in the horizon (not in the output). */
  newInHorizon: number | null;
  duplicates: Mapping['duplicates'];
  columns: ResolvedColumns;
  indicators: string[];
}

/** Customers as rows for the method pipeline (numbers, or null for empty). */
export interface CustomerTable {
  columns: string[];
  rows: CustomerRow[];
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks an as-of date: YYYY-MM-DD and a real day. */
export function checkAsOf(asOf: string): void {
  const t = Date.parse(`${asOf}T00:00:00Z`);
  if (!ISO_DAY.test(asOf) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== asOf) {
    throw new ConfigError(`as-of date "${asOf}" is not a valid YYYY-MM-DD date`);
  }
}

/** The day `days` after an ISO day. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (ISO days). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The header tokens of a whitespace-separated file (its first non-blank line). */
async function whitespaceHeader(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const line = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/).find((l) => l.trim() !== '');
    if (line === undefined) throw new DataError(`${path}: the file is empty (expected a header line)`);
    return line.trim().split(/\s+/);
  } finally {
    await handle.close();
  }
}

export class FeatureSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly tempDir: string,
    private readonly forgetTempDir: () => void,
    private readonly options: FeatureSessionOptions,
    readonly columns: ResolvedColumns,
    readonly available: Available,
  ) {}

  /**
   * Opens DuckDB, reads the source and classifies every line.
   *
   * @throws DataError for a missing or unreadable input; ConfigError for a
   *   mapping that does not fit the source; OptionsError for a memory limit
   *   DuckDB would not take.
   */
  static async open(options: FeatureSessionOptions): Promise<FeatureSession> {
    const memoryLimit = options.memoryLimit ?? '1GB';
    checkMemoryLimit(memoryLimit);
    const tempDir = await mkdtemp(join(tmpdir(), 'cvnet-duckdb-'));
    // Spilled rows (and a pseudonymised run's raw ids) must not outlive Ctrl-C.
    const forget = removeOnSignal(tempDir);
    let instance: DuckDBInstance | undefined;
    try {
      instance = await DuckDBInstance.create(':memory:', {
        memory_limit: memoryLimit,
        threads: String(options.threads ?? 2),
        // A subdirectory: DuckDB recreates its temp directory when it is removed
        // during a query (Ctrl-C), but not that directory's missing parent.
        temp_directory: join(tempDir, 'spill'),
        // Lines keep file order through the window function (duplicate flags stay deterministic).
        preserve_insertion_order: 'true',
      });
      const connection = await instance.connect();
      const source = await sourceRelation(connection, options);
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      const all = described.getRowObjects().map((r) => String(r.column_name));
      const cols = resolveColumns(options.mapping, all, options.input);
      const session = new FeatureSession(instance, connection, tempDir, forget, options, cols, available(cols));
      await session.run('reading', linesSql(source, options.mapping, cols, all));
      return session;
    } catch (error) {
      instance?.closeSync();
      await rm(tempDir, { recursive: true, force: true });
      forget();
      throw wrapDuckError(error, options.input);
    }
  }

  /** The raw indicator columns this source yields, in output order. */
  indicatorColumns(): string[] {
    return indicatorColumns(this.available);
  }

  /** Runs one statement, reporting DuckDB's progress while it runs. */
  private async run(stage: FeatureProgress['stage'], sql: string): Promise<void> {
    await this.withProgress(stage, () => this.connection.run(sql));
  }

  private async withProgress<T>(stage: FeatureProgress['stage'], body: () => Promise<T>): Promise<T> {
    const report = this.options.onProgress;
    if (!report) return body();
    // DuckDB's query progress stays at -1 through the Node binding for these
    // statements (checked with 1.5), so the stage and its elapsed time always come through.
    const start = Date.now();
    report({ stage, percent: null, rows: 0, seconds: 0 });
    const timer = setInterval(() => {
      const p = this.connection.progress;
      report({ stage, percent: p.percentage >= 0 ? p.percentage : null, rows: Number(p.rows_processed), seconds: (Date.now() - start) / 1000 });
    }, 500);
    try {
      return await body();
    } finally {
      clearInterval(timer);
    }
  }

  /** Counts of where the lines went, for an as-of date (and horizon). */
  async summary(q: CustomersQuery): Promise<FeatureSummary> {
    checkAsOf(q.asOf);
    const horizonEnd = q.horizonDays === null ? null : dayAfter(q.asOf, q.horizonDays);
    const r = (await this.connection.runAndReadAll(summarySql(dayAfter(q.asOf), horizonEnd))).getRowObjects()[0]!;
    const n = (k: string): number => Number(r[k] ?? 0);
    const customers = (await this.connection.runAndReadAll(
      `SELECT count(DISTINCT customer) AS n FROM lines WHERE outcome = 'purchase' AND ts < ${dayAfter(q.asOf)}`,
    )).getRowObjects()[0]!;
    const newIn = q.horizonDays === null ? null
      : Number((await this.connection.runAndReadAll(newCustomersSql(q.asOf, q.horizonDays))).getRowObjects()[0]!.n);
    const iso = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
    return {
      input: this.options.input,
      rows: n('rows'),
      issues: {
        badDate: n('bad_date'), noCustomer: n('no_customer'), duplicate: n('duplicate'), badAmount: n('bad_amount'),
        zeroAmount: n('zero_amount'), cancelledInvoice: n('cancelled_prefix'), negativeQuantity: n('negative_quantity'),
        cancelledStatus: n('cancelled_status'),
      },
      outcome: {
        purchase: n('o_purchase'),
        return: n('o_return'),
        excluded: {
          badDate: n('o_bad_date'), noCustomer: n('o_no_customer'), duplicate: n('o_duplicate'), badAmount: n('o_bad_amount'),
          cancelledStatus: n('o_cancelled_status'), zeroAmount: n('o_zero_amount'),
        },
      },
      period: { history: n('p_history'), future: n('p_future'), later: n('p_later') },
      span: { first: iso(r.first_ts), last: iso(r.last_ts) },
      customers: Number(customers.n),
      newInHorizon: newIn,
      duplicates: this.options.mapping.duplicates,
      columns: this.columns,
      indicators: this.indicatorColumns(),
    };
  }

  /** One row per customer, in memory (for training and the backtest). */
  async customers(q: CustomersQuery): Promise<CustomerTable> {
    checkAsOf(q.asOf);
    const reader = await this.withProgress('aggregating', () => this.connection.runAndReadAll(customersSql(q, this.available)));
    const columns = reader.columnNames();
    const rows = reader.getRowObjects().map((r) => {
      const row: Record<string, string | number | null> = {};
      for (const c of columns) {
        const v = r[c];
        row[c] = v === null || v === undefined ? null : c === 'customer_id' ? String(v) : Number(v);
      }
      return row;
    });
    return { columns, rows };
  }

  /**
   * Writes the customer table as CSV with DuckDB's COPY (streamed, so the
   * table never passes through JavaScript), atomically where `out` is a file
   * (see writeOutput). With `mapId` the id column is rewritten on the way:
   * DuckDB writes the raw table into the session's private temp directory,
   * and only the rewritten table reaches `out`.
   */
  async writeCustomers(q: CustomersQuery, out: string, mapId?: (id: string) => string): Promise<void> {
    checkAsOf(q.asOf);
    const copy = (file: string): Promise<void> =>
      this.run('writing', `COPY (${customersSql(q, this.available)}) TO ${literal(file)} (FORMAT csv, HEADER true)`);
    try {
      if (mapId === undefined) return await writeOutput(out, copy);
      const raw = join(this.tempDir, 'customers-raw.csv');
      try {
        await copy(raw);
        const source = await openCsv(raw);
        await atomicWriteStream(out, (async function* () {
          yield csvLine(source.header);
          for await (const batch of source.batches) {
            yield batch.map((r) => csvLine([mapId(r.fields[0]!), ...r.fields.slice(1)])).join('');
          }
        })());
      } finally {
        await rm(raw, { force: true });
      }
    } catch (error) {
      throw wrapDuckError(error, out);
    }
  }

  /** Closes DuckDB and removes its spill directory. */
  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await rm(this.tempDir, { recursive: true, force: true });
    this.forgetTempDir();
  }
}

/** The FROM-clause relation of the source, creating table views for a joined source. */
async function sourceRelation(connection: DuckDBConnection, options: FeatureSessionOptions): Promise<string> {
  const { input, mapping } = options;
  if (mapping.tables !== undefined) {
    const inputIsDir = await stat(input).then((s) => s.isDirectory(), () => false);
    for (const [name, file] of Object.entries(mapping.tables)) {
      const candidates = isAbsolute(file) ? [file] : [
        inputIsDir ? join(input, file) : join(dirname(input), file),
        ...(options.mappingDir === undefined ? [] : [join(options.mappingDir, file)]),
      ];
      let found: string | undefined;
      for (const c of candidates) if (await exists(c)) { found = c; break; }
      if (found === undefined) throw new DataError(`mapping table "${name}": file ${candidates.join(' or ')} does not exist`);
      const format = extname(found).toLowerCase() === '.parquet' ? 'parquet' : 'csv';
      await connection.run(`CREATE TEMP VIEW ${ident(name)} AS SELECT * FROM ${readFileSql(found, format)}`);
    }
    return `(${mapping.query!})`;
  }
  if (!(await exists(input))) throw new DataError(`${input}: no such file`);
  const format = mapping.format ?? (extname(input).toLowerCase() === '.parquet' ? 'parquet' : 'csv');
  if (format === 'whitespace') return readWhitespaceSql(input, await whitespaceHeader(input));
  return readFileSql(input, format, mapping.delimiter);
}

/** DuckDB's own errors become DataErrors naming the input (bad files are bad input, not bugs). */
function wrapDuckError(error: unknown, input: string): unknown {
  if (error instanceof CvnetError) return error;
  if (error instanceof Error && /Error:/.test(error.message)) {
    const first = error.message.split('\n').find((l) => l.trim() !== '') ?? error.message;
    return new DataError(`${input}: DuckDB could not read or process it: ${first}`);
  }
  return error;
}
