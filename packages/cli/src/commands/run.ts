import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { renderReport, renderSummary, serializeModel } from '@cvnet/core';
import { atomicWriteFile, makeDirectory } from '@cvnet/core/data';
import { JsonCommand } from '../lib/json-command.js';
import { fail } from '../lib/fail.js';
import { BUNDLED_SURVEY } from '../lib/method-input.js';
import { formatBatch } from '../lib/method-output.js';
import { trainMethod } from '../lib/method-pipeline.js';
import { methodSummary, reportFromRun, type MethodSummary } from '../lib/method-report.js';
import { idPolicy, pseudonymizeError, type IdPolicy } from '../lib/pseudonym-output.js';
import { DEFAULT_CLUSTERS, reportSections } from '../lib/report-sections.js';
import { precisionFlag, resolvePrecision, resolveThreads, threadsFlag } from '../lib/speed-flags.js';

export default class Run extends JsonCommand {
  static override description = `Run the whole customer-value method and write the report: the main job.

Scores the indicators, weighs them, pre-classifies by current value C, draws the stratified sample, trains the n–(2n+1)–1 network with traingdx, evaluates it on the test part and classifies every customer. Writes <out>/customers.csv (as cvnet classify), <out>/model.json and <out>/report.html (self-contained, with charts), each atomically, and prints a summary. Without a data file it runs on the bundled synthetic survey of 548 generated customers (packages/cli/data/synthetic-survey-548.csv), so one command shows the whole method; everything it writes is labelled synthetic.

The report also has the customers' segments with their playbooks (--segments: value17 when the indicators allow it, else rfm), the permutation importance of every indicator on the test set (seeded with the config's seed), K-means clusters beside the classes (--clusters, 0 for none) and, with --quality, every decision of the data-quality policy, which is applied to the rows before anything is fitted. The report names no customer unless asked (--show-ids) or the ids are pseudonymised (--pseudonymize: HMAC-SHA256 keyed by $CVNET_PSEUDONYM_KEY, in customers.csv and the report alike).`;

  static override examples = [
    '<%= config.bin %> run',
    '<%= config.bin %> run survey.csv --config cvnet.config.jsonc --out results',
    '<%= config.bin %> run ifood_ml_project1_data.csv --config examples/ifood/config.json --out ifood-run',
    '<%= config.bin %> run ifood_ml_project1_data.csv --config examples/ifood/config.json --quality examples/quality/ifood.json --out ifood-run',
  ];


  static override args = {
    data: Args.string({ description: 'customer CSV file [default: the bundled synthetic survey]' }),
  };

  static override flags = {
    config: Flags.string({ char: 'c', description: 'project config [default: ./cvnet.config.jsonc if present, else the study\'s config]' }),
    out: Flags.string({ char: 'o', description: 'directory to write customers.csv, model.json and report.html into', default: 'cvnet-out' }),
    seed: Flags.integer({ description: 'seed of the sample and the initial weights (overrides the config\'s seed)', min: 0 }),
    'allow-empty-bands': Flags.boolean({ description: 'run even when a band of current value C has no customers', default: false }),
    quality: Flags.string({ description: 'data-quality policy (JSON/JSONC): duplicates, missing values and outliers, applied before fitting; its decisions go into the report' }),
    segments: Flags.string({ char: 's', description: 'segment map for the report: value17, rfm or a JSON/JSONC file [default: value17 if the indicators allow, else rfm]' }),
    clusters: Flags.integer({ description: `clusters of the report's K-means section (0: none) [default: ${DEFAULT_CLUSTERS}]`, min: 0 }),
    pseudonymize: Flags.boolean({ description: 'write HMAC-SHA256 pseudonyms keyed by $CVNET_PSEUDONYM_KEY instead of customer ids, in every file', default: false }),
    'show-ids': Flags.boolean({ description: 'name customers (by id) in the report; without it the report lists no ids', default: false }),
    precision: precisionFlag('trades exactness for about 2× training speed: a close but not identical network, recorded in the model'),
    threads: threadsFlag,
  };

  async run(): Promise<MethodSummary> {
    const { args, flags } = await this.parse(Run);
    let ids: IdPolicy | undefined;
    try {
      ids = idPolicy(flags.pseudonymize, flags['show-ids']);
      const m = await trainMethod({
        data: args.data ?? BUNDLED_SURVEY,
        ...(flags.config === undefined ? {} : { config: flags.config }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        allowEmptyBands: flags['allow-empty-bands'],
        ...(flags.quality === undefined ? {} : { quality: flags.quality }),
        progress: process.stderr.isTTY && process.stdout.isTTY && !this.jsonEnabled(),
        precision: resolvePrecision(flags.precision),
        threads: resolveThreads(flags.threads),
      });
      const { test, target } = m.run.prepared;
      const sections = await reportSections({
        engine: m.engine,
        model: m.run.model,
        customers: m.scored.customers,
        rows: m.input.rows,
        ...(flags.segments === undefined ? {} : { segments: flags.segments }),
        ...(flags.clusters === undefined ? {} : { clusters: flags.clusters }),
        seed: m.config.seed,
        test: { scores: test.map((r) => m.scored.customers[r]!.scores), target: test.map((r) => target.values[r]!) },
        ...(m.quality ? { quality: m.quality } : {}),
        ...(ids.showIds ? { showId: ids.ids } : {}),
      });
      const base = reportFromRun(m, new Date().toISOString());
      const report = {
        ...base,
        customers: base.customers.map((c) => ({ ...c, id: ids!.ids(c.id) })),
        showIds: ids.showIds,
        sections: sections.html,
        warnings: [...base.warnings, ...sections.notes],
      };
      const files = { customers: join(flags.out, 'customers.csv'), model: join(flags.out, 'model.json'), report: join(flags.out, 'report.html') };
      // Everything is computed before the directory is touched, so bad input leaves nothing behind.
      const texts = [
        [files.customers, formatBatch(m.scored, 'csv', true, { ids: ids.ids })],
        [files.model, serializeModel(m.run.model)],
        [files.report, renderReport(report)],
      ] as const;
      await makeDirectory(flags.out);
      for (const [path, text] of texts) await atomicWriteFile(path, text);

      const summary = methodSummary(m, files);
      this.log(renderSummary(report).trimEnd());
      this.log(`Config: ${m.loaded.label}`);
      this.log(`Wrote ${files.customers}, ${files.model} and ${files.report}.`);
      return summary;
    } catch (error) {
      return fail(this, pseudonymizeError(error, ids));
    }
  }
}
