import { Args, Command, Flags } from '@oclif/core';
import { DataError, openCsv, readModelFile } from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { predictFile } from '../lib/predict-file.js';
import { precisionFlag, resolvePrecision } from '../lib/speed-flags.js';
import { checkOutIsNotInput, writeOutputTo } from '../lib/stdout.js';

export default class Predict extends Command {
  static override description = `Append the network's output to every row of a CSV file.

The model's input columns are scaled with the ranges saved at training time (values outside the training range are not clipped). The output column is named after the training target, or <target>_predicted when the file already has such a column (<target>_predicted_2, _3, … when it has that too). Rows are streamed, so large files use constant memory; with --out the file appears only when complete.`;

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
      await checkOutIsNotInput(flags.out, args.data);
      const source = await openCsv(args.data);
      const missing = model.inputs.names.filter((name) => !source.header.includes(name));
      if (missing.length > 0) {
        await source.close();
        throw new DataError(
          `${args.data}: no column ${missing.map((name) => `"${name}"`).join(', ')}, which model ${flags.model} needs as input (columns: ${source.header.join(', ')})`,
          { column: missing[0] },
        );
      }
      const rows = predictFile(source, model, { precision });
      await writeOutputTo(flags.out, rows);
    } catch (error) {
      fail(this, error);
    }
  }
}
