/**
 * ReportData for the HTML report and terminal summary: from a fresh run
 * (everything known) or from a saved model plus scored customers (what the
 * model file keeps: history, evaluation, weights, target).
 */
import {
  CLASSES,
  methodOf,
  type BandTable,
  type CustomerClass,
  type Evaluation,
  type Model,
  type ModelMethod,
  type ReportData,
} from '@cvnet/core';
import type { MethodRun } from './method-pipeline.js';

/** The target the network learnt, in words, for the report and terminal. */
export function describeTarget(target: ModelMethod['target']): string {
  if (target.kind === 'comprehensive') {
    return 'comprehensive weighted score of all indicators, rescaled from [1, 5] to [0, 1] (the config names no expert target column)';
  }
  if (target.kind === 'expert-class') return `${target.source}: expert classes A–D mapped to the middle of their K interval`;
  return `${target.source}: expert-assessed value K in [0, 1]`;
}

/** An Evaluation rebuilt from the confusion matrix a model file stores. */
export function evaluationFromModel(e: NonNullable<ModelMethod['evaluation']>): Evaluation {
  const zeros = (): Record<CustomerClass, number> => ({ A: 0, B: 0, C: 0, D: 0 });
  const actual = zeros();
  const predicted = zeros();
  const correct = zeros();
  CLASSES.forEach((a, i) =>
    CLASSES.forEach((p, j) => {
      const n = e.confusion[i]![j]!;
      actual[a] += n;
      predicted[p] += n;
      if (i === j) correct[a] += n;
    }),
  );
  return { n: e.n, mse: e.mse, accuracy: e.accuracy, confusion: e.confusion, classes: CLASSES, actual, predicted, correct };
}

export interface ModelReportInput {
  model: Model;
  customers: ReportData['customers'];
  bands: BandTable;
  dataset: string;
  synthetic: boolean;
  generatedAt: string;
  warnings?: readonly string[];
}

/** Report data from a model file and customers scored with it. */
export function reportFromModel(input: ModelReportInput): ReportData {
  const { model } = input;
  const method = methodOf(model);
  const t = model.training;
  const trainSamples = t?.samples?.training;
  const testSamples = method.evaluation?.n;
  return {
    dataset: input.dataset,
    synthetic: input.synthetic,
    generatedAt: input.generatedAt,
    network: {
      inputs: model.inputs.names.length,
      hidden: model.layers[0]!.weights.length,
      outputs: model.layers[model.layers.length - 1]!.weights.length,
      ...(t ? { epochs: t.epochs, bestEpoch: t.bestEpoch, stop: t.stop } : {}),
    },
    bands: input.bands,
    ...(trainSamples !== undefined && testSamples !== undefined ? { sample: { size: trainSamples + testSamples, train: trainSamples, test: testSamples } } : {}),
    ...(t ? { training: { train: t.history.perf, ...(t.history.tperf?.length ? { test: t.history.tperf } : method.evaluation ? { finalTest: method.evaluation.mse } : {}) } } : {}),
    customers: input.customers,
    thresholds: method.thresholds,
    strategies: method.strategies,
    ...(method.evaluation ? { evaluation: evaluationFromModel(method.evaluation) } : {}),
    weights: method.system.indicators.map((i) => ({ id: i.id, name: i.name, dimension: i.dimension, weight: method.weights[i.id] ?? 0 })),
    target: describeTarget(method.target),
    warnings: input.warnings ?? [],
  };
}

/** Report data of a fresh run: adds the AHP matrices and the fitting warnings. */
export function reportFromRun(m: MethodRun, generatedAt: string): ReportData {
  const base = reportFromModel({
    model: m.run.model,
    customers: m.scored.customers.map((c) => ({ id: c.id, k: c.K, class: c.class })),
    bands: m.run.prepared.table,
    dataset: m.input.synthetic ? `${m.input.name} (bundled synthetic survey)` : m.input.path,
    synthetic: m.input.synthetic,
    generatedAt,
    warnings: m.warnings,
  });
  return { ...base, evaluation: m.run.evaluation, matrices: m.run.prepared.weights.matrices };
}

/** The `--json` summary of `cvnet train --config` and `cvnet run`. */
export interface MethodSummary {
  data: string;
  synthetic: boolean;
  config: string;
  seed: number;
  customers: number;
  indicators: string[];
  /** Layer sizes, e.g. "14-29-1". */
  network: string;
  /** Which target the network learnt. */
  target: { kind: ModelMethod['target']['kind']; source: string; description: string };
  bands: BandTable['bands'];
  sample: { size: number; train: number; test: number };
  training: { stop: string; epochs: number; bestEpoch: number; mse: number };
  test: { n: number; mse: number; accuracy: number; confusion: number[][] };
  classes: Record<CustomerClass, number>;
  warnings: string[];
  /** Files written. */
  outputs: Record<string, string>;
}

export function methodSummary(m: MethodRun, outputs: Record<string, string>): MethodSummary {
  const { model, prepared, result, evaluation } = m.run;
  const method = methodOf(model);
  const classes: Record<CustomerClass, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const c of m.scored.customers) classes[c.class]++;
  return {
    data: m.input.path,
    synthetic: m.input.synthetic,
    config: m.loaded.label,
    seed: m.config.seed,
    customers: m.input.rows.length,
    indicators: [...model.inputs.names],
    network: [model.inputs.names.length, ...model.layers.map((l) => l.weights.length)].join('-'),
    target: { ...method.target, description: describeTarget(method.target) },
    bands: prepared.table.bands,
    sample: { size: prepared.sample.indices.length, train: prepared.train.length, test: prepared.test.length },
    training: { stop: result.stop, epochs: result.epochs, bestEpoch: result.bestEpoch, mse: result.history.perf[result.bestEpoch]! },
    test: { n: evaluation.n, mse: evaluation.mse, accuracy: evaluation.accuracy, confusion: evaluation.confusion },
    classes,
    warnings: m.warnings,
    outputs,
  };
}
