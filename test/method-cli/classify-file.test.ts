/**
 * classify's bulk path (classifyFile: line-scorer + BlockClassifier +
 * CsvBytes) against the general path it must equal (openCsv → scoreStream →
 * formatStream), byte for byte and error for error, on files that mix plain
 * lines with every kind of line the bulk reader hands back, with block sizes
 * that put block ends everywhere. Also checks that the bulk reader really
 * takes the plain lines (otherwise the equality would be trivial).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  generateSurvey, loadEngine, pseudonymizerFromEnv, scoreCustomers, scoreWithModel, scoringSystem, toCsv, trainCustomerValue,
  type Engine, type Model,
} from '@cvnet/core';
import { openCsv } from '@cvnet/core/data';
import { LineThread, loadModule } from '@cvnet/core/lean';
import { LineInstance } from '@cvnet/core/scoring';
import { CsvBytes } from '../../packages/cli/src/lib/csv-bytes.js';
import { classifyFile } from '../../packages/cli/src/lib/classify-file.js';
import { hashIds } from '../../packages/cli/src/lib/id-table.js';
import { linePlan, scoreLines } from '../../packages/cli/src/lib/line-scorer.js';
import { toRow } from '../../packages/cli/src/lib/file-rows.js';
import { loadConfig, readCustomers } from '../../packages/cli/src/lib/method-input.js';
import { formatColumns, formatStream, scoreStream, type OutputFormat } from '../../packages/cli/src/lib/method-output.js';
import { sharedData } from '../shared-data.js';
import { editFields } from '../cli/helpers.js';
import { ifoodConfig, surveyModel } from './helpers.js';

// scoreLines watched, to tell which path classifyFile took (its output is the same either way).
vi.mock('../../packages/cli/src/lib/line-scorer.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../packages/cli/src/lib/line-scorer.js')>();
  return { ...original, scoreLines: vi.fn(original.scoreLines) };
});

// The Wasm path watched too, on this thread and the worker's: which blocks Wasm took, and which it handed back.
const wasmCalls = vi.spyOn(LineInstance.prototype, 'classify');
const threadCalls = vi.spyOn(LineThread.prototype, 'classify');

type Outcome = { text: string } | { error: string };

async function outcome(chunks: AsyncIterable<string | Uint8Array>): Promise<Outcome> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { text: Buffer.concat(parts).toString('utf8') };
}

let dir: string;
let engine: Engine;
let survey: Model;
const rows = generateSurvey({ customers: 300, seed: 9 });
// LF lines (toCsv writes CRLF; CRLF files get their own case).
const plain = toCsv(rows).replace(/\r\n/g, '\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvnet-classify-file-'));
  engine = await loadEngine();
  survey = surveyModel(engine);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
/** Both paths on `text`, for several block sizes; returns the general path's outcome. */
async function same(text: string | Buffer, model: Model, format: OutputFormat = 'csv', extra: { explain?: boolean; ids?: (id: string) => string } = {}): Promise<Outcome> {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  const options = { ...(extra.ids ? { ids: extra.ids } : {}), ...(extra.explain ? { explain: model } : {}) };
  const expected = await outcome(formatStream(scoreStream(engine, model, await openCsv(path)), model.inputs.names, format, options));
  for (const blockBytes of [64, 700, 1 << 20]) {
    expect(await outcome(classifyFile(engine, model, path, { format, blockBytes, ...extra }))).toEqual(expected);
  }
  // The duplicate check spilling to disk after 7 ids.
  expect(await outcome(classifyFile(engine, model, path, { format, blockBytes: 700, idCap: 7, ...extra }))).toEqual(expected);
  // A worker thread taking some of the blocks, with the ids checked in memory and spilling to disk.
  expect(await outcome(classifyFile(engine, model, path, { format, blockBytes: 700, threadFrom: 0, ...extra }))).toEqual(expected);
  expect(await outcome(classifyFile(engine, model, path, { format, blockBytes: 700, threadFrom: 0, idCap: 7, ...extra }))).toEqual(expected);
  return expected;
}

