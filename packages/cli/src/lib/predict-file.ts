/**
 * `cvnet predict` on a file: its rows with the network's outputs appended,
 * as output chunks in file order (csv-stringify's format).
 *
 * Blocks of plain lines (no quote, no CR but a line's last byte, valid
 * UTF-8, every input a short decimal) are read where they lie: the inputs
 * parsed from the bytes, each line copied and its outputs appended. That is
 * exactly what the record path writes for such a line (a record's own text,
 * then `,${y}`), at a fraction of the cost. A block with anything else goes
 * through openCsv's records; from a quoted line break at a block's end, or
 * a malformed record, on, openCsvAt reads the rest (rows in order, so the
 * first error in the file is the one reported). Output and errors are the
 * same on every path (tested). Only lean modules: predict must start fast.
 */
import { isUtf8 } from 'node:buffer';
import { applyMinMax, loadScorer, modelToNetwork, type Model, type Network, type Precision, type Scorer } from '@cvnet/core/lean';
import { csvLine, columnIndexes, LINE_BLOCK, lineBlocks, openCsvAt, parseNumber, recordsOfLines, type CsvRecord, type CsvSource } from '@cvnet/core/data';
import { decimalAt } from './short-decimal.js';

export interface PredictFileOptions {
  /** @default 'f64' */
  readonly precision?: Precision;
  /** Bytes per block of lines (tests use small blocks to cross many block ends). @default LINE_BLOCK */
  readonly blockBytes?: number;
}

/**
 * Output column names: the model's, or when the file already has one, the
 * first of `<name>_predicted`, `<name>_predicted_2`, `_3`, … that no column
 * and no other output uses, so the output's header never names a column
 * twice (cvnet refuses such a file as input).
 */
function outputNames(header: readonly string[], outputs: readonly string[]): string[] {
  const used = new Set([...header, ...outputs]);
  return outputs.map((name) => {
    if (!header.includes(name)) return name;
    let free = `${name}_predicted`;
    for (let k = 2; used.has(free); k++) free = `${name}_predicted_${k}`;
    used.add(free);
    return free;
  });
}

/** What every block needs: the model's network, where its inputs are, the scorer. */
interface Prediction {
  readonly source: Pick<CsvSource, 'path' | 'header'>;
  readonly model: Model;
  readonly net: Network;
  readonly scorer: Scorer;
  readonly precision: Precision;
  /** Field index of each model input, in input order. */
  readonly indexes: readonly number[];
  /** Per field: the input it is, or −1. */
  readonly slots: Int32Array;
}

/**
 * The output: header, then one chunk per block. `source` is open at its
 * first row, and its header has every input column (the caller checks).
 *
 * @throws DataError naming file, line and column.
 */
export async function* predictFile(source: CsvSource, model: Model, options: PredictFileOptions = {}): AsyncGenerator<string | Uint8Array> {
  const { path, header, dataStart } = source;
  const indexes = columnIndexes(source, model.inputs.names);
  const slots = new Int32Array(header.length).fill(-1);
  indexes.forEach((field, input) => (slots[field] = input));
  const p: Prediction = {
    source, model, net: modelToNetwork(model), scorer: await loadScorer(), precision: options.precision ?? 'f64', indexes, slots,
  };
  // The rows are read by lineBlocks from here on: closed before the first yield, so a reader that stops early leaves nothing open.
  await source.close();
  yield csvLine([...header, ...outputNames(header, model.outputs.names)]);
  let line = dataStart.line;
  for await (const { bytes, byte, feeds } of lineBlocks(path, dataStart.byte, options.blockBytes ?? LINE_BLOCK)) {
    const plain = plainLines(bytes, feeds, slots, indexes.length);
    if (plain !== undefined) {
      yield appendOutputs(bytes, plain, forward(p, plain.inputs, plain.ends.length), model.outputs.names.length);
    } else {
      const records = recordsOfLines(path, header.length, bytes, line);
      if (records === undefined) {
        // A quoted line break at the block's end, or a malformed record: the record reader takes the rest.
        for await (const batch of openCsvAt(path, header, { byte, line }).batches) yield predictRecords(p, batch);
        return;
      }
      if (records.length > 0) yield predictRecords(p, records);
    }
    line += feeds;
  }
}

