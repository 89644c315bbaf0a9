import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script without type declarations
import { modelValidatorSource } from '../../scripts/model-validator.js';
import { readModelFile } from '../data/model-file.js';
import { ModelError } from '../errors.js';
import { defaultConfig } from '../indicators/defaults.js';
import { cutsAscending, scoresFitCuts, thresholdsOrdered } from '../indicators/rule-checks.js';
import { trainCustomerValue } from '../method/train-model.js';
import { createNetwork } from '../network/init.js';
import { referenceEngine } from '../network/reference.js';
import { generateSurvey } from '../synthetic/survey.js';
import { parseModelFast } from './fast-parse.js';
import { networkToModel, parseModel, parseModelText, serializeModel } from './model.js';
import { modelV1Schema, type Model } from './schema.js';

const generated = fileURLToPath(new URL('./model-validator.generated.ts', import.meta.url));

// Regenerate with: CVNET_UPDATE_SCHEMA=1 npx vitest run packages/core/src/model
it('the generated validator matches the zod schema', () => {
  const refinements = new Map<unknown, string>([[scoresFitCuts, 'scoresFitCuts'], [cutsAscending, 'cutsAscending'], [thresholdsOrdered, 'thresholdsOrdered']]);
  const expected = modelValidatorSource(modelV1Schema, refinements) as string;
  if (process.env.CVNET_UPDATE_SCHEMA === '1') writeFileSync(generated, expected);
  expect(readFileSync(generated, 'utf8')).toBe(expected);
});

const net = createNetwork({ inputs: 3, sizes: [2, 1], transfers: ['tansig', 'logsig'] }, { seed: 5 });
const info = { inputs: { names: ['a', 'b', 'c'], min: [0, -1, 2], max: [1, 1, 4] }, outputs: { names: ['K'] } };
const params = { epochs: 2, goal: 0, lr: 0.01, lrInc: 1.05, lrDec: 0.7, maxPerfInc: 1.04, mc: 0.9, minGrad: 1e-5, maxFail: 6 };
const history = { perf: [0.3, 0.2, 0.1], lr: [0.01, 0.0105, 0.011], gradient: [1, 0.5, 0.25], vperf: [] };

/** Plain models that use every optional field of the schema, and none. */
const plainModels: Record<string, Model> = {
  bare: networkToModel(net, info),
  trained: networkToModel(net, {
    ...info,
    createdAt: '2026-01-01T00:00:00.000Z',
    cvnetVersion: '0.1.0',
    training: {
      params, stop: 'epochs', bestEpoch: 2, epochs: 2, seed: 3, validation: 0.2,
      samples: { training: 8, validation: 2 }, precision: 'f32', threads: 2,
      history: { ...history, vperf: [0.4, 0.3, 0.2], tperf: [0.5, 0.4, 0.3] },
    },
  }),
  minimalTraining: networkToModel(net, { ...info, training: { params, stop: 'goal', bestEpoch: 0, epochs: 2, history } }),
};

/**
 * A method model as cvnet train writes it (one hidden neuron, to keep the
 * mutants few), its first indicators given every source and fitted rule
 * kind the schema has.
 */
function methodModel(): Model {
  const rows = generateSurvey({ customers: 120, seed: 2 }) as unknown as Record<string, string | number>[];
  const { model } = trainCustomerValue(referenceEngine, { ...defaultConfig(), training: { epochs: 2, hidden: 1 } }, rows);
  const indicators = model.method!.system.indicators.map((indicator, i) => {
    switch (i) {
      case 0: return { ...indicator, source: { column: 'visits' }, from: 'quantile' as const, rule: { type: 'cuts' as const, cuts: [1.5, 2.5, 3.5], scores: [1, 2, 3, 4], missingScore: null } };
      case 1: return { ...indicator, source: 'segment', from: 'categorical' as const, rule: { type: 'categorical' as const, map: { gold: 5, basic: 1 }, default: null, missingScore: 3 } };
      case 2: return { ...indicator, source: { sum: ['a', 'b'] } };
      case 3: return { ...indicator, source: { count_positive: ['c'] } };
      case 4: return { ...indicator, source: { days_since: 'last', asOf: '2024-01-31' }, from: 'cuts' as const, rule: { type: 'cuts' as const, cuts: [30], scores: [5, 1], missingScore: 1 } };
      default: return indicator;
    }
  });
  return { ...model, method: { ...model.method!, system: { ...model.method!.system, indicators } } };
}

