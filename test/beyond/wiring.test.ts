/**
 * The beyond-the-score features wired into the method commands, run as the
 * built CLI: classify --explain, --pseudonymize on every command that writes
 * ids, and the report's segments, importance, clusters and data-quality
 * sections (bundled survey, iFood, the churn file).
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../packages/core/src/indicators/defaults.js';
import { escapeHtml } from '../../packages/core/src/report/escape.js';
import { VALUE17_SEGMENTS } from '../../packages/core/src/segments/builtin.js';
import { bundled, cvnet as cli, ifoodConfig, root, setup, type Run } from '../method-cli/helpers.js';
import { sharedData } from '../shared-data.js';

const KEY = 'wiring test key 0123456789';
const INDICATORS = defaultConfig().indicators.map((i) => i.id);
const CONTRACT = ['id', 'C', 'band', 'K', 'class', 'strategy', ...INDICATORS];

/** The CLI with CVNET_PSEUDONYM_KEY unset unless given. */
const cvnet = (args: readonly string[], cwd: string, key?: string): Run => cli(args, cwd, { CVNET_PSEUDONYM_KEY: key });

function ok(r: Run): Run {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
}

const table = (text: string): Record<string, string>[] => parse(text, { columns: true }) as Record<string, string>[];
const hmac = (key: string, id: string): string => createHmac('sha256', key).update(id).digest('hex');
const surveyIds = (): string[] => table(readFileSync(bundled, 'utf8')).map((r) => r.id!);

