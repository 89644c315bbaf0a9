/**
 * The server's scores equal `cvnet classify` on the same customers: for the
 * study's Likert model and for a model whose rules cut raw values (quantile
 * and explicit cut points), so both input paths are covered.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, scoreWithModel, type ProjectConfig } from '../../packages/core/src/index.node.js';
import { cliBin, makeFixture, removeFixtures, requireBuild, root, startNode, type Fixture, type Running } from './helpers.js';

/** monetary by quantiles of its raw value, recency by explicit cut points (lower is better). */
const withCuts = (config: ProjectConfig): ProjectConfig => ({
  ...config,
  indicators: config.indicators.map((ind) => {
    if (ind.id === 'monetary') return { ...ind, rule: { type: 'quantile', count: 5, direction: 'higher', missing: 'error' } };
    if (ind.id === 'recency') return { ...ind, rule: { type: 'cuts', cuts: [1.5, 3.5], direction: 'lower', missing: 'median' } };
    return ind;
  }),
});

const fixtures: Record<string, Fixture> = {};
const servers: Record<string, Running> = {};

beforeAll(async () => {
  requireBuild();
  [fixtures.likert, fixtures.cuts] = await Promise.all([makeFixture(30, 1), makeFixture(30, 1, withCuts)]);
  [servers.likert, servers.cuts] = await Promise.all([startNode(fixtures.likert!.modelPath), startNode(fixtures.cuts!.modelPath)]);
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  removeFixtures(...Object.values(fixtures));
});

describe.each(['likert', 'cuts'])('%s model', (name) => {
  it('POST /v1/score (CSV and JSON) equals scoreWithModel and `cvnet classify --format csv`', async () => {
    const fixture = fixtures[name]!;
    const url = servers[name]!.url;
    const csv = readFileSync(fixture.csvPath, 'utf8');
    const served = await (await fetch(`${url}/v1/score`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv })).text();

    const expected = scoreWithModel(await loadEngine(), fixture.model, fixture.rows);
    const rows = parse(served) as string[][];
    expect(rows.slice(1).map((r) => r[3])).toEqual(expected.customers.map((c) => String(c.K)));
    if (name === 'cuts') {
      const rule = fixture.model.method!.system.indicators.find((i) => i.id === 'monetary')!.rule;
      expect(rule.type).toBe('cuts'); // the raw values really went through fitted cut points
    }

    const json = (await (await fetch(`${url}/v1/score`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fixture.rows) })).json()) as { K: number; C: number }[];
    expect(json.map((c) => c.K)).toEqual(expected.customers.map((c) => c.K));
    expect(json.map((c) => c.C)).toEqual(expected.customers.map((c) => c.C));

    // `cvnet classify` is the reference front end: the server's CSV is its CSV, byte for byte, plus segment and level
    // as the last two columns (segment and level ids never need quoting, so each line ends in ",<segment>,<level>").
    const cli = spawnSync(process.execPath, [cliBin, 'classify', fixture.csvPath, '--model', fixture.modelPath, '--format', 'csv'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const tail = /,([A-Za-z_][A-Za-z0-9_-]*),([A-Za-z_][A-Za-z0-9_-]*)$/gm;
    const appended = [...served.matchAll(tail)].map((m) => [m[1], m[2]]);
    expect(appended).toHaveLength(rows.length);
    expect(appended[0]).toEqual(['segment', 'level']);
    expect(appended.slice(1)).toEqual(rows.slice(1).map((r) => r.slice(-2)));
    expect(served.replace(tail, '')).toBe(cli.stdout);
  });
});
