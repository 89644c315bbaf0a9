/**
 * The Wasm line path at its own level: K, class and C as scoreWithModel
 * gives them, which lines it hands back to the caller's JavaScript path,
 * and which models and readings prepareLines refuses. That its output
 * equals the JavaScript paths byte for byte is tested end to end in
 * test/method-cli/classify-file.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../indicators/defaults.js';
import type { FittedRule } from '../indicators/rules.js';
import { scoreWithModel } from '../method/score-model.js';
import { trainCustomerValue } from '../method/train-model.js';
import type { Model } from '../model/schema.js';
import { toCsv } from '../synthetic/csv.js';
import { generateSurvey } from '../synthetic/survey.js';
import type { Engine } from '../network/types.js';
import { FIELD_ID, FIELD_SKIP, prepareLines, type LineReading } from './line-classifier.js';
import { LineInstance } from './line-instance.js';
import { loadEngine, loadModule } from './node.js';

const rows = generateSurvey({ customers: 200, seed: 4 });
const [header, ...lines] = toCsv(rows).trimEnd().split('\r\n') as [string, ...string[]];
const LIKERT: FittedRule = { type: 'likert', missingScore: null };

let engine: Engine;
let model: Model;
let module: WebAssembly.Module;
/** The survey's columns: the id, then a score column per indicator, each read into its own slot. */
let reading: LineReading;

beforeAll(async () => {
  engine = await loadEngine();
  module = await loadModule();
  model = trainCustomerValue(engine, { ...defaultConfig(), training: { epochs: 10 } }, generateSurvey({ customers: 300, seed: 1 })).model;
  const columns = header.split(',');
  const ids = model.inputs.names;
  reading = {
    fields: columns.map((c) => (c === 'id' ? FIELD_ID : ids.indexOf(c))),
    indicators: ids.map((id) => ({ slot: ids.indexOf(id), rule: LIKERT })),
    strategyFields: ['sa', 'sb', '"s, c"', 'sd'],
  };
});

const classify = (text: string, firstLine = 2) => {
  const instance = new LineInstance(module, prepareLines(model, reading)!);
  try {
    return instance.classify(Buffer.from(text), firstLine);
  } finally {
    instance.dispose();
  }
};

describe('LineInstance', () => {
  it('gives each customer the C, band, K and class scoreWithModel gives, the scores, and its line', () => {
    const out = classify(`${lines.join('\n')}\n`, 7)!;
    expect(out).toBeDefined();
    const expected = scoreWithModel(engine, model, rows).customers;
    const written = Buffer.from(out.output).toString('utf8').trimEnd().split('\n');
    expect(written).toHaveLength(rows.length);
    written.forEach((line, r) => {
      const c = expected[r]!;
      const strategy = { A: 'sa', B: 'sb', C: '"s, c"', D: 'sd' }[c.class];
      expect(line).toBe([c.id, String(c.C), c.band, String(c.K), c.class, strategy, ...c.scores].join(','));
    });
    expect([...out.lines]).toEqual(rows.map((_, r) => 7 + r));
    expect(out.hashes).toHaveLength(2 * rows.length);
  });

  it('says whether the ids ascend in byte order, with the first and last', () => {
    const ids = rows.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids); // the generator numbers its customers in order
    const order = classify(`${lines.join('\n')}\n`)!.order!;
    expect(order.ascending).toBe(true);
    expect(Buffer.from(order.first).toString()).toBe(ids[0]);
    expect(Buffer.from(order.last).toString()).toBe(ids.at(-1));
    expect(classify(`${lines[1]}\n${lines[0]}\n`)!.order!.ascending).toBe(false);
    expect(classify(`${lines[0]}\n${lines[0]}\n`)!.order!.ascending).toBe(false);
    expect(classify(`${lines[0]}\n${lines[0]!.replace(/^([^,]+)/, '$1a')}\n`)!.order!.ascending).toBe(true);
  });

  it('hands back a block with a line its caller reads differently', () => {
    const first = lines[0]!;
    const odd = [
      first.replace(/,(\d),/, ',"$1",'), // quoted
      first.replace(/,(\d),/, ',,'), // empty
      first.replace(/,(\d),/, ',6,'), // not a likert score
      first.replace(/,(\d),/, ',2.5,'),
      first.replace(/,(\d),/, ',1234567890123456,'), // more digits than a short decimal
      first.replace(/,(\d),/, ',3e0,'),
      `${first},1`, // ragged
      first.replace(/^S/, 'S '), // a space in the id
      first.replace(/,(\d),/, ',3\r,'), // a stray CR
      '',
    ];
    for (const line of odd) expect(classify(`${lines[1]}\n${line}\n${lines[2]}\n`), JSON.stringify(line)).toBeUndefined();
    // What it does take: CRLF, signs and short decimals of integers, a last line without LF.
    expect(classify(`${lines[1]}\r\n${first.replace(/,(\d),/, ',+$1.0,')}\r\n${lines[2]}`)).toBeDefined();
  });
});

describe('prepareLines', () => {
  it('plans a model whose indicators read one number each', () => {
    const prepared = prepareLines(model, reading)!;
    expect(prepared.shape[0]).toBe(model.inputs.names.length);
    expect(prepared.minLine).toBe(header.split(',').length + 1);
  });

  it('refuses what Wasm would not score exactly as JavaScript does', () => {
    const withRule = (rule: FittedRule): LineReading => ({ ...reading, indicators: reading.indicators.map((i, j) => (j === 3 ? { ...i, rule } : i)) });
    expect(prepareLines(model, withRule({ type: 'categorical', map: { a: 1 }, default: null, missingScore: null }))).toBeUndefined();
    expect(prepareLines(model, withRule({ type: 'cuts', cuts: [1, 2], scores: [1, 2.5, 5], missingScore: null }))).toBeUndefined();
    expect(prepareLines(model, withRule({ type: 'cuts', cuts: [1, 2], scores: [1, 3, 5], missingScore: null }))).toBeDefined();
    expect(prepareLines({ ...model, outputs: { names: ['K', 'K2'] } }, reading)).toBeUndefined();
    expect(prepareLines(model, { ...reading, indicators: reading.indicators.slice(1) })).toBeUndefined();
    // An indicator whose number no field fills, or a slot two fields fill.
    expect(prepareLines(model, { ...reading, fields: Array.from(reading.fields, (f) => (f === 0 ? FIELD_SKIP : f)) })).toBeUndefined();
    expect(prepareLines(model, { ...reading, fields: Array.from(reading.fields, (f) => (f === 1 ? 0 : f)) })).toBeUndefined();
  });
});
