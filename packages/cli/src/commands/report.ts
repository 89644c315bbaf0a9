import { join } from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import { OptionsError, bandTable, loadEngine, methodOf, renderReport, renderSummary, type Band, type CustomerClass } from '@cvnet/core';
import { atomicWriteFile, openCsv, readModelFile } from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { isBundledSurvey } from '../lib/method-input.js';
import { scoreStream } from '../lib/method-output.js';
import { reportFromModel } from '../lib/method-report.js';

export default class Report extends Command {
  static override description = `Write the HTML report for a model and its customers, and print the summary.

From a run directory (written by cvnet run): reads <dir>/model.json and <dir>/customers.csv and writes <dir>/report.html. Or from any customer file and model (--data, --model): scores the customers with the model, as cvnet classify does. The report is one self-contained HTML file (inline SVG charts, no scripts, nothing fetched): bands of current value C, training MSE per epoch with the test MSE, K histogram with the class thresholds, classes, confusion matrix on the test set, indicator weights and strategies. Training-time warnings and AHP consistency ratios are in the report cvnet run writes, not in the model file.`;

  static override examples = [
    '<%= config.bin %> report cvnet-out',
    '<%= config.bin %> report --model model.json --data march.csv --out march-report.html',
  ];

  static override args = {
    dir: Args.string({ description: 'run directory written by cvnet run' }),
  };

  static override flags = {
    model: Flags.string({ char: 'm', description: 'model file (instead of a run directory)' }),
    data: Flags.string({ char: 'd', description: 'customer CSV file to score and report on (instead of a run directory)' }),
    out: Flags.string({ char: 'o', description: 'HTML file to write [default: <dir>/report.html, or report.html]' }),
    synthetic: Flags.boolean({ description: 'label the report as synthetic data [default: only for the bundled survey]', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    try {
      if (args.dir !== undefined && (flags.model !== undefined || flags.data !== undefined)) {
        throw new OptionsError('give a run directory or --model and --data, not both');
      }
      if (args.dir === undefined && (flags.model === undefined || flags.data === undefined)) {
        throw new OptionsError('give a run directory (written by cvnet run), or both --model and --data');
      }
      const modelPath = flags.model ?? join(args.dir!, 'model.json');
      const dataPath = flags.data ?? join(args.dir!, 'customers.csv');
      const out = flags.out ?? (args.dir === undefined ? 'report.html' : join(args.dir, 'report.html'));
      const model = await readModelFile(modelPath);
      methodOf(model, modelPath);
      const engine = await loadEngine();
      const customers: { id: string; k: number; class: CustomerClass }[] = [];
      const bands: Band[] = [];
      for await (const batch of scoreStream(engine, model, await openCsv(dataPath))) {
        for (const c of batch.customers) {
          customers.push({ id: c.id, k: c.K, class: c.class });
          bands.push(c.band);
        }
      }
      const data = reportFromModel({
        model,
        customers,
        bands: bandTable(bands),
        dataset: dataPath,
        synthetic: flags.synthetic || isBundledSurvey(dataPath),
        generatedAt: new Date().toISOString(),
      });
      await atomicWriteFile(out, renderReport(data));
      this.log(renderSummary(data).trimEnd());
      this.log(`Wrote ${out}.`);
    } catch (error) {
      fail(this, error);
    }
  }
}