describe('classifyFile equals the general path', () => {
  it('on a plain file, as CSV and JSON lines, with explanations, and on its own output', async () => {
    const out = await same(plain, survey);
    expect('text' in out && out.text.split('\n')).toHaveLength(rows.length + 2);
    // classify's output quotes its strategies: read in bulk too, and it classifies to itself.
    expect(await same('text' in out ? out.text : '', survey)).toEqual(out);
    await same(plain, survey, 'jsonl');
    await same(plain, survey, 'csv', { explain: true });
  });

  it('on CRLF lines, a BOM, blank lines, a last line without LF, and a header only', async () => {
    await same(plain.replace(/\n/g, '\r\n'), survey);
    await same(`\ufeff${plain}`, survey);
    const lines = plain.split('\n');
    lines.splice(40, 0, '', '\r', '');
    await same(`\n${lines.join('\n')}\n\n`, survey);
    await same(plain.slice(0, -1), survey);
    await same(`${plain.slice(0, plain.indexOf('\n'))}\n`, survey);
    // A header with a quoted line break in a column the model does not read.
    const [head, ...body] = plain.split('\n');
    const noted = [`${head},"a\nnote"`, ...body.map((l) => (l === '' ? l : `${l},x`))].join('\n');
    await same(noted, survey);
    // … and read in bulk from the line after it, in Wasm, or by scoreLines for JSON lines.
    vi.mocked(scoreLines).mockClear();
    wasmCalls.mockClear();
    const path = join(dir, `f${files++}.csv`);
    writeFileSync(path, noted);
    await outcome(classifyFile(engine, survey, path, { format: 'csv' }));
    expect(wasmCalls.mock.calls.map((call) => call[1])).toEqual([3]);
    expect(wasmCalls.mock.results[0]?.value).toBeDefined();
    await outcome(classifyFile(engine, survey, path, { format: 'jsonl' }));
    expect(vi.mocked(scoreLines).mock.calls.map((call) => call[2])).toEqual([3]);
    expect(vi.mocked(scoreLines).mock.results[0]?.value).toBeDefined();
  });

  it('on values the bulk reader hands back: spaces, signs, exponents, long decimals, blanks, stray CRs, non-ASCII ids', async () => {
    const lines = plain.split('\n');
    const edit = (i: number, f: (fields: string[]) => void): void => editFields(lines, i, f);
    edit(10, (f) => (f[3] = ' 4 '));
    edit(20, (f) => (f[4] = '+3'));
    edit(30, (f) => (f[5] = '2e0'));
    edit(40, (f) => (f[6] = '3.0000000000000000001'));
    edit(50, (f) => (f[0] = 'Søren-1'));
    edit(60, (f) => (f[2] = '4\r'));
    edit(70, (f) => (f[0] = ` ${f[0]!} `));
    edit(80, (f) => (f[7] = '0x3'));
    edit(90, (f) => (f[8] = '3.0'));
    edit(100, (f) => (f[9] = '4.'));
    edit(110, (f) => (f[10] = '-0.5e1'));
    await same(lines.join('\n'), survey);
  });

  it('on a byte that is not UTF-8, even in a column no indicator reads: the same error on every path', async () => {
    const [head, ...body] = plain.split('\n');
    const text = [`${head},note`, ...body.map((l) => (l === '' ? l : `${l},x`))].join('\n');
    const at = text.indexOf(',x\n', text.length >> 1) + 1;
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at + 1))]);
    const out = await same(bytes, survey);
    expect('error' in out && out.error).toMatch(/line \d+, column "note": byte 0xE9 is not UTF-8/);
  });

  it('on quoted fields: every field quoted, a quote inside a plain field, one spanning lines (the general path reads on from there)', async () => {
    await same(plain.replace(/[^,\n]+/g, (field) => `"${field}"`), survey);
    const lines = plain.split('\n');
    const stray = await same(lines.map((l, i) => (i === 77 ? l.replace(/^S/, 'S"') : l)).join('\n'), survey);
    expect(stray).toEqual({ error: expect.stringMatching(/line 78.*malformed CSV/) });
    lines[150] = lines[150]!.replace(/^([^,]+)/, '"$1"');
    await same(lines.join('\n'), survey);
    lines[200] = lines[200]!.replace(/^([^,]+)/, '"$1\nx"');
    await same(lines.join('\n'), survey);
    // A quoted note whose lines look like rows with a bad score: valid, though blocks after its start hold those lines as rows.
    const [head, ...body] = plain.split('\n');
    const fake = `${body[5]!.replace(/^[^,]+/, 'fake').replace(/,\d,/, ',7,')},x`;
    const note = `"start\n${Array(40).fill(fake).join('\n')}\nend"`;
    const noted = await same([`${head},note`, ...body.map((l, i) => (l === '' ? l : `${l},${i === 60 ? note : 'x'}`))].join('\n'), survey);
    expect(noted).toHaveProperty('text');
  });

  it('with the same errors: ragged rows, bad scores, empty values and duplicate ids in and across blocks', async () => {
    const lines = plain.split('\n');
    const broken = (i: number, line: string): string => lines.map((l, j) => (j === i ? line : l)).join('\n');
    expect(await same(broken(120, `${lines[120]},9`), survey)).toEqual({ error: expect.stringMatching(/line 121: row has 16 fields, expected 15/) });
    expect(await same(broken(130, lines[130]!.replace(/,\d,/, ',7,')), survey)).toEqual({ error: expect.stringMatching(/row 131, column .*likert/) });
    expect(await same(broken(140, lines[140]!.replace(/,\d,/, ',,')), survey)).toEqual({ error: expect.stringMatching(/row 141, column .*empty value/) });
    // A bad score before a ragged row in the same block: the earlier row's error, as the record reader gives it.
    const both = lines.map((l, j) => (j === 150 ? l.replace(/,\d,/, ',7,') : j === 151 ? `${l},9` : l)).join('\n');
    expect(await same(both, survey)).toEqual({ error: expect.stringMatching(/row 151, column .*likert/) });
    // Bad scores in many blocks: the first in file order, also when a worker has the blocks before one this thread classified.
    const many = lines.map((l, j) => (j >= 20 && j % 10 === 0 && l !== '' ? l.replace(/,\d,/, ',7,') : l)).join('\n');
    expect(await same(many, survey)).toEqual({ error: expect.stringMatching(/row 21, column .*likert/) });
    const dupNear = await same(broken(6, lines[6]!.replace(/^[^,]+/, rows[4]!.id)), survey);
    expect(dupNear).toEqual({ error: expect.stringContaining(`row 7, column "id": duplicate customer id ${JSON.stringify(rows[4]!.id)} (first on row 6)`) });
    const dupFar = await same(broken(290, lines[290]!.replace(/^[^,]+/, rows[0]!.id)), survey);
    expect(dupFar).toEqual({ error: expect.stringContaining(`row 291, column "id": duplicate customer id ${JSON.stringify(rows[0]!.id)} (first on row 2)`) });
  });

  it('with duplicate ids between a block classified in Wasm and one it hands back', async () => {
    const lines = plain.split('\n');
    // Line 3's quoted id sends its block to the JavaScript path; line 260 repeats that id, and line 280 repeats line 250's.
    lines[2] = lines[2]!.replace(/^([^,]+)/, '"$1"');
    lines[259] = lines[259]!.replace(/^[^,]+/, rows[1]!.id);
    expect(await same(lines.join('\n'), survey)).toEqual({ error: expect.stringContaining(`row 260, column "id": duplicate customer id ${JSON.stringify(rows[1]!.id)} (first on row 3)`) });
    lines[259] = lines[259]!.replace(/^[^,]+/, 'fresh-id');
    lines[2] = lines[2]!.replace(/^"([^"]+)"/, '$1');
    lines[279] = `"${rows[248]!.id}"${lines[279]!.slice(lines[279]!.indexOf(','))}`;
    expect(await same(lines.join('\n'), survey)).toEqual({ error: expect.stringContaining(`row 280, column "id": duplicate customer id ${JSON.stringify(rows[248]!.id)} (first on row 250)`) });
  });

  it('with cut points on raw columns (iFood, each indicator one numeric column), read in Wasm where no income is missing', async () => {
    const { config } = await loadConfig(ifoodConfig);
    // Sums, counts and dates become one numeric column; the categorical rule becomes cuts.
    const columns = ['NumWebPurchases', 'MntWines', 'AcceptedCmp1', 'Kidhome'];
    const indicators = config.indicators.map((indicator, i) => ({
      ...indicator,
      source: typeof indicator.source === 'string' ? indicator.source : columns[i % columns.length]!,
      rule: indicator.rule.type === 'categorical' ? { type: 'cuts' as const, cuts: [0], direction: 'lower' as const, missing: 'error' as const } : indicator.rule,
    }));
    const table = await readCustomers(sharedData('ifood_ml_project1_data.csv'));
    const model = trainCustomerValue(engine, { ...config, indicators, training: { epochs: 30 } }, table.rows, { numbering: { lines: table.lines } }).model;
    expect(model.method!.system.indicators.some((i) => i.rule.type === 'cuts')).toBe(true);
    wasmCalls.mockClear();
    const out = await same(readFileSync(table.path), model);
    expect('text' in out && out.text.split('\n')).toHaveLength(2240 + 2);
    // Blocks of 64 bytes hold a line each (iFood lines are longer): 24 customers without an income go the JavaScript way.
    const results = wasmCalls.mock.results.map((r) => r.value);
    expect(results.filter((r) => r !== undefined).length).toBeGreaterThan(2000);
    expect(results.filter((r) => r === undefined).length).toBeGreaterThanOrEqual(24);
  });

  it('writing pseudonyms', async () => {
    const pseudonym = pseudonymizerFromEnv({ CVNET_PSEUDONYM_KEY: 'k'.repeat(32) });
    const out = await same(plain, survey, 'csv', { ids: pseudonym });
    expect('text' in out && out.text).not.toContain(rows[0]!.id);
    expect('text' in out && out.text).toContain(pseudonym(rows[0]!.id));
  });
});

