/**
 * predict's byte path (predictFile): its output equals an independent
 * composition — csv-parse's records, Number() on the inputs, the engine's
 * forward pass, csv-stringify — byte for byte, on files that mix plain
 * lines with every kind of line it hands to the record reader, at block
 * sizes that put block ends everywhere; errors name the same line and
 * column whatever the block size; and plain lines really are read in place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyMinMax, loadEngine, modelToNetwork, type Model } from '@cvnet/core';
import { openCsv, readModelFile, recordsOfLines } from '@cvnet/core/data';
import { predictFile } from '../../packages/cli/src/lib/predict-file.js';
import { cvnet, editFields, requireBuild, writeFixture } from './helpers.js';

// The record reader of a block, watched: a plain file must never need it.
vi.mock('@cvnet/core/data', async (importOriginal) => {
  const original = await importOriginal<typeof import('@cvnet/core/data')>();
  return { ...original, recordsOfLines: vi.fn(original.recordsOfLines) };
});

let dir: string;
let model: Model;
let fixture: string;
let files = 0;

beforeAll(async () => {
  requireBuild();
  dir = await mkdtemp(join(tmpdir(), 'cvnet-predict-file-'));
  writeFixture(join(dir, 'train.csv'), 300, 6);
  expect(cvnet(['train', 'train.csv', '--target', 'K', '--epochs', '30', '--seed', '2', '--out', 'model.json'], dir).code).toBe(0);
  model = await readModelFile(join(dir, 'model.json'));
  // The fixture has the target column K, so the output column is K_predicted.
  fixture = readFileSync(join(dir, 'train.csv'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The bytes written (compared as bytes: a decoded string would hide a broken UTF-8 byte copied as is), or the error. */
type Outcome = { bytes: Buffer } | { error: string };

async function outcome(chunks: AsyncIterable<string | Uint8Array>): Promise<Outcome> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { bytes: Buffer.concat(parts) };
}

/** What predict must write for `text` (its output column named `output`): csv-parse, Number(), the engine, csv-stringify. */
async function expected(text: string | Buffer, output = 'K_predicted'): Promise<Outcome> {
  // Only CRLF and LF end a record, as in cvnet's reader.
  const rows = parse(text, { bom: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] }) as string[][];
  const header = rows[0]!.map((name) => name.trim());
  const body = rows.slice(1);
  const at = model.inputs.names.map((name) => header.indexOf(name));
  const inputs = Float64Array.from(body.flatMap((row) => at.map((j) => Number(row[j]))));
  const k = (await loadEngine()).forward(modelToNetwork(model), applyMinMax(inputs, model.inputs), body.length);
  return { bytes: Buffer.from(stringify([[...rows[0]!, output], ...body.map((row, q) => [...row, k[q]!])])) };
}

/** predictFile on `text` at several block sizes: one outcome for all, returned. */
async function predicted(text: string | Buffer): Promise<Outcome> {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, text);
  const outcomes: Outcome[] = [];
  for (const blockBytes of [64, 700, 1 << 20]) outcomes.push(await outcome(predictFile(await openCsv(path), model, { blockBytes })));
  expect(outcomes[1]).toEqual(outcomes[0]);
  expect(outcomes[2]).toEqual(outcomes[0]);
  return outcomes[0]!;
}

async function same(text: string | Buffer, output?: string): Promise<void> {
  expect(await predicted(text)).toEqual(await expected(text, output));
}

