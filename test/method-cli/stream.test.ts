/**
 * classify's streaming path in process: the bounded-memory duplicate-id
 * table (including hash collisions, forced with a weak hash), the exact
 * confirmation of a repeated hash by re-reading the earlier line, and the
 * column writer against csv-stringify on scoreWithModel's customers.
 * Uses the built core (@cvnet/core), as the CLI library does.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainCustomers, explanationFields, generateSurvey, loadEngine, scoreWithModel, toCsv, type Engine, type Model } from '@cvnet/core';
import { DataError, openCsv } from '@cvnet/core/data';
import type { IdOrder } from '@cvnet/core/scoring';
import { AscendingIds } from '../../packages/cli/src/lib/ascending-ids.js';
import { IdChecker } from '../../packages/cli/src/lib/duplicate-ids.js';
import { cyrb64, IdTable } from '../../packages/cli/src/lib/id-table.js';
import { classifiedHeader, formatColumns, formatStream, idChecker, scoreStream } from '../../packages/cli/src/lib/method-output.js';
import { surveyModel } from './helpers.js';

/** Every id hashes alike: each new id collides with all the earlier ones. */
const constant = (_id: string, out: Int32Array): void => {
  out[0] = 7;
  out[1] = 7;
};

/** The last two characters only: ids S0001…S1500 fall into 100 buckets of colliding ids. */
const weak = (id: string, out: Int32Array): void => {
  out[0] = 0;
  out[1] = id.charCodeAt(id.length - 1) * 128 + id.charCodeAt(id.length - 2);
};

/** IdTable.addHash and insertHash of an id, hashed by the table's own function. */
const add = (table: IdTable, id: string, line: number): number[] | undefined => {
  const [hi, lo] = table.hashIds([id]);
  return table.addHash(hi!, lo!, line);
};
const insert = (table: IdTable, id: string, line: number): void => {
  const [hi, lo] = table.hashIds([id]);
  table.insertHash(hi!, lo!, line);
};

describe('IdTable', () => {
  it('finds a repeated id with its first line, across growth, and no false match among 100 000 distinct ids', () => {
    const table = new IdTable();
    for (let i = 0; i < 100_000; i++) expect(add(table, `C${i}`, i + 2)).toBeUndefined();
    expect(add(table, 'C0', 500_000)).toEqual([2]);
    expect(add(table, 'C99999', 500_001)).toEqual([100_001]);
    expect(add(table, 'C100000', 500_002)).toBeUndefined();
  });

  it('returns every earlier line with the same hash and records a collision only when told', () => {
    const table = new IdTable(constant);
    expect(add(table, 'a', 2)).toBeUndefined();
    expect(add(table, 'b', 3)).toEqual([2]);
    expect(add(table, 'c', 4)).toEqual([2]); // b was not recorded
    insert(table, 'b', 3);
    expect(add(table, 'a', 9)?.sort()).toEqual([2, 3]);
  });

  it('keeps lines up to 2^32 - 1 and refuses beyond', () => {
    const table = new IdTable();
    insert(table, 'x', 0xffffffff);
    expect(add(table, 'x', 5)).toEqual([0xffffffff]);
    expect(() => insert(table, 'y', 2 ** 32)).toThrow(DataError);
  });

  it('cyrb64 is a deterministic 64-bit hash that tells near ids apart', () => {
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    cyrb64('S00000001', a);
    cyrb64('S00000001', b);
    expect([...a]).toEqual([...b]);
    cyrb64('S00000002', b);
    expect(a[0] !== b[0] && a[1] !== b[1]).toBe(true);
  });
});

