import { Args, Command, Flags } from '@oclif/core';
import { applyMinMax, loadScorer, modelToNetwork, type Model, type Precision } from '@cvnet/core/lean';
import {
  DataError,
  atomicWriteStream,
  columnIndexes,
  csvLine,
  openCsv,
  parseNumber,
  readModelFile,
  type CsvSource,
} from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { precisionFlag, resolvePrecision } from '../lib/speed-flags.js';
import { writeToStdout } from '../lib/stdout.js';

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
    precision: precisionFlag('computes outputs within about 2e-5 of f64, about 2× faster in the network itself (reading and writing the CSV dominate a whole run)'),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Predict);
    try {
      const precision = resolvePrecision(flags.precision);
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
      const rows = predictRows(source, model, indexes, precision);
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

/**
 * The output CSV (csv-stringify's format), header first, then one text block
 * per batch of rows read (one forward pass each). A row whose own text is
 * already csv-stringify's (see CsvRecord.text) is copied and the outputs
 * appended as csvLine writes numbers; other rows go through csvLine.
 */
async function* predictRows(source: CsvSource, model: Model, indexes: readonly number[], precision: Precision): AsyncGenerator<string> {
  const engine = await loadScorer();
  const net = modelToNetwork(model);
  const names = model.inputs.names;
  const width = names.length;
  const outputs = model.outputs.names.length;
  yield csvLine([...source.header, ...outputNames(source.header, model)]);

  let inputs = new Float64Array(0);
  for await (const batch of source.batches) {
    if (inputs.length < batch.length * width) inputs = new Float64Array(batch.length * width);
    for (let q = 0; q < batch.length; q++) {
      const record = batch[q]!;
      for (let j = 0; j < width; j++) {
        inputs[q * width + j] = parseNumber(record.fields[indexes[j]!]!, source.path, record.line, names[j]!);
      }
    }
    const y = engine.forward(net, applyMinMax(inputs.subarray(0, batch.length * width), model.inputs), batch.length, { precision });
    const lines: string[] = [];
    for (let q = 0; q < batch.length; q++) {
      const record = batch[q]!;
      const values = y.subarray(q * outputs, (q + 1) * outputs);
      if (record.text === undefined) {
        lines.push(csvLine([...record.fields, ...values]));
        continue;
      }
      let line = record.text;
      for (let k = 0; k < outputs; k++) line += `,${values[k]!}`;
      lines.push(`${line}\n`);
    }
    yield lines.join('');
  }
}
