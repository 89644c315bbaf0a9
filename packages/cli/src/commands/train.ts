import { randomInt } from 'node:crypto';
import { Args, Flags, type Interfaces } from '@oclif/core';
import {
  DEFAULT_TRAINGDX,
  ModelError,
  OptionsError,
  createNetwork,
  defaultShape,
  loadEngine,
  modelToNetwork,
  networkToModel,
  traingdxParamsSchema,
  trainThreaded,
  trainingRecord,
  type Network,
  type NetworkShape,
  type StopReason,
  type TraingdxParams,
  type TrainingResult,
} from '@cvnet/core';
import {
  DataError,
  locate,
  readModelFile,
  readNumericTable,
  writeModelFile,
  type NumericTable,
} from '@cvnet/core/data';
import { JsonCommand } from '../lib/json-command.js';
import { featureRanges, toDataset } from '../lib/dataset.js';
import { defaultFeatures, type SkippedColumn } from '../lib/default-features.js';
import { methodSummary, type MethodSummary } from '../lib/method-report.js';
import { trainMethod } from '../lib/method-pipeline.js';
import { fail } from '../lib/fail.js';
import { decimalFlag } from '../lib/flags.js';
import { progressLine } from '../lib/progress.js';
import { precisionFlag, resolvePrecision, resolveThreads, threadsFlag } from '../lib/speed-flags.js';
import { splitRows } from '../lib/split.js';

const STOPS: Record<StopReason, string> = {
  goal: 'performance goal met',
  epochs: 'maximum epochs reached',
  min_grad: 'gradient below --min-grad',
  validation: 'validation error worse than its best --max-fail times in a row',
  cancelled: 'cancelled',
};

/** traingdx parameter → its flag, for error messages. */
const PARAM_FLAGS: Record<keyof TraingdxParams, string> = {
  epochs: '--epochs',
  goal: '--goal',
  lr: '--lr',
  lrInc: '--lr-inc',
  lrDec: '--lr-dec',
  maxPerfInc: '--max-perf-inc',
  mc: '--mc',
  minGrad: '--min-grad',
  maxFail: '--max-fail',
};

export interface TrainSummary {
  stop: StopReason;
  epochs: number;
  bestEpoch: number;
  /** Training MSE of the saved (best) network. */
  perf: number;
  /** Validation MSE of the saved network, null without validation. */
  vperf: number | null;
  seed: number;
  out: string;
  target: string;
  features: string[];
  /** Numeric-looking columns the default choice left out, and why (empty with --features or --init). */
  skipped: SkippedColumn[];
  samples: { training: number; validation: number };
}

export default class Train extends JsonCommand {
  static override description = `Train a BP network (traingdx): the customer-value method from a project config, or a plain network on numeric columns.

With --config: the whole method on customer data (indicator scores, weights, current value C and its bands, the stratified sample and its train/test split, the target K, the n–(2n+1)–1 network) to one model file that cvnet classify uses. The target is the config's expert column, or else the comprehensive weighted score; the output says which. Network flags (--hidden, --epochs, --lr, …) override the config's "training" settings and --seed its seed. The file is byte-identical for the same data, config and seed.

With --target: inputs are scaled to [0, 1] with the min and max of the training rows; the ranges are saved in the model so predict scales new data the same way. The network has one tansig hidden layer and a logsig output, so the target must lie in [0, 1]. The model file is written atomically.`;

  static override examples = [
    '<%= config.bin %> train survey.csv --config cvnet.config.jsonc --out model.json',
    '<%= config.bin %> train ifood.csv --config examples/ifood/config.json --epochs 2000 --out model.json --json',
    '<%= config.bin %> train customers.csv --target K --out model.json',
    '<%= config.bin %> train customers.csv --target K --features R,F,M --hidden 9 --validation 0.2 --seed 7 --out model.json',
    '<%= config.bin %> train customers.csv --target K --init start.json --out model.json --json',
    '<%= config.bin %> train big.csv --target K --precision f32 --threads 2 --out model.json',
  ];


  static override args = {
    data: Args.string({ description: 'CSV file with a header row', required: true }),
  };