describe('the bulk reader takes plain lines', () => {
  const header = plain.slice(0, plain.indexOf('\n')).split(',');
  const body = Buffer.from(plain.slice(plain.indexOf('\n') + 1));

  it('scores them as scoreCustomers does, and hands back a block with anything it does not read exactly', () => {
    const plan = linePlan(survey, header)!;
    expect(plan).toBeDefined();
    const fast = scoreLines(plan, body, 2)!;
    const records = rows.map((r) => toRow(header, header.map((h) => String(r[h as keyof typeof r]))));
    const slow = scoreCustomers(scoringSystem(survey, new Set(header)), records, { firstLine: 2 });
    expect(fast.matrix.ids).toEqual(slow.ids);
    expect([...fast.matrix.values]).toEqual([...slow.values]);
    expect([...fast.lines]).toEqual(rows.map((_, i) => i + 2));
    for (const odd of [' 4', '4 ', '+', '.', '1e0', '', '4\r5', '1234567890123456', '"4"""', '" 4"', '4"', '"4"x', '"4\n"']) {
      expect(scoreLines(plan, Buffer.from(body.toString().replace(/,(\d),/, `,${odd},`)), 2), odd).toBeUndefined();
    }
    expect(scoreLines(plan, Buffer.from(`${body}\n`), 2)).toBeUndefined(); // a blank line
    // Decimals and signs it does read: the same doubles as Number().
    const decimals = scoreLines(plan, Buffer.from(body.toString().replace(/,(\d),/, ',+2.000,')), 2)!;
    const expected = [...fast.matrix.values];
    expected[0] = 2; // the first row's first indicator
    expect([...decimals.matrix.values]).toEqual(expected);
    // Every field quoted, as many CRM exports write them; a quoted text in a column it skips may hold quotes and commas.
    const quoted = body.toString().replace(/[^,\n]+/g, (field) => `"${field}"`);
    expect([...scoreLines(plan, Buffer.from(quoted), 2)!.matrix.values]).toEqual([...fast.matrix.values]);
    const plan2 = linePlan(survey, [...header, 'note'])!;
    const noted = body.toString().replace(/\n/g, ',"a ""b"", c"\n');
    expect([...scoreLines(plan2, Buffer.from(noted), 2)!.matrix.values]).toEqual([...fast.matrix.values]);
  });

  it('classifies them in Wasm, with the ids\' hashes and lines the duplicate check takes', async () => {
    wasmCalls.mockClear();
    const path = join(dir, `f${files++}.csv`);
    writeFileSync(path, plain);
    await outcome(classifyFile(engine, survey, path, { format: 'csv', blockBytes: 700 }));
    const results = wasmCalls.mock.results.map((r) => r.value as ReturnType<LineInstance['classify']>);
    expect(results.length).toBeGreaterThan(10);
    expect(results.every((r) => r !== undefined)).toBe(true);
    const hashes = Int32Array.from(results.flatMap((r) => [...r!.hashes]));
    expect([...hashes]).toEqual([...hashIds(rows.map((r) => r.id))]);
    expect(results.flatMap((r) => [...r!.lines])).toEqual(rows.map((_, i) => i + 2));
    // Not for JSON lines, explanations or pseudonyms: CsvBytes and formatColumns write those.
    wasmCalls.mockClear();
    await outcome(classifyFile(engine, survey, path, { format: 'jsonl' }));
    await outcome(classifyFile(engine, survey, path, { format: 'csv', explain: true }));
    await outcome(classifyFile(engine, survey, path, { format: 'csv', ids: (id) => `p${id}` }));
    expect(wasmCalls).not.toHaveBeenCalled();
  });

  it('hands blocks to a worker thread, whose results come back in file order', async () => {
    threadCalls.mockClear();
    const path = join(dir, `f${files++}.csv`);
    writeFileSync(path, plain);
    const threaded = await outcome(classifyFile(engine, survey, path, { format: 'csv', blockBytes: 700, threadFrom: 0 }));
    expect(threaded).toEqual(await outcome(classifyFile(engine, survey, path, { format: 'csv', blockBytes: 700 })));
    const results = await Promise.all(threadCalls.mock.results.map((r) => r.value as ReturnType<LineThread['classify']>));
    expect(results.length).toBeGreaterThan(2);
    expect(results.every((r) => r !== undefined && r.lines.length > 0)).toBe(true);
    // A worker that fails rejects what it was sent, naming itself, instead of leaving the caller waiting.
    const broken = new LineThread(await loadModule(), null as never);
    try {
      await expect(broken.classify(Buffer.from('x\n'), 2)).rejects.toThrow(/the classify worker thread (failed|stopped)/);
    } finally {
      broken.close();
    }
    // Not below threadFrom (2 MiB by default).
    threadCalls.mockClear();
    await outcome(classifyFile(engine, survey, path, { format: 'csv', blockBytes: 700 }));
    expect(threadCalls).not.toHaveBeenCalled();
  });

  it("starts where openCsv's rows start: after a BOM, blank lines and the header, quoted or not, on one line or more", async () => {
    const at = async (text: string) => {
      const path = join(dir, `h${files++}.csv`);
      writeFileSync(path, text);
      const source = await openCsv(path);
      await source.close();
      return source.dataStart;
    };
    expect(await at('a,b\n1,2\n')).toEqual({ byte: 4, line: 1 });
    expect(await at('\ufeff\r\n"a","b"\r\n1,2\n')).toEqual({ byte: 14, line: 2 });
    expect(await at('"a\nx",b\n1,2\n')).toEqual({ byte: 8, line: 2 });
    expect(await at('a,b')).toEqual({ byte: 3, line: 1 });
    // A header past the first 16 KiB block.
    expect(await at(`${'\n'.repeat(20_000)}a,b\n1,2\n`)).toEqual({ byte: 20_004, line: 20_001 });
  });

  it('CsvBytes writes what formatColumns writes, also for ids that need quotes and non-ASCII strategies', () => {
    const scored = scoreWithModel(engine, survey, rows.slice(0, 50) as never);
    const columns = {
      indicators: scored.indicators,
      ids: scored.customers.map((c, i) => (i % 3 === 0 ? `a,"${c.id}"` : i % 3 === 1 ? `ü${c.id}` : c.id)),
      C: Float64Array.from(scored.customers, (c) => c.C),
      bands: scored.customers.map((c) => c.band),
      K: Float64Array.from(scored.customers, (c) => c.K),
      classes: scored.customers.map((c) => c.class),
      strategies: scored.customers.map((c, i) => (i % 2 ? `Stratégie – ${c.class}, "quoted"` : c.strategy)),
      scores: Float64Array.from(scored.customers.flatMap((c, i) => c.scores.map((s, j) => (i === j ? s + 0.5 : s)))),
    };
    const writer = new CsvBytes((id) => id);
    const expected = formatColumns(columns, 'csv', false);
    expect(Buffer.from(writer.write(columns)).toString('utf8')).toBe(expected);
    // Its buffer is reused: a second, smaller batch is not polluted by the first.
    const few = { ...columns, ids: columns.ids.slice(0, 2), scores: columns.scores.subarray(0, 28) };
    expect(Buffer.from(writer.write(few)).toString('utf8')).toBe(formatColumns(few, 'csv', false));
  });
});

describe('on the real iFood file (dates, categories, sums, counts, quantile cuts, missing incomes)', () => {
  it('classifyFile equals the general path, and most blocks are read in bulk', async () => {
    const { config } = await loadConfig(ifoodConfig);
    const table = await readCustomers(sharedData('ifood_ml_project1_data.csv'));
    const model = trainCustomerValue(engine, { ...config, training: { epochs: 30 } }, table.rows, { numbering: { lines: table.lines } }).model;
    const text = readFileSync(table.path);
    const out = await same(text, model);
    expect('text' in out && out.text.split('\n')).toHaveLength(2240 + 2);

    const plan = linePlan(model, table.header)!;
    expect(plan).toBeDefined();
    const lines = text.toString('utf8').split('\n').slice(1);
    let bulk = 0;
    for (let i = 0; i < lines.length; i += 50) {
      const block = lines.slice(i, i + 50).filter((l) => l !== '');
      if (block.length > 0 && scoreLines(plan, Buffer.from(`${block.join('\n')}\n`), i + 2)) bulk++;
    }
    // 24 customers have no income (the median score, on the general path); the other blocks are read in bulk.
    expect(bulk).toBeGreaterThan(20);
  });
});