describe('predictFile equals csv-parse → engine → csv-stringify', () => {
  it('on plain LF and CRLF files, a BOM, blank lines, and a last line without LF', async () => {
    await same(fixture);
    await same(fixture.replace(/\n/g, '\r\n'));
    await same(`\ufeff${fixture}`);
    const lines = fixture.split('\n');
    lines.splice(30, 0, '', '\r', '');
    await same(lines.join('\n'));
    await same(fixture.slice(0, -1));
  });

  it('on values it hands back: spaces, exponents, signs, long decimals, non-ASCII text; and refuses broken UTF-8', async () => {
    const lines = fixture.split('\n');
    const edit = (i: number, f: (fields: string[]) => void): void => editFields(lines, i, f);
    edit(10, (f) => (f[1] = ' 4.5 '));
    edit(20, (f) => (f[2] = '1e-3'));
    edit(30, (f) => (f[1] = '+2.5'));
    edit(40, (f) => (f[2] = '-0'));
    edit(50, (f) => (f[3] = '3.0000000000000000001'));
    edit(60, (f) => (f[4] = 'Søren'));
    edit(70, (f) => (f[1] = '.5'));
    edit(80, (f) => (f[4] = 'a\rb'));
    await same(lines.join('\n'));
    const broken = Buffer.from(lines.join('\n'));
    broken[broken.indexOf('n90,')] = 0xff; // an invalid UTF-8 byte in a name
    // Refused, not decoded to U+FFFD as csv-parse would: the same error at every block size.
    expect(await predicted(broken)).toEqual({ error: `${join(dir, `f${files - 1}.csv`)}, line 92, column "name": byte 0xFF is not UTF-8, which cvnet reads; save the file as UTF-8 (it may be Latin-1 or Windows-1252)` });
  });

  it('on quoted fields, including a line break inside one', async () => {
    await same(fixture.replace(/,n(\d+),/g, ',"n,$1",'));
    const lines = fixture.split('\n');
    lines[100] = lines[100]!.replace(/,n(\d+),/, ',"two\nlines",');
    lines[200] = lines[200]!.replace(/,n(\d+),/, ',"say ""hi""",');
    await same(lines.join('\n'));
  });

  it('names the output after the first free K_predicted, K_predicted_2, … on the byte and the record path', async () => {
    // The file scored once already (K and K_predicted), and once more (K_predicted_2 too).
    const withColumns = (...names: string[]): string =>
      fixture.split('\n').map((line, i) => (line === '' ? line : [line, ...names.map((name) => (i === 0 ? name : '0.5'))].join(','))).join('\n');
    const once = withColumns('K_predicted');
    await same(once, 'K_predicted_2');
    await same(once.replace(/,n(\d+),/g, ',"n,$1",'), 'K_predicted_2');
    await same(withColumns('K_predicted', 'K_predicted_2'), 'K_predicted_3');
  });

  it('with the same errors whatever the block size: a bad number, a ragged row', async () => {
    const lines = fixture.split('\n');
    const broken = (i: number, line: string): string => lines.map((l, j) => (j === i ? line : l)).join('\n');
    expect(await predicted(broken(120, lines[120]!.replace(/^(\d+),[^,]+,/, '$1,abc,')))).toEqual({ error: expect.stringMatching(/line 121, column "a".*abc/) });
    expect(await predicted(broken(130, `${lines[130]},9`))).toEqual({ error: expect.stringMatching(/line 131: row has 7 fields, expected 6/) });
    expect(await predicted(broken(140, lines[140]!.split(',').slice(0, 4).join(',')))).toEqual({ error: expect.stringMatching(/line 141: row has 4 fields, expected 6/) });
    expect(await predicted(broken(150, lines[150]!.replace(/^(\d+),[^,]+,/, '$1,1.2.3,')))).toEqual({ error: expect.stringMatching(/line 151, column "a".*1\.2\.3/) });
    // A bad number before a ragged row in the same block: the earlier row's error.
    const both = lines.map((l, j) => (j === 160 ? l.replace(/^(\d+),[^,]+,/, '$1,zz,') : j === 161 ? `${l},9` : l)).join('\n');
    expect(await predicted(both)).toEqual({ error: expect.stringMatching(/line 161, column "a".*zz/) });
  });
});

describe('predictFile reads plain lines in place', () => {
  it('hands no block of a plain file, LF or CRLF, to the record reader, and a block with a quote to it', async () => {
    const path = join(dir, `f${files++}.csv`);
    for (const text of [fixture, fixture.replace(/\n/g, '\r\n')]) {
      writeFileSync(path, text);
      vi.mocked(recordsOfLines).mockClear();
      expect(await outcome(predictFile(await openCsv(path), model, { blockBytes: 700 }))).toEqual(await expected(text));
      expect(recordsOfLines).not.toHaveBeenCalled();
    }
    const lines = fixture.split('\n');
    lines[150] = lines[150]!.replace(/,n(\d+),/, ',"n$1",');
    writeFileSync(path, lines.join('\n'));
    await outcome(predictFile(await openCsv(path), model, { blockBytes: 1 << 20 }));
    expect(recordsOfLines).toHaveBeenCalledTimes(1);
  });
});
