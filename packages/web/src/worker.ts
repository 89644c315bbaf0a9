/**
 * The training worker: parses files, trains with core's trainCustomerValue and
 * scores with scoreWithModel (the same calls as `cvnet classify`, on the same
 * Wasm module, so the numbers agree to the last digit). Training is one
 * synchronous Wasm call, so the page stays responsive only because it runs here.
 */
import {
  CvnetError, defaultConfig, explainCustomers, generateSurvey, loadEngine, parseConfig, parseModelText, scoreWithModel,
  serializeModel, toCsv, trainCustomerValue, type Model, type ProjectConfig, type ScoredBatch,
} from '@cvnet/core';
import { decodeCsvBytes } from '@cvnet/core/csv-text';
import { classifiedCsv } from './classified.js';
import { parseCustomers, type CustomerTable } from './csv.js';
import type { Failure, InputFile, Request, Response, Result, Training } from './protocol.js';

const post = (message: Response): void => (self as unknown as Worker).postMessage(message);

/** How often the live curve is sent: often enough to look live, rarely enough to cost nothing. */
const PROGRESS_MS = 100;

/** An error tagged with the input it came from, so the page can say which file is wrong. */
class InputError extends Error {
  constructor(readonly input: Failure['input'], readonly file: string | undefined, readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** A customer CSV's text; Blob.text() would turn bytes that are not UTF-8 into U+FFFD silently. */
const csvText = async (blob: Blob): Promise<string> => decodeCsvBytes(new Uint8Array(await blob.arrayBuffer()));

async function read<T>(input: Failure['input'], file: InputFile, parse: (text: string) => T, text = (blob: Blob) => blob.text()): Promise<T> {
  try {
    return parse(await text(file.blob));
  } catch (error) {
    throw new InputError(input, file.name, error);
  }
}

/** Runs `body`; customer-data errors from core are blamed on the data file. */
function blameData<T>(data: InputFile, body: () => T, other: Failure['input'], otherFile?: string): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof CvnetError && error.code === 'DATA') throw new InputError('data', data.name, error);
    throw new InputError(other, otherFile, error);
  }
}

/** The last result's model and customers, kept so a click in the page can be explained without resending them. */
let last: { model: Model; scored: ScoredBatch } | undefined;

function result(mode: Result['mode'], model: Model, modelName: string, scored: ScoredBatch, warnings: string[], training?: Training): Result {
  const method = model.method!;
  last = { model, scored };
  return {
    type: 'result',
    mode,
    customers: scored.customers.map(({ id, C, band, K, class: cls, strategy }) => ({ id, C, band, K, class: cls, strategy })),
    thresholds: method.thresholds,
    strategies: method.strategies,
    csv: classifiedCsv(scored),
    model: { name: modelName, text: serializeModel(model) },
    ...(training ? { training } : {}),
    warnings,
  };
}

const stem = (name: string): string => name.replace(/\.[^.]*$/, '') || 'customers';

async function train(req: Extract<Request, { type: 'train' }>): Promise<void> {
  const table: CustomerTable = await read('data', req.data, parseCustomers, csvText);
  let config: ProjectConfig = req.config ? await read('config', req.config, (t) => parseConfig(t, req.config!.name)) : defaultConfig();
  if (req.seed !== undefined) config = { ...config, seed: req.seed };
  const engine = await loadEngine().catch((e: unknown) => Promise.reject(new InputError('engine', undefined, e)));

  const flag = req.cancel ? new Int32Array(req.cancel) : undefined;
  let epochs: number[] = [];
  let perf: number[] = [];
  let sent = performance.now();
  const flush = (): void => {
    if (epochs.length) post({ type: 'progress', epochs, perf });
    epochs = [];
    perf = [];
    sent = performance.now();
  };
  const numbering = { lines: table.lines };
  const run = blameData(req.data, () => trainCustomerValue(engine, config, table.rows, {
    numbering,
    progressEvery: 1,
    createdAt: new Date().toISOString(),
    onProgress: (e) => {
      epochs.push(e.epoch);
      perf.push(e.perf);
      if (performance.now() - sent > PROGRESS_MS) flush();
      // The page sets the flag while this synchronous call runs; a message could not arrive.
      return flag === undefined || Atomics.load(flag, 0) === 0;
    },
  }), req.config ? 'config' : 'engine', req.config?.name);
  flush();
  if (run.result.stop === 'cancelled') {
    post({ type: 'cancelled', epoch: run.result.epochs });
    return;
  }
  const scored = blameData(req.data, () => scoreWithModel(engine, run.model, table.rows, numbering), 'engine');
  const { prepared, result: r, evaluation } = run;
  post(result('train', run.model, `${stem(req.data.name)}.model.json`, scored, prepared.warnings, {
    perf: r.history.perf,
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    stop: r.stop,
    network: `${r.network.inputs}–${r.network.sizes.join('–')}`,
    sample: { size: prepared.sample.indices.length, train: prepared.train.length, test: prepared.test.length },
    evaluation: { n: evaluation.n, mse: evaluation.mse, accuracy: evaluation.accuracy },
  }));
}

async function score(req: Extract<Request, { type: 'score' }>): Promise<void> {
  const model = await read('model', req.model, (t) => parseModelText(t, req.model.name));
  const table = await read('data', req.data, parseCustomers, csvText);
  const engine = await loadEngine().catch((e: unknown) => Promise.reject(new InputError('engine', undefined, e)));
  const scored = blameData(req.data, () => scoreWithModel(engine, model, table.rows, { lines: table.lines }), 'model', req.model.name);
  post(result('score', model, req.model.name, scored, []));
}

function explain(index: number): void {
  const c = last?.scored.customers[index];
  if (!last || !c) throw new InputError('engine', undefined, new Error(`no customer ${index + 1} to explain: train or score first`));
  const ex = explainCustomers(last.model, [c.scores]);
  const names = new Map(last.model.method!.system.indicators.map((i) => [i.id, i.name]));
  post({
    type: 'explanation',
    index,
    id: c.id,
    K: c.K,
    kBase: ex.kBase,
    indicators: ex.indicators.map((id) => ({ id, name: names.get(id) ?? id })),
    contributions: ex.customers[0]!.contributions,
  });
}

function failure(error: unknown): Failure {
  const e = error instanceof InputError ? error : new InputError('engine', undefined, error);
  const cause = e.error as { row?: unknown; column?: unknown } | null;
  return {
    type: 'error',
    input: e.input,
    message: e.file ? `${e.file}: ${e.message}` : e.message,
    ...(typeof cause?.row === 'number' ? { row: cause.row } : {}),
    ...(typeof cause?.column === 'string' ? { column: cause.column } : {}),
  };
}

self.onmessage = async (event: MessageEvent<Request>): Promise<void> => {
  const req = event.data;
  try {
    if (req.type === 'train') await train(req);
    else if (req.type === 'score') await score(req);
    else if (req.type === 'explain') explain(req.index);
    else {
      const text = toCsv(generateSurvey({ customers: req.customers, seed: req.seed }));
      post({ type: 'demo', file: { name: `synthetic-survey-seed${req.seed}.csv`, text } });
    }
  } catch (error) {
    post(failure(error));
  }
};