/** One `<section>` of a report, or '' when it has none. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}

let dir: string;
beforeAll(() => {
  dir = setup('cvnet-wiring-');
  ok(cvnet(['run', '--out', 'out'], dir));
});

describe('cvnet classify --explain', () => {
  it('appends K_base and contrib:<id>; for every row K − K_base = Σ contrib; K is unchanged', () => {
    const plain = ok(cvnet(['classify', bundled, '--model', 'out/model.json'], dir)).stdout;
    ok(cvnet(['classify', bundled, '--model', 'out/model.json', '--explain', '--out', 'explained.csv'], dir));
    const text = readFileSync(join(dir, 'explained.csv'), 'utf8');
    const header = (parse(text, { to: 1 }) as string[][])[0]!;
    expect(header).toEqual([...CONTRACT, 'K_base', ...INDICATORS.map((id) => `contrib:${id}`)]);
    const rows = table(text);
    const before = table(plain);
    expect(rows).toHaveLength(548);
    const kBase = Number(rows[0]!.K_base);
    let spread = 0;
    rows.forEach((r, i) => {
      for (const c of CONTRACT) expect(r[c]).toBe(before[i]![c]);
      expect(Number(r.K_base)).toBe(kBase);
      const sum = INDICATORS.reduce((s, id) => s + Number(r[`contrib:${id}`]), 0);
      expect(Math.abs(Number(r.K) - kBase - sum)).toBeLessThan(1e-6);
      spread = Math.max(spread, Math.abs(sum));
    });
    // The contributions carry the signal: K varies a lot across the survey.
    expect(spread).toBeGreaterThan(0.3);
  });

  it('JSON lines get the same columns and values', () => {
    const lines = ok(cvnet(['classify', bundled, '--model', 'out/model.json', '--explain', '--format', 'jsonl'], dir)).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
    const csv = table(readFileSync(join(dir, 'explained.csv'), 'utf8'));
    expect(lines).toHaveLength(548);
    expect(Object.keys(lines[0]!)).toEqual([...CONTRACT, 'K_base', ...INDICATORS.map((id) => `contrib:${id}`)]);
    for (const id of INDICATORS) expect(lines[7]![`contrib:${id}`]).toBe(Number(csv[7]![`contrib:${id}`]));
  });
});

describe('--pseudonymize', () => {
  it('cvnet run: no raw id anywhere in the run directory or the log; same key → same pseudonyms', () => {
    const a = ok(cvnet(['run', '--out', 'p1', '--pseudonymize'], dir, KEY));
    const b = ok(cvnet(['run', '--out', 'p2', '--pseudonymize', '--seed', '9'], dir, KEY));
    const ids = surveyIds();
    for (const run of ['p1', 'p2']) {
      for (const f of readdirSync(join(dir, run))) {
        const text = readFileSync(join(dir, run, f), 'utf8');
        for (const id of ids) if (text.includes(id)) throw new Error(`${run}/${f} contains the raw id ${id}`);
      }
    }
    for (const id of ids) expect(a.stdout + a.stderr + b.stdout + b.stderr).not.toContain(id);
    const c1 = table(readFileSync(join(dir, 'p1/customers.csv'), 'utf8'));
    const c2 = table(readFileSync(join(dir, 'p2/customers.csv'), 'utf8'));
    expect(c1.map((r) => r.id)).toEqual(ids.map((id) => hmac(KEY, id)));
    expect(c2.map((r) => r.id)).toEqual(c1.map((r) => r.id));
    // The pseudonyms are what the report lists (ids are pseudonymous, so shown).
    expect(sectionOf(readFileSync(join(dir, 'p1/report.html'), 'utf8'), 'customers')).toMatch(/<td class="l">[0-9a-f]{64}<\/td>/);
  });

  it('a missing key is one error line, exit 2, nothing written', () => {
    for (const args of [['run', '--out', 'nokey'], ['classify', bundled, '--model', 'out/model.json'], ['report', 'out', '--out', 'nokey.html'], ['sample', bundled]]) {
      const r = cvnet([...args, '--pseudonymize'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^Error: .*CVNET_PSEUDONYM_KEY/);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'nokey'))).toBe(false);
    expect(existsSync(join(dir, 'nokey.html'))).toBe(false);
  });

  it('classify, sample and report write pseudonyms; another key gives other pseudonyms', () => {
    const ids = surveyIds();
    const c = table(ok(cvnet(['classify', bundled, '--model', 'out/model.json', '--pseudonymize'], dir, KEY)).stdout);
    expect(c.map((r) => r.id)).toEqual(ids.map((id) => hmac(KEY, id)));
    const other = table(ok(cvnet(['classify', bundled, '--model', 'out/model.json', '--pseudonymize'], dir, `${KEY}!`)).stdout);
    expect(other.map((r) => r.id)).toEqual(ids.map((id) => hmac(`${KEY}!`, id)));
    const s = table(ok(cvnet(['sample', bundled, '--pseudonymize'], dir, KEY)).stdout);
    expect(s.length).toBeGreaterThan(200);
    for (const r of s) expect(r.id).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(s.map((r) => r.id)).size).toBe(s.length);
    ok(cvnet(['report', '--model', 'out/model.json', '--data', bundled, '--pseudonymize', '--out', 'pr.html'], dir, KEY));
    const html = readFileSync(join(dir, 'pr.html'), 'utf8');
    for (const id of ids) expect(html).not.toContain(id);
    expect(html).toContain(hmac(KEY, table(readFileSync(join(dir, 'out/customers.csv'), 'utf8')).sort((x, y) => Number(y.K) - Number(x.K))[0]!.id!));
  });

  it('an error that names a duplicated customer names its pseudonym', () => {
    const first = surveyIds()[0]!;
    const lines = readFileSync(bundled, 'utf8').trimEnd().split('\r\n');
    lines[5] = lines[5]!.replace(/^[^,]+/, first);
    writeFileSync(join(dir, 'dup.csv'), `${lines.join('\n')}\n`);
    const r = cvnet(['classify', 'dup.csv', '--model', 'out/model.json', '--pseudonymize'], dir, KEY);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`duplicate customer id ${hmac(KEY, first)}`);
    expect(r.stderr).not.toContain(first);
    expect(cvnet(['classify', 'dup.csv', '--model', 'out/model.json'], dir).stderr).toContain(`duplicate customer id "${first}"`);
  });
});

describe('report sections', () => {
  let html: string;
  beforeAll(() => {
    html = readFileSync(join(dir, 'out/report.html'), 'utf8');
  });

  it('cvnet run has segments (value17), importance, clusters; no raw ids unless --show-ids', () => {
    for (const id of ['segments', 'importance', 'clusters']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('Segments: Value map: 3 levels, 17 segments');
    expect(html).not.toMatch(/https?:\/\/|<script/i);
    for (const id of surveyIds()) expect(html).not.toContain(id);
    ok(cvnet(['run', '--out', 'shown', '--show-ids'], dir));
    expect(sectionOf(readFileSync(join(dir, 'shown/report.html'), 'utf8'), 'customers')).toMatch(/<td class="l">S\d{3}<\/td>/);
  });

  it('segment sizes agree with cvnet segment on the same customers', () => {
    const segmented = table(ok(cvnet(['segment', 'out/customers.csv'], dir)).stdout);
    const counts = new Map<string, number>();
    for (const r of segmented) counts.set(r.segment!, (counts.get(r.segment!) ?? 0) + 1);
    const section = sectionOf(html, 'segments');
    for (const s of VALUE17_SEGMENTS.segments) {
      const m = section.match(new RegExp(`<tr><td class="l">${escapeHtml(s.name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</td><td>(\\d+)</td>`));
      expect(m, s.name).not.toBeNull();
      expect(Number(m![1])).toBe(counts.get(s.id) ?? 0);
    }
  });

  it('the cluster cross-tab covers every customer; importance is seeded and has every indicator', () => {
    const clusters = sectionOf(html, 'clusters');
    const sizes = [...clusters.matchAll(/<tr><th>cluster \d+<\/th>(?:<td[^>]*>\d+<\/td>){4}<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(sizes).toHaveLength(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(548);
    const importance = sectionOf(html, 'importance');
    expect(importance).toContain(`(seed ${defaultConfig().seed})`);
    expect([...importance.matchAll(/<tr><td class="l">/g)]).toHaveLength(14);
    ok(cvnet(['run', '--out', 'again', '--segments', 'rfm', '--clusters', '3'], dir));
    const again = readFileSync(join(dir, 'again/report.html'), 'utf8');
    expect(sectionOf(again, 'importance')).toBe(importance);
    expect(again).toContain('Segments: RFM');
    expect(sectionOf(again, 'clusters')).toContain('k = 3');
    ok(cvnet(['run', '--out', 'none', '--clusters', '0'], dir));
    expect(readFileSync(join(dir, 'none/report.html'), 'utf8')).not.toContain('<section id="clusters">');
    const bad = cvnet(['run', '--out', 'badseg', '--segments', 'nope.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Error: nope\.json: segment config not found/);
    // A name Object.prototype has is a file name like any other.
    const inherited = cvnet(['segment', '--segments', 'constructor', '--check'], dir);
    expect(inherited.code).toBe(2);
    expect(inherited.stderr).toMatch(/^Error: constructor: segment config not found \(shipped maps: value17, rfm\)/);
  });

  it('cvnet report re-renders a run directory with segments and clusters', () => {
    ok(cvnet(['report', 'out', '--out', 'again.html'], dir));
    const again = readFileSync(join(dir, 'again.html'), 'utf8');
    expect(sectionOf(again, 'segments')).toBe(sectionOf(html, 'segments'));
    expect(sectionOf(again, 'clusters')).toBe(sectionOf(html, 'clusters'));
  });
});

describe('data quality on real data', () => {
  it('iFood: --quality imputes, winsorises and flags before fitting; the report counts it; rfm segments', () => {
    const r = ok(cvnet(['run', sharedData('ifood_ml_project1_data.csv'), '--config', ifoodConfig, '--quality', join(root, 'examples/quality/ifood.json'), '--out', 'ifood', '--json'], dir));
    expect(JSON.parse(r.stdout).customers).toBe(2240);
    expect(r.stderr).toContain('Data quality: missing Income: 24 empty value(s) imputed with the median 51381.5');
    // Imputed before fitting, so the indicator no longer meets empty incomes.
    expect(JSON.parse(r.stdout).warnings.some((w: string) => /24 empty value/.test(w))).toBe(false);
    const q = sectionOf(readFileSync(join(dir, 'ifood/report.html'), 'utf8'), 'data-quality');
    expect(q).toContain('<td class="l">Income</td><td class="l">median</td><td>24</td><td>0</td><td>24</td>');
    expect(q).toContain('(line 2235): 666666');
    expect(q).toMatch(/Year_Birth.*\(line \d+\): 1893/);
    expect(q).not.toMatch(/5524|\b(?:0|1|9|10|13) \(line/);
    expect(readFileSync(join(dir, 'ifood/report.html'), 'utf8')).toContain('Segments: RFM');
  });

  it('churn: the raw file is refused with a clear message; with the index dropped the example policy runs', () => {
    const raw = sharedData('ecommerce_customer_churn.csv');
    const refused = cvnet(['run', raw, '--config', join(root, 'examples/quality/churn-config.json'), '--quality', join(root, 'examples/quality/churn.json'), '--out', 'churn'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2: row has 21 fields, expected 20/);
    const [head, ...rest] = readFileSync(raw, 'utf8').trimEnd().split(/\r?\n/);
    writeFileSync(join(dir, 'churn.csv'), `${[head, ...rest.map((l) => l.slice(l.indexOf(',') + 1))].join('\n')}\n`);
    const config = JSON.parse(readFileSync(join(root, 'examples/quality/churn-config.json'), 'utf8'));
    writeFileSync(join(dir, 'churn-config.json'), JSON.stringify({ ...config, training: { epochs: 100 } }));
    const r = ok(cvnet(['run', 'churn.csv', '--config', 'churn-config.json', '--quality', join(root, 'examples/quality/churn.json'), '--out', 'churn', '--json'], dir));
    expect(JSON.parse(r.stdout).customers).toBe(5630 - 307);
    expect(r.stderr).toContain('missing daysincelastorder: 307 empty, 307 row(s) dropped');
    const q = sectionOf(readFileSync(join(dir, 'churn/report.html'), 'utf8'), 'data-quality');
    expect(q).toContain('5630 customer rows read, 5323 kept (307 removed)');
    expect(q).toMatch(/warehousetohome.*: 126/);
  });
});