  static override flags = {
    config: Flags.string({ char: 'c', description: 'project config: train the customer-value method (whole pipeline) instead of a plain network' }),
    'allow-empty-bands': Flags.boolean({ description: 'with --config: train even when a band of current value C has no customers', default: false }),
    target: Flags.string({ description: 'column to learn (values in [0, 1]); required without --config' }),
    features: Flags.string({
      description: 'comma-separated input columns [default: every column with a number in the first row, except the target and "id"; the choice is printed]',
    }),
    hidden: Flags.integer({ description: 'hidden neurons [default: 2 × features + 1]', min: 1 }),
    epochs: Flags.integer({ description: `maximum epochs [default: ${DEFAULT_TRAINGDX.epochs}]`, min: 0 }),
    goal: Flags.string({ description: `stop when the MSE reaches this [default: ${DEFAULT_TRAINGDX.goal}]` }),
    lr: Flags.string({ description: `initial learning rate [default: ${DEFAULT_TRAINGDX.lr}]` }),
    'lr-inc': Flags.string({ description: `learning-rate increase factor [default: ${DEFAULT_TRAINGDX.lrInc}]` }),
    'lr-dec': Flags.string({ description: `learning-rate decrease factor [default: ${DEFAULT_TRAINGDX.lrDec}]` }),
    'max-perf-inc': Flags.string({ description: `largest accepted MSE ratio [default: ${DEFAULT_TRAINGDX.maxPerfInc}]` }),
    mc: Flags.string({ description: `momentum constant [default: ${DEFAULT_TRAINGDX.mc}]` }),
    'min-grad': Flags.string({ description: `stop when the gradient norm falls below this [default: ${DEFAULT_TRAINGDX.minGrad}]` }),
    'max-fail': Flags.integer({ description: `validation failures before stopping [default: ${DEFAULT_TRAINGDX.maxFail}]` }),
    validation: Flags.string({
      description: 'fraction of rows held out (seeded random) for early stopping, 0 ≤ f < 1 [default: 0]',
    }),
    seed: Flags.integer({ description: 'seed of the initial weights and the validation split [default: random, printed]' }),
    init: Flags.string({ description: 'start from the weights (and input ranges) of this model instead of Nguyen–Widrow' }),
    out: Flags.string({ char: 'o', description: 'model file to write', required: true }),
    precision: precisionFlag('trades exactness for about 2× training speed: a close but not identical network, recorded in the model'),
    threads: threadsFlag,
  };

  async run(): Promise<TrainSummary | MethodSummary> {
    const { args, flags } = await this.parse(Train);
    try {
      if (flags.config !== undefined) return await this.trainFromConfig(args.data, flags.config, flags);
      return await this.train(args.data, flags);
    } catch (error) {
      return fail(this, error);
    }
  }

  /** Config mode: the customer-value method to a model file. */
  private async trainFromConfig(path: string, config: string, flags: TrainFlags): Promise<MethodSummary> {
    const plainOnly = (['target', 'features', 'validation', 'init'] as const).filter((name) => flags[name] !== undefined);
    if (plainOnly.length > 0) {
      throw new OptionsError(`--${plainOnly[0]} belongs to plain training and cannot be combined with --config (the config defines indicators and target)`);
    }
    const precision = resolvePrecision(flags.precision);
    const threads = resolveThreads(flags.threads);
    resolveParams(flags); // validates the network flags, naming the flag
    const training = { ...givenParams(flags), ...(flags.hidden === undefined ? {} : { hidden: flags.hidden }) };
    const m = await trainMethod({
      data: path,
      config,
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      training,
      allowEmptyBands: flags['allow-empty-bands'],
      progress: process.stderr.isTTY && process.stdout.isTTY && !this.jsonEnabled(),
      precision,
      threads,
    });
    await writeModelFile(flags.out, m.run.model);
    const summary = methodSummary(m, { model: flags.out });
    for (const w of summary.warnings) process.stderr.write(`Warning: ${w}\n`);
    if (summary.synthetic) this.log('SYNTHETIC DATA (the bundled generated survey, not real customers)');
    this.log(`Trained ${summary.network} on ${summary.sample.train} of the ${summary.sample.size} sampled customers (${summary.customers} in ${path}, seed ${summary.seed}).`);
    this.log(`Target: ${summary.target.description}.`);
    this.log(`Stopped after ${summary.training.epochs} epochs: ${STOPS[summary.training.stop as StopReason]}; training MSE ${summary.training.mse}.`);
    this.log(`Test set (${summary.test.n} customers): MSE ${summary.test.mse}, class accuracy ${(100 * summary.test.accuracy).toFixed(1)} %.`);
    this.log(`Model written to ${flags.out}.`);
    return summary;
  }