/** zod's answer for a model file's text: the model, or the error message. */
function reference(text: string): { model: Model } | { error: string } {
  try {
    return { model: parseModelText(text, 'm.json') };
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    return { error: error.message };
  }
}

// Values that break some field or other: wrong types, empty, untrimmed,
// not a date, negative, fractional, unsafe integers, too long for a
// string's .length when counted in code points, and Infinity (what
// JSON.parse makes of 1e999).
const INFINITY = '__infinity__';
const replacements: unknown[] = [null, true, 'x', '', ' x', 'x\n', '\u00a0', '2024-1-31', '\u{1F600}', -1, 0, -0, 0.5, 1.5, 3, 257, 2 ** 31, 2 ** 53, -(2 ** 53), INFINITY, [], [1], {}];

/** Every model obtained from `model` by one change: a key deleted or added, a value replaced, an array emptied or shortened. */
function* mutants(model: unknown): Generator<string> {
  const json = JSON.parse(serializeModel(model as Model)) as unknown;
  const text = (value: unknown) => JSON.stringify(value).replaceAll(`"${INFINITY}"`, '1e999');
  function* at(node: unknown, set: (value: unknown) => void): Generator<string> {
    for (const value of replacements) {
      set(value);
      yield text(json);
    }
    set(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) yield* at(node[i], (value) => { node[i] = value; });
      const last = node.pop();
      yield text(json);
      if (last !== undefined) node.push(last);
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const value = record[key];
        delete record[key];
        yield text(json);
        record[key] = value;
        yield* at(value, (v) => { record[key] = v; });
      }
      record.extra = 1;
      yield text(json);
      delete record.extra;
    }
  }
  yield* at(json, () => undefined);
  yield text(json);
}

