/** cvnet segment, migrate and cluster, run as the built CLI. */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { RFM_SEGMENTS, VALUE17_SEGMENTS } from '../../packages/core/src/segments/builtin.js';
import { cvnet as cli, readCsv, requireBuild, root, type Run } from '../cli/helpers.js';
import { fixture, type Fixture } from './fixtures.js';

const KEY = 'test key: 0123456789abcdef';

/** The CLI with CVNET_PSEUDONYM_KEY unset unless `env` sets it. */
const cvnet = (args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Run => cli(args, cwd, { CVNET_PSEUDONYM_KEY: undefined, ...env });

let f: Fixture;
beforeAll(async () => {
  requireBuild();
  for (const c of ['segment', 'migrate', 'cluster']) {
    if (!existsSync(join(root, `packages/cli/dist/commands/${c}.js`))) throw new Error(`packages/cli/dist/commands/${c}.js is missing: run \`npm run build:ts\``);
  }
  f = await fixture(200, 40);
});

const column = (table: string[][], name: string): string[] => table.slice(1).map((r) => r[table[0]!.indexOf(name)]!);

describe('cvnet segment', () => {
  it('appends segment and level to classified customers (value17 by default)', () => {
    const out = join(f.dir, 'seg.csv');
    const r = cvnet(['segment', f.classified, '--out', out], f.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const table = readCsv(out);
    const input = readCsv(f.classified);
    expect(table[0]).toEqual([...input[0]!, 'segment', 'level']);
    expect(table.slice(1).map((row) => row.slice(0, -2))).toEqual(input.slice(1));
    const ids = new Set(VALUE17_SEGMENTS.segments.map((s) => s.id));
    const levelOf = new Map(VALUE17_SEGMENTS.segments.map((s) => [s.id, s.level]));
    column(table, 'segment').forEach((s, i) => {
      expect(ids.has(s)).toBe(true);
      expect(column(table, 'level')[i]).toBe(levelOf.get(s));
    });
    // Segments agree with the class: A/B → key, C → developing, D → marginal.
    const expected: Record<string, string> = { A: 'key', B: 'key', C: 'developing', D: 'marginal' };
    column(table, 'class').forEach((c, i) => expect(column(table, 'level')[i]).toBe(expected[c]));
  });

  it('writes the same bytes whether it copies a row or re-writes it (every field quoted forces the latter)', () => {
    const lines = readFileSync(f.classified, 'utf8').trimEnd().split('\n');
    const allQuoted = join(f.dir, 'all-quoted.csv');
    writeFileSync(allQuoted, stringify(readCsv(f.classified), { quoted: true }));
    const copied = cvnet(['segment', f.classified], f.dir);
    const rewritten = cvnet(['segment', allQuoted], f.dir);
    expect(copied.code).toBe(0);
    expect(rewritten.stdout).toBe(copied.stdout);
    expect(copied.stdout.split('\n')[1]!.startsWith(`${lines[1]},`)).toBe(true);
  });

  it('reports the first problem in row order: a repeated id before a later bad value, and on the same row', () => {
    const lines = readFileSync(f.classified, 'utf8').trimEnd().split('\n');
    const kAt = lines[0]!.split(',').indexOf('K');
    const withK = (line: string, k: string): string => line.split(',').map((v, j) => (j === kAt ? k : v)).join(',');
    const id = (i: number): string => lines[i]!.split(',')[0]!;
    const run = (name: string, body: string[]): string => {
      writeFileSync(join(f.dir, name), `${[lines[0]!, ...body].join('\n')}\n`);
      return cvnet(['segment', name], f.dir).stderr;
    };
    // Row 4 repeats row 2's id; row 5 has a bad K.
    expect(run('order1.csv', [lines[1]!, lines[2]!, lines[1]!, withK(lines[3]!, 'x')])).toContain(`row 4, column "id": duplicate customer id "${id(1)}" (first on row 2)`);
    // Row 3 has a bad K; row 4 repeats row 2's id.
    expect(run('order2.csv', [lines[1]!, withK(lines[2]!, 'x'), lines[1]!])).toMatch(/order2\.csv, line 3, column "K"/);
    // Row 4 repeats row 2's id and has a bad K.
    expect(run('order3.csv', [lines[1]!, lines[2]!, withK(lines[1]!, 'x')])).toContain(`row 4, column "id": duplicate customer id "${id(1)}" (first on row 2)`);
    // Row 4 repeats row 2's id; row 5 is malformed (one field too many).
    expect(run('order4.csv', [lines[1]!, lines[2]!, lines[1]!, `${lines[3]!},x`])).toContain(`row 4, column "id": duplicate customer id "${id(1)}" (first on row 2)`);
  });

  it('refuses raw customers with a repeated id, naming both rows', () => {
    const lines = readFileSync(f.raw, 'utf8').replace(/\r\n/g, '\n').trimEnd().split('\n');
    const id = lines[3]!.split(',')[0]!;
    writeFileSync(join(f.dir, 'raw-dup.csv'), `${[...lines, lines[3]!].join('\n')}\n`);
    const r = cvnet(['segment', 'raw-dup.csv', '--model', f.model, '--segments', 'rfm'], f.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`raw-dup.csv: row ${lines.length + 1}, column "id": duplicate customer id "${id}" (first on row 4)`);
  });

  it('scores raw customers with --model, applying the RFM grid to the recency and frequency scores', () => {
    const r = cvnet(['segment', f.raw, '--model', f.model, '--segments', 'rfm'], f.dir);
    expect(r.code).toBe(0);
    const table = (readCsvText(r.stdout));
    expect(table[0]!.slice(0, 6)).toEqual(['id', 'C', 'band', 'K', 'class', 'strategy']);
    expect(table[0]!.slice(-2)).toEqual(['segment', 'level']);
    const classifiedK = column(readCsv(f.classified), 'K').map(Number);
    column(table, 'K').forEach((k, i) => expect(Math.abs(Number(k) - classifiedK[i]!)).toBeLessThan(1e-12));
    const champions = RFM_SEGMENTS.segments.find((s) => s.id === 'champions')!;
    expect(champions).toBeDefined();
    table.slice(1).forEach((row) => {
      const R = Number(row[table[0]!.indexOf('recency')]);
      const F = Number(row[table[0]!.indexOf('frequency')]);
      const seg = row[table[0]!.indexOf('segment')];
      if (R === 5 && F >= 4) expect(seg).toBe('champions');
      if (R <= 2 && F <= 2) expect(seg).toBe('hibernating');
    });
  });

  it('refuses a map that is not a partition, naming the overlap and the gap', () => {
    const bad = join(f.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({
      name: 'bad', levels: [{ id: 'l', name: 'L' }],
      segments: [
        { id: 'top', name: 'Top', level: 'l', description: 'd', playbook: 'p', when: { class: ['A', 'B'] } },
        { id: 'mid', name: 'Mid', level: 'l', description: 'd', playbook: 'p', when: { class: ['B', 'C'] } },
      ],
    }));
    const r = cvnet(['segment', f.classified, '--segments', bad], f.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('overlap: "top" and "mid" all contain e.g. class = B');
    expect(r.stderr).toContain('gap: no segment contains e.g. class = D');
    const check = cvnet(['segment', '--check', '--segments', 'value17'], f.dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/3 level\(s\), 17 segment\(s\)/);
    expect(check.stdout).toContain('Proven: every possible customer is in exactly one segment');
  });

  it('--pseudonymize: HMAC-SHA256 ids keyed by the environment, or a clear error without the key', () => {
    const none = cvnet(['segment', f.classified, '--pseudonymize'], f.dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/CVNET_PSEUDONYM_KEY/);
    const r = cvnet(['segment', f.classified, '--pseudonymize'], f.dir, { CVNET_PSEUDONYM_KEY: KEY });
    expect(r.code).toBe(0);
    const ids = column(readCsv(f.classified), 'id');
    expect(column(readCsvText(r.stdout), 'id')).toEqual(ids.map((id) => createHmac('sha256', KEY).update(id).digest('hex')));
    for (const id of ids) expect(r.stdout).not.toContain(`${id},`);
  });

  it('--pseudonymize also hides the id in an error line (segment, cluster, migrate), hashed once', () => {
    const lines = readFileSync(f.classified, 'utf8').trimEnd().split('\n');
    const duplicated = join(f.dir, 'duplicated.csv');
    writeFileSync(duplicated, `${[...lines, lines[1]!].join('\n')}\n`);
    const id = column(readCsv(f.classified), 'id')[0]!;
    const hidden = createHmac('sha256', KEY).update(id).digest('hex');
    for (const args of [['segment', duplicated], ['cluster', duplicated], ['migrate', duplicated, f.classified]]) {
      const plain = cvnet(args, f.dir);
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain(`"${id}"`);
      // segment's check is classify's (bounded memory, both rows named).
      if (args[0] === 'segment') expect(plain.stderr).toContain(`duplicated.csv: row ${lines.length + 1}, column "id": duplicate customer id "${id}" (first on row 2)`);
      const r = cvnet([...args, '--pseudonymize'], f.dir, { CVNET_PSEUDONYM_KEY: KEY });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/customer id "?[0-9a-f]{64}/);
      expect(r.stderr).not.toContain(`"${id}"`);
      expect(r.stderr).toContain(hidden);
    }
  });
});

function readCsvText(text: string): string[][] {
  const path = join(f.dir, `stdout-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  return readCsv(path);
}

describe('cvnet migrate', () => {
  let later: string;
  beforeAll(() => {
    // A later run: every 5th customer drops one class, one customer leaves, one arrives.
    const t = readCsv(f.classified);
    const [h, ...rows] = t;
    const down: Record<string, string> = { A: 'B', B: 'C', C: 'D', D: 'D' };
    const changed = rows.slice(1).map((r, i) => {
      const x = [...r];
      if (i % 5 === 0) x[h!.indexOf('class')] = down[x[h!.indexOf('class')]!]!;
      return x;
    });
    const extra = [...rows[0]!];
    extra[0] = 'NEW1';
    later = join(f.dir, 'later.csv');
    writeFileSync(later, stringify([h!, ...changed, extra]));
  });

  it('prints the class matrix and who moved down; --json has the same numbers; --out hides ids unless asked', () => {
    const r = cvnet(['migrate', f.classified, later, '--out', join(f.dir, 'm.html')], f.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Class transitions (rows: before, columns: after):');
    expect(r.stdout).toMatch(/1 new, 1 gone/);
    const json = cvnet(['migrate', f.classified, later, '--json'], f.dir);
    expect(json.code).toBe(0);
    const m = JSON.parse(json.stdout).migration;
    expect(m.customers).toMatchObject({ both: 199, entered: 1, left: 1 });
    expect(m.classes.counts.flat().reduce((s: number, x: number) => s + x, 0)).toBe(199);
    const rows = readCsv(f.classified).slice(2);
    const expectedDown = rows.filter((r, i) => i % 5 === 0 && r[4] !== 'D').length;
    expect(m.down).toBe(expectedDown);
    expect(m.movedDown).toHaveLength(expectedDown);
    const page = readFileSync(join(f.dir, 'm.html'), 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toContain(`>${m.movedDown[0].id}<`);
    cvnet(['migrate', f.classified, later, '--out', join(f.dir, 'm2.html'), '--show-ids'], f.dir);
    expect(readFileSync(join(f.dir, 'm2.html'), 'utf8')).toContain(`>${m.movedDown[0].id}<`);
  });

  it('--store keeps snapshots in DuckDB: history accumulates, identical runs are stored once', () => {
    const store = join(f.dir, 'history.duckdb');
    expect(cvnet(['migrate', f.classified, later, '--store', store], f.dir).code).toBe(0);
    expect(cvnet(['migrate', f.classified, later, '--store', store], f.dir).code).toBe(0);
    const list = JSON.parse(cvnet(['migrate', '--list', '--store', store, '--json'], f.dir).stdout).snapshots;
    expect(list.map((s: { id: number; customers: number }) => [s.id, s.customers])).toEqual([[1, 200], [2, 200]]);
    const fromStore = JSON.parse(cvnet(['migrate', '@previous', '@latest', '--store', store, '--json'], f.dir).stdout).migration;
    const fromFiles = JSON.parse(cvnet(['migrate', f.classified, later, '--json'], f.dir).stdout).migration;
    expect(fromStore).toEqual(fromFiles);
    const bad = cvnet(['migrate', '@7', '@latest', '--store', store], f.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/@7: no such snapshot/);
  });

  it('--store stores nothing, and creates no store, when either run is bad', () => {
    const lines = readFileSync(later, 'utf8').trimEnd().split('\n');
    const classAt = lines[0]!.split(',').indexOf('class');
    const badClass = join(f.dir, 'badclass.csv');
    writeFileSync(badClass, `${lines.map((line, i) => (i === 4 ? line.split(',').map((v, j) => (j === classAt ? 'E' : v)).join(',') : line)).join('\n')}\n`);
    const fresh = join(f.dir, 'fresh.duckdb');
    const r = cvnet(['migrate', f.classified, badClass, '--store', fresh], f.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`Error: ${badClass}, line 5, column "class": expected a class A, B, C or D, got "E"\n`);
    expect(existsSync(fresh)).toBe(false);

    const store = join(f.dir, 'kept.duckdb');
    expect(cvnet(['migrate', f.classified, f.classified, '--store', store], f.dir).code).toBe(0);
    expect(cvnet(['migrate', later, badClass, '--store', store], f.dir).code).toBe(2);
    expect(cvnet(['migrate', '@latest', badClass, '--store', store], f.dir).code).toBe(2);
    const list = JSON.parse(cvnet(['migrate', '--list', '--store', store, '--json'], f.dir).stdout).snapshots;
    expect(list.map((s: { label: string }) => s.label)).toEqual(['classified.csv']);
  });

  it('reads only an existing store for --list and @ names, and refuses a DuckDB file that is not one', async () => {
    const typo = join(f.dir, 'typo.duckdb');
    const missing = `Error: ${typo}: no such snapshot store (file not found); runs are stored with cvnet migrate <before.csv> <after.csv> --store ${typo}\n`;
    for (const args of [['--list'], ['@1', '@2'], ['@latest', later]]) {
      const r = cvnet(['migrate', ...args, '--store', typo], f.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(missing);
      expect(existsSync(typo)).toBe(false);
    }
    const other = join(f.dir, 'other.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(other);
    const connection = await db.connect();
    await connection.run('CREATE TABLE t (x INTEGER)');
    connection.closeSync();
    db.closeSync();
    const r = cvnet(['migrate', '--list', '--store', other], f.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`Error: ${other}: not a cvnet snapshot store (no cvnet_snapshots and cvnet_snapshot_customers tables)\n`);
  });

  it('names the file and both lines of a repeated id', () => {
    const lines = readFileSync(f.classified, 'utf8').trimEnd().split('\n');
    const twice = join(f.dir, 'twice.csv');
    writeFileSync(twice, `${[...lines.slice(0, 6), lines[3]!, ...lines.slice(6)].join('\n')}\n`);
    const id = lines[3]!.split(',')[0]!;
    for (const args of [[f.classified, twice], [twice, f.classified]]) {
      const r = cvnet(['migrate', ...args], f.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`Error: ${twice}, line 7, column "id": duplicate customer id "${id}" (first on line 4)\n`);
    }
  });
});

describe('cvnet cluster', () => {
  it('is deterministic per seed and writes one cluster per customer', () => {
    const a = cvnet(['cluster', f.classified, '--k', '3', '--seed', '4', '--json', '--out', join(f.dir, 'c.csv')], f.dir);
    expect(a.code).toBe(0);
    const b = cvnet(['cluster', f.classified, '--k', '3', '--seed', '4', '--json'], f.dir);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
    const result = JSON.parse(a.stdout);
    expect(result.profiles.map((p: { size: number }) => p.size).reduce((s: number, x: number) => s + x, 0)).toBe(200);
    const table = readCsv(join(f.dir, 'c.csv'));
    expect(table[0]).toEqual(['id', 'class', 'K', 'cluster']);
    expect(new Set(column(table, 'cluster'))).toEqual(new Set(['1', '2', '3']));
    const text = cvnet(['cluster', f.classified, '--k', '3', '--seed', '4'], f.dir);
    expect(text.stdout).toContain('adjusted Rand index vs classes');
    expect(cvnet(['cluster', f.classified, '--k', '500'], f.dir).stderr).toMatch(/--k 500 is more than the 200 customers/);
  });
});