  private async train(path: string, flags: TrainFlags): Promise<TrainSummary> {
    if (flags.target === undefined) {
      throw new OptionsError('give --target <column> to train a plain network, or --config <file> to train the customer-value method');
    }
    const params = resolveParams(flags);
    const precision = resolvePrecision(flags.precision);
    const threads = resolveThreads(flags.threads);
    const fraction = decimalFlag('--validation', flags.validation) ?? 0;
    if (!(fraction >= 0 && fraction < 1)) throw new OptionsError(`--validation must be at least 0 and below 1, got ${fraction}`);
    const seed = flags.seed ?? randomInt(0, 2 ** 31 - 1);
    const init = flags.init === undefined ? undefined : await readModelFile(flags.init);
    const target: string = flags.target;

    const given = flags.features !== undefined
      ? flags.features.split(',').map((name) => name.trim()).filter((name) => name !== '')
      : init?.inputs.names;
    const choice = given === undefined ? await defaultFeatures(path, target) : { features: given, skipped: [] };
    const table = await readNumericTable(path, (header, first) => {
      if (first === undefined) throw new DataError(`${path}: no data rows below the header`);
      const { features } = choice;
      const repeated = features.find((name, i) => features.indexOf(name) !== i);
      if (repeated !== undefined) throw new OptionsError(`--features lists "${repeated}" twice`);
      if (features.includes(target)) throw new DataError(`${path}: the target "${target}" cannot also be a feature`, { column: target });
      if (features.length === 0) {
        throw new DataError(`${path}: no numeric feature columns besides the target (columns: ${header.join(', ')})`);
      }
      return [...features, target];
    });
    const features = table.columns.slice(0, -1);
    checkTargets(table);
    const { training, validation } = splitRows(table.rows, fraction, seed, path);

    const ranges = init?.inputs ?? featureRanges(table, training, features.length);
    const net = init !== undefined ? initialNetwork(init, flags.init!, features, flags.hidden) : createNetwork(
      flags.hidden === undefined
        ? defaultShape(features.length, 1)
        : { inputs: features.length, sizes: [flags.hidden, 1], transfers: ['tansig', 'logsig'] },
      // Normalised inputs span [0, 1], except constant columns, which scale to 0
      // and which Nguyen–Widrow then leaves out, as MATLAB's initnw does.
      { seed, inputRanges: features.map((_, j) => [0, ranges.max[j]! > ranges.min[j]! ? 1 : 0] as const) },
    );
    const trainSet = toDataset(table, training, features.length, ranges);
    const validationSet = validation.length > 0 ? toDataset(table, validation, features.length, ranges) : undefined;

    const progress = process.stderr.isTTY && process.stdout.isTTY && !this.jsonEnabled()
      ? progressLine(process.stderr, params.epochs)
      : undefined;
    const options = {
      params,
      precision,
      ...(validationSet === undefined ? {} : { validation: validationSet }),
      ...(progress === undefined ? {} : { onProgress: progress.onProgress, progressEvery: Math.max(1, Math.floor(params.epochs / 500)) }),
    };
    let result: TrainingResult;
    try {
      // One thread stays on the in-process engine: no workers to start.
      result = threads === 1
        ? (await loadEngine()).train(net, trainSet, options)
        : await trainThreaded(net, trainSet, { ...options, threads });
    } finally {
      progress?.done();
    }

    const samples = { training: training.length, validation: validation.length };
    const model = networkToModel(result.network, {
      createdAt: new Date().toISOString(),
      cvnetVersion: this.config.version,
      inputs: { names: features, min: ranges.min, max: ranges.max },
      outputs: { names: [target] },
      training: trainingRecord(result, params, { seed, validation: fraction, samples, precision, threads }),
    });
    await writeModelFile(flags.out, model);

    const summary: TrainSummary = {
      stop: result.stop,
      epochs: result.epochs,
      bestEpoch: result.bestEpoch,
      perf: result.history.perf[result.bestEpoch]!,
      vperf: result.history.vperf[result.bestEpoch] ?? null,
      seed,
      out: flags.out,
      target,
      features,
      skipped: choice.skipped,
      samples,
    };
    const vperf = summary.vperf === null ? '' : `, validation MSE ${summary.vperf}`;
    this.log(`Features: ${features.join(', ')}${given === undefined ? ' (every column with a number in the first row, except the target and "id")' : ''}.`);
    if (summary.skipped.length > 0) this.log(`Skipped: ${summary.skipped.map((s) => `${s.column} (${s.reason})`).join(', ')}.`);
    this.log(`Stopped after ${result.epochs} epochs: ${STOPS[result.stop]}.`);
    this.log(`Best epoch ${result.bestEpoch}: MSE ${summary.perf}${vperf}.`);
    this.log(`Model (${features.length}–${net.sizes.join('–')}, seed ${seed}) written to ${flags.out}.`);
    return summary;
  }
}