describe('the generated fast path of reading a model', () => {
  it('accepts exactly the models that zod accepts and returns unchanged, and returns them as zod does', () => {
    let accepted = 0;
    let rejected = 0;
    let zodOnly = 0;
    for (const model of [...Object.values(plainModels), methodModel()]) {
      for (const text of mutants(model)) {
        const fast = parseModelFast(JSON.parse(text));
        const ref = reference(text);
        if (fast !== undefined) {
          accepted++;
          // Never accepts what zod refuses, and gives zod's model.
          expect(ref, text).toHaveProperty('model');
          expect(fast).toStrictEqual((ref as { model: Model }).model);
        } else if ('error' in ref) {
          rejected++;
        } else {
          // zod accepts it, but only by changing it (a default filled in):
          // the fast path leaves such files to zod.
          zodOnly++;
          expect(isDeepStrictEqual(ref.model, JSON.parse(text)), text).toBe(false);
        }
      }
    }
    // The mutations reach all three outcomes, so the checks above are not vacuous.
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(500);
    expect(zodOnly).toBeGreaterThan(5);
  });

  it('reads method models as zod does', async () => {
    const text = serializeModel(methodModel());
    expect(parseModelFast(JSON.parse(text))).toStrictEqual(parseModelText(text));
    const dir = mkdtempSync(join(tmpdir(), 'cvnet-fast-parse-'));
    try {
      writeFileSync(join(dir, 'method.json'), text);
      expect(await readModelFile(join(dir, 'method.json'))).toStrictEqual(parseModelText(text));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves each refinement JSON Schema cannot state to zod, which refuses it', () => {
    const model = methodModel();
    const broken = (edit: (m: { method: { thresholds: Record<string, number>; system: { indicators: { rule: Record<string, unknown> }[] } } }) => void): unknown => {
      const json = JSON.parse(serializeModel(model));
      edit(json);
      return json;
    };
    const cases = {
      'thresholds out of order': broken((m) => { m.method.thresholds.B = 0.8; }),
      'cuts not ascending': broken((m) => { m.method.system.indicators[0]!.rule.cuts = [2.5, 1.5, 3.5]; }),
      'a score too few': broken((m) => { m.method.system.indicators[0]!.rule.scores = [1, 2, 3]; }),
    };
    for (const [name, json] of Object.entries(cases)) {
      expect(parseModelFast(json), name).toBeUndefined();
      expect(() => parseModel(json), name).toThrow(ModelError);
    }
  });
});

describe('readModelFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvnet-model-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('gives zod\'s error message, with the file name, for every file the fast path rejects', async () => {
    const broken = JSON.parse(serializeModel(plainModels.trained!));
    broken.layers[0].weights[1][2] = 'x';
    const cases = {
      'not-json.json': '{"format":',
      'array.json': '[1, 2]',
      'keras.json': JSON.stringify({ ...broken, format: 'keras' }),
      'v7.json': JSON.stringify({ ...broken, version: 7 }),
      'weight.json': JSON.stringify(broken),
      'shape.json': JSON.stringify({ ...plainModels.bare, outputs: { names: ['K', 'L'] } }),
      'extra.json': JSON.stringify({ ...plainModels.bare, extra: 1 }),
    };
    for (const [name, text] of Object.entries(cases)) {
      const path = write(name, text);
      // Broken JSON never reaches the fast path: readModelFile parses first.
      if (name !== 'not-json.json') expect(parseModelFast(JSON.parse(text))).toBeUndefined();
      await expect(readModelFile(path)).rejects.toThrow(new ModelError(parseModelError(text, path)));
    }
  });

  it('reads a file that leaves training parameters to their defaults through zod, defaults filled in', async () => {
    const json = JSON.parse(serializeModel(plainModels.trained!));
    delete json.training.params.lr;
    const text = JSON.stringify(json);
    expect(parseModelFast(JSON.parse(text))).toBeUndefined();
    const model = await readModelFile(write('defaults.json', text));
    expect(model.training?.params.lr).toBe(0.01);
    expect(model).toStrictEqual(parseModelText(text));
  });

  /** Runs `body` (ES module code) on the built package under a loader hook; its output and every module it loaded. */
  const underHook = (body: string): { stdout: string; loaded: string[] } => {
    const hook = `data:text/javascript,${encodeURIComponent('export async function load(url, context, next) { console.error("LOADED " + url); return next(url, context); }')}`;
    const script = `import { register } from 'node:module';\nregister(${JSON.stringify(hook)});\n${body}`;
    const root = fileURLToPath(new URL('../../../..', import.meta.url));
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
    expect(child.status, child.stderr).toBe(0);
    const loaded = child.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice(7));
    expect(loaded.some((url) => url.endsWith('/model/fast-parse.js'))).toBe(true);
    return { stdout: child.stdout.trim(), loaded };
  };

  it('reads and scores with a plain model without loading zod at all (cvnet predict\'s start-up)', () => {
    const path = write('plain.json', serializeModel(plainModels.trained!));
    const { stdout, loaded } = underHook(`const { readModelFile } = await import('@cvnet/core/data');
const { loadScorer, modelToNetwork } = await import('@cvnet/core/lean');
const model = await readModelFile(${JSON.stringify(path)});
const k = (await loadScorer()).forward(modelToNetwork(model), new Float64Array(model.inputs.names.length), 1);
console.log(model.inputs.names.join(','), Number.isFinite(k[0]));`);
    expect(stdout).toBe('a,b,c true');
    expect(loaded.filter((url) => /\/model\/(schema|model)\.js$|\/indicators\/(?!rule-checks\.js$)|\/method\/|\/node_modules\/zod\//.test(url))).toEqual([]);
  });

  it('reads a method model without loading zod either (cvnet classify\'s start-up)', () => {
    const path = write('method.json', serializeModel(methodModel()));
    const { stdout, loaded } = underHook(`const { readModelFile } = await import('@cvnet/core/data');
const { methodOf } = await import('@cvnet/core/scoring');
console.log(methodOf(await readModelFile(${JSON.stringify(path)})).system.indicators.length);`);
    expect(stdout).toBe('14');
    expect(loaded.filter((url) => /\/model\/(schema|model)\.js$|\/node_modules\/zod\//.test(url))).toEqual([]);
  });
});

function parseModelError(text: string, path: string): string {
  try {
    parseModelText(text, path);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${path} is valid`);
}
