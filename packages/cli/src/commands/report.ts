import { join } from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import { OptionsError, bandTable, loadEngine, methodOf, renderReport, renderSummary, scoreWithModel, type QualityReport } from '@cvnet/core';
import { DataError, atomicWriteFile, readModelFile } from '@cvnet/core/data';
import { fail } from '../lib/fail.js';
import { inFile } from '../lib/file-rows.js';
import { isBundledSurvey, readCustomers } from '../lib/method-input.js';
import { reportFromModel } from '../lib/method-report.js';
import { idPolicy, pseudonymizeError, type IdPolicy } from '../lib/pseudonym-output.js';
import { DEFAULT_CLUSTERS, cleanRows, loadQualityPolicy, reportSections } from '../lib/report-sections.js';

export default class Report extends Command {
  static override description = `Write the HTML report for a model and its customers, and print the summary.

From a run directory (written by cvnet run): reads <dir>/model.json and <dir>/customers.csv and writes <dir>/report.html. Or from any customer file and model (--data, --model): scores the customers with the model, as cvnet classify does. The report is one self-contained HTML file (inline SVG charts, no scripts, nothing fetched): bands of current value C, training MSE per epoch with the test MSE, K histogram with the class thresholds, classes, confusion matrix on the test set, indicator weights and strategies. Also: segments with their playbooks (--segments), K-means clusters beside the classes (--clusters) and, with --quality, the decisions of a data-quality policy applied to the customers before scoring. Training-time warnings, AHP consistency ratios and the permutation importance on the test set are in the report cvnet run writes, not in the model file. The report names no customer unless asked (--show-ids) or the ids are pseudonymised (--pseudonymize).`;

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
    quality: Flags.string({ description: 'data-quality policy (JSON/JSONC) applied to the customers before scoring; its decisions go into the report' }),
    segments: Flags.string({ char: 's', description: 'segment map: value17, rfm or a JSON/JSONC file [default: value17 if the indicators allow, else rfm]' }),
    clusters: Flags.integer({ description: `clusters of the K-means section (0: none) [default: ${DEFAULT_CLUSTERS}]`, min: 0 }),
    seed: Flags.integer({ description: 'seed of the k-means++ draws [default: the seed the model was trained with, else 1]', min: 0 }),
    pseudonymize: Flags.boolean({ description: 'show HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY instead of customer ids', default: false }),
    'show-ids': Flags.boolean({ description: 'name customers (by id) in the report; without it the report lists no ids', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    let ids: IdPolicy | undefined;
    try {
      ids = idPolicy(flags.pseudonymize, flags['show-ids']);
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
      const method = methodOf(model, modelPath);
      const engine = await loadEngine();
      const table = await readCustomers(dataPath);
      let { rows, lines } = table;
      let quality: QualityReport | undefined;
      if (flags.quality !== undefined) {
        // Classified files name their id column "id" whatever the training data called it.
        const idColumn = table.header.includes(method.system.idColumn) ? method.system.idColumn : 'id';
        const clean = cleanRows(dataPath, rows, lines, await loadQualityPolicy(flags.quality, idColumn));
        ({ rows, lines } = clean);
        quality = clean.report;
      }
      const scored = inFile(dataPath, DataError, () => scoreWithModel(engine, model, rows, { lines }));
      const sections = await reportSections({
        engine,
        model,
        customers: scored.customers,
        rows,
        ...(flags.segments === undefined ? {} : { segments: flags.segments }),
        ...(flags.clusters === undefined ? {} : { clusters: flags.clusters }),
        seed: flags.seed ?? model.training?.seed ?? 1,
        ...(quality ? { quality } : {}),
        ...(ids.showIds ? { showId: ids.ids } : {}),
      });
      const data = {
        ...reportFromModel({
          model,
          customers: scored.customers.map((c) => ({ id: ids!.ids(c.id), k: c.K, class: c.class })),
          bands: bandTable(scored.customers.map((c) => c.band)),
          dataset: dataPath,
          synthetic: flags.synthetic || isBundledSurvey(dataPath),
          generatedAt: new Date().toISOString(),
          warnings: sections.notes,
        }),
        showIds: ids.showIds,
        sections: sections.html,
      };
      await atomicWriteFile(out, renderReport(data));
      this.log(renderSummary(data).trimEnd());
      this.log(`Wrote ${out}.`);
    } catch (error) {
      fail(this, pseudonymizeError(error, ids));
    }
  }
}
