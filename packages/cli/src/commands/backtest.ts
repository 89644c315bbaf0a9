import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { backtestHtml, CvnetError, loadEngine, parseConfig, type BacktestFigures, type BacktestResult, type BacktestSetup } from '@cvnet/core';
import { atomicWriteFile } from '@cvnet/core/data';
import { backtestTransactions, checkMemoryLimit } from '@cvnet/core/features';
import { JsonCommand } from '../lib/json-command.js';
import { fail } from '../lib/fail.js';
import { loadMapping, stageProgress, summaryLines, transactionFlags } from '../lib/transactions.js';

/** The --json output: the contract plus what the run was. */
export interface BacktestJson {
  model: BacktestFigures;
  rfm: BacktestFigures;
  current: BacktestFigures;
  customers: number;
  setup: BacktestSetup & { epochs: number; seed: number; k: string };
  details: BacktestResult['details'];
  /** What went to stderr as warnings (the data ending inside the horizon). */
  warnings: string[];
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '–');

export default class Backtest extends JsonCommand {
  static override description = `Check the predictive network against what customers did next.

Features are computed twice from the transactions: at a training cut (as-of minus --train-horizon days) with what those customers did up to as-of as targets, and at as-of with what they did in the --horizon days after it. The n–(2n+1)–2 network (outputs: purchase probability, future spend rank) is trained once with traingdx on the first set only and scores the second; K = √(purchase × spendRank). Reported for K and for two baselines from the same run, the plain RFM score (sum of R, F, M quintile scores) and the current value C: Spearman's ρ with future spend, the share of future revenue from class A and from the top 10 % / 25 % of customers, and the AUC for buying at all. --report writes an HTML report with the capture curves and the calibration of the purchase probability.`;

  static override examples = [
    '<%= config.bin %> backtest CDNOW_master.txt --map examples/cdnow/mapping.json --as-of 1997-09-30 --horizon 273',
    '<%= config.bin %> backtest online_retail_invoices.csv --map examples/online-retail/mapping.json --config examples/online-retail/config.json --as-of 2011-09-09 --horizon 90 --report backtest.html --json',
  ];


  static override args = {
    transactions: Args.string({ description: 'transactions file (.csv, .txt, .parquet), or the directory of the mapping\'s tables', required: true }),
  };

  static override flags = {
    'as-of': Flags.string({ description: 'the cut: last day of history, YYYY-MM-DD', required: true }),
    horizon: Flags.integer({ description: 'days after as-of whose spend is predicted (must start before the data ends; a warning when the data ends inside it)', required: true, min: 1 }),
    'train-horizon': Flags.integer({ description: 'days of outcomes (ending on as-of) the network learns from [default: min(horizon, half the history before as-of)]', min: 1 }),
    config: Flags.string({ char: 'c', description: 'project config for the feature columns [default: quintile rules for every column, fixed weights]' }),
    epochs: Flags.integer({ description: 'traingdx epochs [default: config training.epochs, else 1000]', min: 1 }),
    seed: Flags.integer({ description: 'seed of the initial weights [default: config seed]' }),
    report: Flags.string({ description: 'HTML report to write (capture curves, calibration)' }),
    ...transactionFlags,
  };

  async run(): Promise<BacktestJson> {
    const { args, flags } = await this.parse(Backtest);
    try {
      checkMemoryLimit(flags['memory-limit'], '--memory-limit');
      const { mapping, mappingDir } = await loadMapping(flags.map, flags.window);
      const config = flags.config === undefined ? undefined : parseConfig(
        await readFile(flags.config, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new CvnetError('IO', `${flags.config}: cannot read the config file (${error.code ?? error.message})`);
        }),
        flags.config,
      );
      const progress = stageProgress(process.stderr.isTTY === true && !this.jsonEnabled());
      const run = await (async () => {
        try {
          return await backtestTransactions({
            input: args.transactions, mapping, memoryLimit: flags['memory-limit'], threads: flags.threads,
            engine: await loadEngine(), asOf: flags['as-of'], horizonDays: flags.horizon,
            ...(mappingDir === undefined ? {} : { mappingDir }),
            ...(config === undefined ? {} : { config }),
            ...(flags['train-horizon'] === undefined ? {} : { trainHorizonDays: flags['train-horizon'] }),
            ...(flags.epochs === undefined ? {} : { epochs: flags.epochs }),
            ...(flags.seed === undefined ? {} : { seed: flags.seed }),
            ...(progress.onProgress === undefined ? {} : { onProgress: progress.onProgress }),
          });
        } finally {
          progress.done();
        }
      })();
      const { result, setup } = run;
      for (const warning of run.warnings) process.stderr.write(`Warning: ${warning}\n`);
      if (flags.report !== undefined) await atomicWriteFile(flags.report, backtestHtml(result, setup));
      for (const line of summaryLines(run.summary)) this.log(line);
      this.log(`Trained on ${result.details.trainCustomers} customers at ${setup.trainCut} (outcomes over ${setup.trainHorizonDays} days), ${result.details.epochs} epochs; scored ${result.customers} customers at ${setup.asOf}, ${pct(result.details.purchaseRate)} of whom bought in the next ${setup.horizonDays} days.`);
      this.log('');
      this.log(`${'score'.padEnd(18)}${'spearman'.padStart(10)}${'class A'.padStart(10)}${'top 10%'.padStart(10)}${'top 25%'.padStart(10)}${'AUC'.padStart(8)}`);
      const line = (name: string, f: BacktestFigures): string =>
        `${name.padEnd(18)}${f.spearman.toFixed(3).padStart(10)}${pct(f.captureA).padStart(10)}${pct(f.top10).padStart(10)}${pct(f.top25).padStart(10)}${f.auc.toFixed(3).padStart(8)}`;
      this.log(line(`model (${result.details.classA.model} A)`, result.model));
      this.log(line(`RFM (${result.details.classA.rfm} A)`, result.rfm));
      this.log(line(`C (${result.details.classA.current} A)`, result.current));
      if (flags.report !== undefined) this.log(`\nReport written to ${flags.report}.`);
      return {
        model: result.model, rfm: result.rfm, current: result.current, customers: result.customers,
        setup: { ...setup, epochs: result.details.epochs, seed: run.trained.model.training?.seed ?? run.config.seed, k: result.details.k },
        details: result.details,
        warnings: run.warnings,
      };
    } catch (error) {
      return fail(this, error);
    }
  }
}