describe('scoreStream and formatStream', () => {
  let dir: string;
  let engine: Engine;
  let model: Model;
  const rows = generateSurvey({ customers: 1200, seed: 4 });
  let spillDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cvnet-stream-'));
    spillDir = await mkdtemp(join(tmpdir(), 'cvnet-stream-spill-'));
    engine = await loadEngine();
    model = surveyModel(engine);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(spillDir, { recursive: true, force: true });
  });

  const stream = async (name: string, text: string, table?: IdTable, cap?: number): Promise<string> => {
    writeFileSync(join(dir, name), text);
    const source = await openCsv(join(dir, name));
    const indicators = model.inputs.names;
    const ids = idChecker(engine, model, source, { tmp: spillDir, ...(table ? { table } : {}), ...(cap === undefined ? {} : { cap }) });
    let out = '';
    for await (const chunk of formatStream(scoreStream(engine, model, source, ids), indicators, 'csv')) out += chunk;
    return out;
  };

  it("writes byte for byte what csv-stringify writes for scoreWithModel, even when the ids' hashes collide", async () => {
    const scored = scoreWithModel(engine, model, rows as never, { firstLine: 2 });
    const expected = stringify([classifiedHeader(scored.indicators), ...scored.customers.map((c) => [c.id, c.C, c.band, c.K, c.class, c.strategy, ...c.scores])]);
    expect(await stream('ok.csv', toCsv(rows))).toBe(expected);
    // Colliding ids: each is checked against the earlier lines by reading them again.
    expect(await stream('collide.csv', toCsv(rows), new IdTable(weak))).toBe(expected);
  });

  it('names both lines of a duplicate id in another block, with or without a hash collision on the way', async () => {
    const dup = toCsv(rows.map((r, i) => (i === 1100 ? { ...r, id: rows[3]!.id } : r)));
    const message = `row 1102, column "id": duplicate customer id ${JSON.stringify(rows[3]!.id)} (first on row 5)`;
    await expect(stream('dup.csv', dup)).rejects.toThrow(message);
    await expect(stream('dup2.csv', dup, new IdTable(weak))).rejects.toThrow(message);
  });

  it('past its cap spills ids to disk and still finds the first repeated id exactly, then removes its files', async () => {
    const scored = scoreWithModel(engine, model, rows as never, { firstLine: 2 });
    const expected = stringify([classifiedHeader(scored.indicators), ...scored.customers.map((c) => [c.id, c.C, c.band, c.K, c.class, c.strategy, ...c.scores])]);
    // 1200 ids with room for 100 (partitions of ~19, so a cap of 5 splits them again).
    expect(await stream('spill.csv', toCsv(rows), undefined, 100)).toBe(expected);
    expect(await stream('spill-deep.csv', toCsv(rows), undefined, 5)).toBe(expected);
    expect(await stream('spill-collide.csv', toCsv(rows), new IdTable(weak), 50)).toBe(expected);
    // Repeats before and after the spill: the first repeated row in the file is the one named.
    const dup = toCsv(rows.map((r, i) => (i === 1100 ? { ...r, id: rows[3]!.id } : i === 900 ? { ...r, id: rows[700]!.id } : r)));
    const message = `row 902, column "id": duplicate customer id ${JSON.stringify(rows[700]!.id)} (first on row 702)`;
    for (const [table, cap] of [[undefined, undefined], [undefined, 100], [new IdTable(weak), 50], [undefined, 5]] as const) {
      await expect(stream('spill-dup.csv', dup, table, cap)).rejects.toThrow(message);
    }
    // A repeat of an id held in memory before the spill, also with colliding hashes.
    const straddle = toCsv(rows.map((r, i) => (i === 1100 ? { ...r, id: rows[3]!.id } : r)));
    for (const [table, cap] of [[undefined, 100], [new IdTable(weak), 50]] as const) {
      await expect(stream('spill-straddle.csv', straddle, table, cap)).rejects.toThrow(`row 1102, column "id": duplicate customer id ${JSON.stringify(rows[3]!.id)} (first on row 5)`);
    }
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('while spilled, registers its partition directory for removal on SIGINT or SIGTERM (see interrupt.test), and unregisters once done', async () => {
    const listeners = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = listeners();
    const checker = new IdChecker({ path: 'f.csv', idColumn: () => 'id' }, async () => new Map(), { cap: 4, tmp: spillDir });
    const ids = Array.from({ length: 10 }, (_, i) => `C${i}`);
    await checker.check(checker.hashes(ids), ids.map((_, i) => i + 2));
    expect(readdirSync(spillDir)).toHaveLength(1);
    expect(listeners()).toEqual(before.map((n) => n + 1));
    await checker.finish();
    expect(readdirSync(spillDir)).toEqual([]);
    expect(listeners()).toEqual(before);
  });

  it('formatColumns with --explain and awkward pseudonyms equals csv-stringify on the same values', async () => {
    const few = rows.slice(0, 40) as never;
    const scored = scoreWithModel(engine, model, few);
    const awkward = (id: string): string => `"${id}", x\n`;
    const ex = explainCustomers(model, scored.customers.map((c) => c.scores));
    const expected = stringify([
      classifiedHeader(scored.indicators, true),
      ...scored.customers.map((c, i) => [awkward(c.id), c.C, c.band, c.K, c.class, c.strategy, ...c.scores, ...explanationFields(ex, i)]),
    ]);
    writeFileSync(join(dir, 'few.csv'), toCsv(rows.slice(0, 40)));
    let text = '';
    for await (const batch of scoreStream(engine, model, await openCsv(join(dir, 'few.csv')))) {
      text += formatColumns(batch, 'csv', text === '', { ids: awkward, explain: model });
    }
    expect(text).toBe(expected);
  });
});