function forward(p: Prediction, inputs: Float64Array, rows: number): Float64Array {
  return p.scorer.forward(p.net, applyMinMax(inputs, p.model.inputs), rows, { precision: p.precision });
}

/** The record path: numbers through parseNumber (which names the line and column of a bad one), rows through csvLine unless their own text is csv-stringify's already. */
function predictRecords(p: Prediction, batch: readonly CsvRecord[]): string {
  const { source, indexes, model } = p;
  const width = indexes.length;
  const names = model.inputs.names;
  const inputs = new Float64Array(batch.length * width);
  batch.forEach((record, q) => {
    for (let j = 0; j < width; j++) inputs[q * width + j] = parseNumber(record.fields[indexes[j]!]!, source.path, record.line, names[j]!);
  });
  const y = forward(p, inputs, batch.length);
  const outputs = model.outputs.names.length;
  const lines: string[] = [];
  batch.forEach((record, q) => {
    const values = y.subarray(q * outputs, (q + 1) * outputs);
    if (record.text === undefined) {
      lines.push(csvLine([...record.fields, ...values]));
      return;
    }
    let text = record.text;
    for (let k = 0; k < outputs; k++) text += `,${values[k]!}`;
    lines.push(`${text}\n`);
  });
  return lines.join('');
}

/** Plain lines of a block: their inputs (rows × inputs) and where each line's text ends (before its CR LF, LF or the end). */
interface PlainLines {
  readonly inputs: Float64Array;
  readonly ends: Int32Array;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/** The block's lines read in place, or undefined when any line needs the record path. */
function plainLines(bytes: Buffer, feeds: number, slots: Int32Array, inputCount: number): PlainLines | undefined {
  // Valid UTF-8 is copied as the record path would decode and encode it; a quote anywhere is the record reader's.
  if (bytes.includes(QUOTE) || !isUtf8(bytes)) return undefined;
  const width = slots.length;
  const length = bytes.length;
  const rows = length > 0 && bytes[length - 1] !== LF ? feeds + 1 : feeds;
  const inputs = new Float64Array(rows * inputCount);
  const ends = new Int32Array(rows);
  let q = 0;
  for (let row = 0; row < rows; row++) {
    let end = bytes.indexOf(LF, q);
    if (end < 0) end = length;
    if (bytes[end - 1] === CR) end--;
    if (end === q) return undefined; // a blank line: the record reader skips it
    for (let field = 0; ; field++) {
      if (field === width) return undefined; // more fields than the header
      const slot = slots[field]!;
      if (slot >= 0) {
        q = decimalAt(bytes, q, end, inputs, row * inputCount + slot);
        if (q < 0 || (q < end && bytes[q] !== COMMA)) return undefined;
      } else {
        for (let c = bytes[q]; q < end && c !== COMMA; c = bytes[++q]) if (c === CR) return undefined;
      }
      if (q === end) {
        if (field !== width - 1) return undefined; // fewer fields than the header
        break;
      }
      q++; // the comma
    }
    ends[row] = end;
    q = bytes[end] === CR ? end + 2 : end + 1;
  }
  return { inputs, ends };
}

/** Each line as it is, then `,${y}` per output and LF. */
function appendOutputs(bytes: Buffer, plain: PlainLines, y: Float64Array, outputs: number): Uint8Array {
  const { ends } = plain;
  // A number's text is at most 24 characters (ASCII), plus its comma.
  const out = Buffer.allocUnsafe(bytes.length + ends.length * (25 * outputs + 1));
  let at = 0;
  let start = 0;
  for (let row = 0; row < ends.length; row++) {
    const end = ends[row]!;
    at += bytes.copy(out, at, start, end);
    for (let k = 0; k < outputs; k++) at += out.write(`,${y[row * outputs + k]!}`, at, 'latin1');
    out[at++] = LF;
    start = bytes[end] === CR ? end + 2 : end + 1;
  }
  return out.subarray(0, at);
}
