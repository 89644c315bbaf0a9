import { Args, Command, Flags } from '@oclif/core';
import { stringify } from 'csv-stringify/sync';
import { applyMinMax, loadEngine, modelToNetwork, type Model } from '@cvnet/core';
import {
  DataError,
  atomicWriteStream,
  columnIndexes,
  openCsv,
  parseNumber,
  readModelFile,
  type CsvRecord,
  type CsvSource,
} from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { writeToStdout } from '../lib/stdout.js';

/** Rows per forward pass: large enough to amortise the Wasm call, small enough for flat memory. */
const CHUNK = 4096;

export default class Predict extends Command {
  static override description = `Append the network's output to every row of a CSV file.

The model's input columns are scaled with the ranges saved at training time (values outside the training range are not clipped). The output column is named after the training target, or <target>_predicted when the file already has such a column. Rows are streamed, so large files use constant memory; with --out the file appears only when complete.`;

  static override examples = [
    '<%= config.bin %> predict customers.csv --model model.json --out scored.csv',
    '<%= config.bin %> predict customers.csv --model model.json > scored.csv',
  ];

  static override args = {
    data: Args.string({ description: 'CSV file with a header row and the model\'s input columns', required: true }),
  };

  static override flags = {
    model: Flags.string({ char: 'm', description: 'model file written by cvnet train', required: true }),
    out: Flags.string({ char: 'o', description: 'CSV file to write [default: standard output]' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Predict);
    try {
      const model = await readModelFile(flags.model);
      const source = await openCsv(args.data);
      const missing = model.inputs.names.filter((name) => !source.header.includes(name));
      if (missing.length > 0) {
        throw new DataError(
          `${args.data}: no column ${missing.map((name) => `"${name}"`).join(', ')}, which model ${flags.model} needs as input (columns: ${source.header.join(', ')})`,
          { column: missing[0] },
        );
      }
      const indexes = columnIndexes(source, model.inputs.names);
      const rows = predictRows(source, model, indexes);
      if (flags.out === undefined) {
        await writeToStdout(rows);
      } else {
        await atomicWriteStream(flags.out, rows);
      }
    } catch (error) {
      fail(this, error);
    }
  }
}

/** Output column names: the model's, suffixed when the file already uses them. */
function outputNames(header: readonly string[], model: Model): string[] {
  return model.outputs.names.map((name) => (header.includes(name) ? `${name}_predicted` : name));
}

/** The output CSV, header first, then one chunk of rows per forward pass. */
async function* predictRows(source: CsvSource, model: Model, indexes: readonly number[]): AsyncGenerator<string> {
  const engine = await loadEngine();
  const net = modelToNetwork(model);
  const names = model.inputs.names;
  const outputs = model.outputs.names.length;
  yield stringify([[...source.header, ...outputNames(source.header, model)]]);

  const inputs = new Float64Array(CHUNK * names.length);
  let chunk: CsvRecord[] = [];
  const flush = (): string => {
    const raw = inputs.subarray(0, chunk.length * names.length);
    const y = engine.forward(net, applyMinMax(raw, model.inputs), chunk.length);
    const text = stringify(chunk.map((record, q) => [...record.fields, ...y.subarray(q * outputs, (q + 1) * outputs)]));
    chunk = [];
    return text;
  };
  for await (const record of source.records) {
    indexes.forEach((index, j) => {
      inputs[chunk.length * names.length + j] = parseNumber(record.fields[index]!, source.path, record.line, names[j]!);
    });
    chunk.push(record);
    if (chunk.length === CHUNK) yield flush();
  }
  if (chunk.length > 0) yield flush();
}