type TrainFlags = Interfaces.InferredFlags<typeof Train.flags>;

/** The traingdx parameters given as flags (absent ones left out). */
function givenParams(flags: TrainFlags): Partial<TraingdxParams> {
  const given: Partial<Record<keyof TraingdxParams, number | undefined>> = {
    epochs: flags.epochs,
    goal: decimalFlag('--goal', flags.goal),
    lr: decimalFlag('--lr', flags.lr),
    lrInc: decimalFlag('--lr-inc', flags['lr-inc']),
    lrDec: decimalFlag('--lr-dec', flags['lr-dec']),
    maxPerfInc: decimalFlag('--max-perf-inc', flags['max-perf-inc']),
    mc: decimalFlag('--mc', flags.mc),
    minGrad: decimalFlag('--min-grad', flags['min-grad']),
    maxFail: flags['max-fail'],
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

/** traingdx parameters from the flags, checked with the engine's schema. */
function resolveParams(flags: TrainFlags): TraingdxParams {
  const defined = givenParams(flags);
  const parsed = traingdxParamsSchema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = PARAM_FLAGS[issue.path[0] as keyof TraingdxParams] ?? 'options';
    throw new OptionsError(`${flag}: ${issue.message}`);
  }
  return parsed.data;
}

/** Every target must be producible by the logsig output layer. */
function checkTargets(table: NumericTable): void {
  const width = table.columns.length;
  const target = table.columns[width - 1]!;
  for (let row = 0; row < table.rows; row++) {
    const value = table.data[row * width + width - 1]!;
    if (value < 0 || value > 1) {
      throw new DataError(
        `${locate(table.path, table.lines[row], target)}: target ${value} is outside [0, 1], the range of the logsig output; rescale the target to [0, 1] first`,
        { row: table.lines[row], column: target },
      );
    }
  }
}

/** The network of an --init model, after checking it fits the data and flags. */
function initialNetwork(init: Parameters<typeof modelToNetwork>[0], source: string, features: readonly string[], hidden: number | undefined): Network {
  const net = modelToNetwork(init);
  const names = init.inputs.names;
  if (names.length !== features.length || names.some((name, i) => name !== features[i])) {
    throw new ModelError(`${source}: model inputs are ${names.join(', ')}, but training uses ${features.join(', ')}`);
  }
  const shape: NetworkShape = net;
  if (shape.sizes[shape.sizes.length - 1] !== 1) {
    throw new ModelError(`${source}: model has ${shape.sizes[shape.sizes.length - 1]} outputs, training has one target`);
  }
  if (hidden !== undefined && (shape.sizes.length !== 2 || shape.sizes[0] !== hidden)) {
    throw new ModelError(`${source}: model has layers ${shape.sizes.join('–')}, but --hidden asks for ${hidden}–1`);
  }
  return net;
}