describe('AscendingIds', () => {
  const bytes = (id: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(id));
  /** A block of ids from line `first` on, with its order as the Wasm path reports it. */
  const block = (ids: string[], first: number) => ({
    ids,
    lines: ids.map((_, i) => first + i),
    order: { ascending: ids.every((id, i) => i === 0 || Buffer.compare(Buffer.from(ids[i - 1]!), Buffer.from(id)) < 0), first: bytes(ids[0]!), last: bytes(ids.at(-1)!) },
  });
  /** An IdChecker over these lines' ids (line 2 is ids[0]), counting the ids it was given. */
  const checker = (all: string[], cap?: number) => {
    const byLine = (lines: readonly number[]) => Promise.resolve(new Map(lines.map((l) => [l, all[l - 2]!])));
    const ids = new IdChecker({ path: 'f.csv', idColumn: () => 'id' }, byLine, cap === undefined ? {} : { cap });
    let given = 0;
    const check = ids.check.bind(ids);
    ids.check = (hashes, lines) => {
      given += lines.length;
      return check(hashes, lines);
    };
    return { ids, given: () => given };
  };
  const run = async (blocks: { ids: string[]; lines: number[]; order?: IdOrder }[], cap?: number) => {
    const all = blocks.flatMap((b) => b.ids);
    const { ids, given } = checker(all, cap);
    const sorted = new AscendingIds(ids);
    try {
      for (const b of blocks) await sorted.check(ids.hashes(b.ids), b.lines, b.order);
      await sorted.finish();
      return { given: given() };
    } catch (error) {
      return { given: given(), error: (error as Error).message };
    }
  };
  const ids = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `C${String(from + i).padStart(4, '0')}`);

  it('looks up no id while blocks ascend, one after the other', async () => {
    expect(await run([block(ids(0, 50), 2), block(ids(50, 90), 52), block(ids(90, 91), 92)])).toEqual({ given: 0 });
  });

  it('hands every id to the checker, in file order, from the first block out of order, and finds the same duplicate', async () => {
    const dup = [block(ids(0, 50), 2), block([...ids(50, 60), 'C0003', ...ids(60, 70)], 52), block(ids(70, 80), 73)];
    expect(await run(dup)).toEqual({ given: 71, error: expect.stringContaining('row 62, column "id": duplicate customer id "C0003" (first on row 5)') });
    // A block's first id equal to the one before's last, or before it.
    expect(await run([block(ids(0, 50), 2), block(ids(49, 60), 52)])).toEqual({ given: 61, error: expect.stringContaining('row 52, column "id": duplicate customer id "C0049" (first on row 51)') });
    expect((await run([block(ids(10, 50), 2), block(ids(0, 5), 42)])).given).toBe(45);
    // A block read by the JavaScript paths (no order) ends the run too.
    expect((await run([block(ids(0, 50), 2), { ...block(ids(50, 60), 52), order: undefined }])).given).toBe(60);
  });

  it('keeps at most the checker\'s cap of ids, then hands them over', async () => {
    expect((await run([block(ids(0, 5), 2), block(ids(5, 10), 7), block(ids(10, 15), 12)], 12)).given).toBe(15);
    expect((await run([block(ids(0, 5), 2), block(ids(5, 10), 7)], 12)).given).toBe(0);
  });

  it('takes byte order: a longer id after its own start, and bytes compared unsigned', async () => {
    expect((await run([block(['a', 'ab', 'b'], 2), block(['b~', 'c'], 5)])).given).toBe(0);
    expect((await run([block(['ab', 'a'], 2)])).given).toBe(2);
  });
});
