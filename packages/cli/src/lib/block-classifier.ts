/**
 * One block of whole CSV lines in, its classified output out (the bulk path
 * of `cvnet classify`, see classify-file.ts). Plain lines of numbers are
 * classified in Wasm (LineInstance) when the output is plain CSV; else,
 * or when Wasm refuses the block, they are scored from their bytes
 * (line-scorer.ts); a block with anything else goes through openCsv's
 * records and scoreColumns, so the output and the errors are the same on
 * every path, only faster for the common case.
 */
import { isUtf8 } from 'node:buffer';
import { loadModule, type Model, type Scorer } from '@cvnet/core/lean';
import { LineInstance, methodOf, prepareLines, scoreMatrix, type IdOrder, type PreparedLines, type ScoredColumns } from '@cvnet/core/scoring';
import { csvField, DataError, recordsOfLines, type CsvPosition } from '@cvnet/core/data';
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
  /** The order of its ids, when the Wasm path read them. */
  readonly order?: IdOrder;
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
    /** The Wasm path's plan (for plain CSV output of the ids as they are), for a worker thread too. */
    readonly prepared: PreparedLines | undefined,
    private readonly wasm: LineInstance | undefined,
  ) {
    this.csv = setup.format === 'csv' && options.explain === undefined ? new CsvBytes(options.ids ?? ((id) => id)) : undefined;
  }

  /** A classifier, or undefined when the model reads columns only the general path can (see linePlan). */
  static async create(scorer: Scorer, model: Model, setup: BlockSetup, options: FormatOptions): Promise<BlockClassifier | undefined> {
    const plan = linePlan(model, setup.header);
    if (plan === undefined) return undefined;
    const plain = setup.format === 'csv' && options.explain === undefined && options.ids === undefined;
    const prepared = plain ? wasmPlan(model, plan) : undefined;
    const wasm = prepared && new LineInstance(await loadModule(), prepared);
    return new BlockClassifier(scorer, model, setup, plan, options, prepared, wasm);
  }

  /** Frees the Wasm path's instance memory. */
  dispose(): void {
    this.wasm?.dispose();
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
    // Bytes that are not UTF-8 are the record reader's to refuse (scoreLines hands them over).
    const classified = this.wasm !== undefined && isUtf8(bytes) ? this.wasm.classify(bytes, at.line + 1) : undefined;
    return classified ?? this.classifyInJs(bytes, at);
  }

  /** classify without the Wasm path: for a block it handed back, on this thread or a worker's. */
  classifyInJs(bytes: Buffer, at: CsvPosition): ClassifiedBlock | undefined {
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

/** The Wasm path's plan for lines the plan reads as single numbers (no dates, categories or sums), else undefined. */
function wasmPlan(model: Model, plan: LinePlan): PreparedLines | undefined {
  if (plan.texts.length > 0 || plan.plans.some((p) => p.combine !== 'value')) return undefined;
  const { strategies } = methodOf(model);
  return prepareLines(model, {
    fields: plan.fields,
    indicators: plan.plans.map((p) => ({ slot: p.slots[0]!, rule: p.indicator.rule })),
    strategyFields: [csvField(strategies.A), csvField(strategies.B), csvField(strategies.C), csvField(strategies.D)],
  });
}
