/**
 * One block of whole CSV lines in, its classified output out (the bulk path
 * of `cvnet classify`, see classify-file.ts). Plain lines are scored from
 * their bytes (line-scorer.ts); a block with anything else goes through openCsv's
 * records and scoreColumns, so the output and the errors are the same
 * either way, only faster for the common case.
 */
import type { Model, Scorer } from '@cvnet/core/lean';
import { scoreMatrix, type ScoredColumns } from '@cvnet/core/scoring';
import { DataError, recordsOfLines, type CsvPosition } from '@cvnet/core/data';
import { CsvBytes } from './csv-bytes.js';
import { hashIds } from './id-table.js';
import { linePlan, scoreLines, type LinePlan } from './line-scorer.js';
import { inFile } from './file-rows.js';
import { formatColumns, scoreRecords, type FormatOptions, type OutputFormat } from './method-output.js';

export interface ClassifiedBlock {
  /** The block's output lines (no header), UTF-8. */
  readonly output: Uint8Array<ArrayBuffer>;
  /** Each customer's id hash (cyrb64, IdTable's default, two halves) … */
  readonly hashes: Int32Array<ArrayBuffer>;
  /** … and line, for the duplicate check, which needs the whole file. */
  readonly lines: Float64Array<ArrayBuffer>;
}

/** The file a classifier reads and the output it writes. */
export interface BlockSetup {
  readonly path: string;
  readonly header: readonly string[];
  readonly format: OutputFormat;
}

const encoder = new TextEncoder();

export class BlockClassifier {
  /** The plain CSV writer; explanations and JSON lines go through formatColumns' text. */
  private readonly csv: CsvBytes | undefined;

  private constructor(
    private readonly scorer: Scorer,
    private readonly model: Model,
    private readonly setup: BlockSetup,
    private readonly plan: LinePlan,
    private readonly options: FormatOptions,
  ) {
    this.csv = setup.format === 'csv' && options.explain === undefined ? new CsvBytes(options.ids ?? ((id) => id)) : undefined;
  }

  /** A classifier, or undefined when the model reads columns only the general path can (see linePlan). */
  static create(scorer: Scorer, model: Model, setup: BlockSetup, options: FormatOptions): BlockClassifier | undefined {
    const plan = linePlan(model, setup.header);
    return plan && new BlockClassifier(scorer, model, setup, plan, options);
  }

  /**
   * Classifies whole lines, or returns undefined when the record reader
   * must take over from `at` (the caller reads on with openCsvAt): a quoted
   * line break at the block's end, or a malformed record, which the reader
   * reports only after the rows before it.
   *
   * @param at where `bytes` starts in the file, with no record open there.
   * @throws DataError naming file, line and column.
   */
  classify(bytes: Buffer, at: CsvPosition): ClassifiedBlock | undefined {
    const { path, header, format } = this.setup;
    const fast = scoreLines(this.plan, bytes, at.line + 1);
    let batch: ScoredColumns;
    let lines: Float64Array<ArrayBuffer>;
    let hashes: Int32Array<ArrayBuffer>;
    if (fast === undefined) {
      const records = recordsOfLines(path, header.length, bytes, at.line);
      if (records === undefined) return undefined;
      batch = scoreRecords(this.scorer, this.model, this.setup, records);
      lines = Float64Array.from(records, (r) => r.line);
      hashes = hashIds(batch.ids);
    } else {
      batch = inFile(path, DataError, () => scoreMatrix(this.scorer, this.model, fast.matrix));
      ({ lines, hashes } = fast);
    }
    const output = this.csv ? this.csv.write(batch) : encoder.encode(formatColumns(batch, format, false, this.options));
    return { output, hashes, lines };
  }
}
