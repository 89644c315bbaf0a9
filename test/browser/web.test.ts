/**
 * The built web app in real Chromium: train in the page with a fixed seed and
 * check the results against `cvnet classify` on the same data and the model
 * the page produced (class counts, K to the last digit, the classified CSV
 * byte for byte), and against training the same config in Node. Also: a
 * project config from a file on real data, scoring with a model file,
 * errors from bad files shown in the page, and cancelling a run with and
 * without cross-origin isolation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultConfig, generateSurvey, loadEngine, parseConfig, parseModelText, toCsv, trainCustomerValue,
} from '../../packages/core/src/index.node.js';
import { sharedData } from '../shared-data.js';
import { artifacts, cvnet, launch, requireBuild, root, serve, webDist, type Served } from './helpers.js';

requireBuild();

let browser: Browser;
let isolated: Served;
let plain: Served;
let dir: string;
/** Messages the page wrote to the console: bad files must show in the page, not there. */
const consoleErrors: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvnet-web-'));
  [browser, isolated, plain] = await Promise.all([launch(), serve({ root: webDist }), serve({ root: webDist, isolation: false })]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([isolated?.close(), plain?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(server: Served): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(server.url);
  return page;
}

const status = (page: Page, state: string) =>
  page.waitForSelector(`[data-testid=status][data-state="${state}"]`, { timeout: 60_000 });

async function download(page: Page, testid: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

interface PageRun {
  counts: Record<string, number>;
  first: { id: string; k: number; cls: string }[];
  model: string;
  csv: string;
}

/** Reads what the page shows after a run and downloads its files. */
async function collect(page: Page, tag: string): Promise<PageRun> {
  const counts: Record<string, number> = {};
  for (const c of ['A', 'B', 'C', 'D']) counts[c] = Number(await page.textContent(`[data-testid=class-count-${c}]`));
  const first = await page.$$eval('[data-testid=customer-row]', (rows) =>
    rows.slice(0, 10).map((r) => ({ id: r.getAttribute('data-id')!, k: Number(r.getAttribute('data-k')), cls: r.getAttribute('data-class')! })));
  return { counts, first, model: await download(page, 'download-model', `${tag}.model.json`), csv: await download(page, 'download-csv', `${tag}.classified.csv`) };
}

async function trainInPage(page: Page, data: string, options: { seed?: number; config?: string; outcome?: 'done' | 'error' } = {}): Promise<void> {
  await page.setInputFiles('[data-testid=data-input]', data);
  if (options.config) await page.setInputFiles('[data-testid=config-input]', options.config);
  else await page.check('[data-testid=system-default]');
  await page.fill('[data-testid=seed]', options.seed === undefined ? '' : String(options.seed));
  await page.click('[data-testid=train]');
  await status(page, options.outcome ?? 'done');
}

/** `cvnet classify` on the same data with the page's model: its CSV text and rows. */
function classify(data: string, model: string): { text: string; rows: Record<string, string>[] } {
  const run = cvnet(['classify', data, '--model', model]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { text: run.stdout, rows: parse(run.stdout, { columns: true }) as Record<string, string>[] };
}

function expectSameAsCli(page: PageRun, cli: Record<string, string>[]): void {
  const counts = { A: 0, B: 0, C: 0, D: 0 } as Record<string, number>;
  for (const r of cli) counts[r.class!]!++;
  expect(page.counts).toEqual(counts);
  expect(page.first).toEqual(cli.slice(0, 10).map((r) => ({ id: r.id, k: Number(r.K), cls: r.class })));
  // Every class is populated, so a page showing nothing or one class could not pass.
  expect(Object.values(counts).every((n) => n > 0)).toBe(true);
}

const survey = (): string => {
  const path = join(dir, 'survey.csv');
  writeFileSync(path, toCsv(generateSurvey({ customers: 300, seed: 7 })));
  return path;
};

describe('web app in Chromium', () => {
  let surveyCsv: string;
  let surveyModel: string;
  let surveyCli: Record<string, string>[];

  it('trains with a fixed seed and agrees with cvnet classify to the last digit', async () => {
    surveyCsv = survey();
    const page = await open(isolated);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await trainInPage(page, surveyCsv, { seed: 7 });
    // The live curve and the distributions are drawn.
    expect(await page.locator('[data-testid=curve] polyline').count()).toBe(1);
    expect(await page.locator('[data-testid=k-histogram] rect').count()).toBe(20);
    await page.screenshot({ path: join(artifacts, 'web-trained.png'), fullPage: true });
    const run = await collect(page, 'survey');
    surveyModel = run.model;

    const cli = classify(surveyCsv, run.model);
    surveyCli = cli.rows;
    expectSameAsCli(run, cli.rows);
    expect(readFileSync(run.csv, 'utf8')).toBe(cli.text);

    // Chromium's Wasm trained exactly what Node's trains from the same seed.
    const node = trainCustomerValue(await loadEngine(), { ...defaultConfig(), seed: 7 }, generateSurvey({ customers: 300, seed: 7 }));
    const { createdAt, ...fromPage } = parseModelText(readFileSync(run.model, 'utf8'), run.model);
    expect(createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(fromPage).toEqual(node.model);

    // Sorting by K (descending first) puts the most valuable customer on top.
    await page.click('[data-testid=customers] th[data-key=K]');
    expect(await page.getAttribute('[data-testid=customers] th[data-key=K]', 'aria-sort')).toBe('descending');
    const top = [...cli.rows].sort((a, b) => Number(b.K) - Number(a.K)).slice(0, 3).map((r) => r.id);
    expect(await page.$$eval('[data-testid=customer-row]', (rows) => rows.slice(0, 3).map((r) => r.getAttribute('data-id')))).toEqual(top);
    await page.close();
  });

  it('scores a dropped CSV with a loaded model file, without training', async () => {
    const page = await open(isolated);
    const dropped = await page.evaluateHandle(({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      return transfer;
    }, { name: 'survey.csv', text: readFileSync(surveyCsv, 'utf8') });
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dropped });
    expect(await page.textContent('[data-testid=data-name]')).toContain('survey.csv');
    await page.setInputFiles('[data-testid=model-input]', surveyModel);
    await page.click('[data-testid=score]');
    await status(page, 'done');
    expect(await page.isHidden('#curve-card')).toBe(true);
    const run = await collect(page, 'survey-scored');
    expectSameAsCli(run, surveyCli);
    expect(readFileSync(run.csv, 'utf8')).toBe(readFileSync(join(dir, 'survey.classified.csv'), 'utf8'));
    await page.close();
  });

  it('trains on the synthetic demo data, the survey the CLI bundles', async () => {
    const page = await open(isolated);
    await page.click('[data-testid=demo]');
    await page.waitForFunction(() => /synthetic/.test(document.querySelector('[data-testid=data-name]')!.textContent!));
    await page.click('[data-testid=train]');
    await status(page, 'done');
    const run = await collect(page, 'demo');
    expectSameAsCli(run, classify(join(root, 'packages/cli/data/synthetic-survey-548.csv'), run.model).rows);
    await page.close();
  });

  it('trains real data (iFood) with a project config loaded from a file', async () => {
    const data = sharedData('ifood_ml_project1_data.csv');
    const config = join(root, 'examples/ifood/config.json');
    const page = await open(isolated);
    await trainInPage(page, data, { config, seed: 3 });
    const run = await collect(page, 'ifood');
    expect(Object.values(run.counts).reduce((a, b) => a + b, 0)).toBe(2240);
    const cli = classify(data, run.model);
    expectSameAsCli(run, cli.rows);
    expect(readFileSync(run.csv, 'utf8')).toBe(cli.text);
    // The seed typed in the page, not the config's, drove the run.
    expect(parseConfig(readFileSync(config, 'utf8')).seed).not.toBe(3);
    expect(parseModelText(readFileSync(run.model, 'utf8')).training?.seed).toBe(3);
    await page.close();
  });

  it('shows bad files in the page with row and column, not in the console', async () => {
    const lines = readFileSync(surveyCsv, 'utf8').split('\r\n');
    const header = lines[0]!.split(',');
    const monetary = header.indexOf('monetary');
    const badValue = [...lines];
    badValue[3] = badValue[3]!.split(',').map((v, i) => (i === monetary ? 'lots' : v)).join(',');
    const ragged = [...lines];
    ragged[2] = ragged[2]!.split(',').slice(0, -1).join(',');
    writeFileSync(join(dir, 'bad-value.csv'), badValue.join('\r\n'));
    writeFileSync(join(dir, 'ragged.csv'), ragged.join('\r\n'));
    writeFileSync(join(dir, 'broken.model.json'), '{"format": "cvnet-model", ');
    consoleErrors.length = 0;

    const page = await open(isolated);
    const error = page.locator('[data-testid=error]');
    await trainInPage(page, join(dir, 'bad-value.csv'), { outcome: 'error' });
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain('Problem in the customer file at row 4, column "monetary"');
    expect(await error.textContent()).toContain('bad-value.csv: row 4, column "monetary" (indicator "monetary"): expected a number, got "lots"');
    expect(await error.getAttribute('data-row')).toBe('4');
    expect(await error.getAttribute('data-column')).toBe('monetary');
    await page.screenshot({ path: join(artifacts, 'web-error.png') });

    await page.setInputFiles('[data-testid=data-input]', join(dir, 'ragged.csv'));
    expect(await error.isHidden()).toBe(true);
    await page.click('[data-testid=train]');
    await status(page, 'error');
    expect(await error.textContent()).toContain(`ragged.csv: line 3: row has ${header.length - 1} fields, expected ${header.length}`);
    expect(await error.getAttribute('data-row')).toBe('3');
    expect(await error.getAttribute('data-column')).toBe(header[header.length - 1]);

    await page.setInputFiles('[data-testid=data-input]', surveyCsv);
    await page.setInputFiles('[data-testid=model-input]', join(dir, 'broken.model.json'));
    await page.click('[data-testid=score]');
    await status(page, 'error');
    expect(await error.textContent()).toContain('broken.model.json');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it.each([
    ['cross-origin isolated: a shared flag stops the run', () => isolated, 'shared-flag'],
    ['not isolated: the worker is replaced', () => plain, 'terminate'],
  ] as const)('cancels a long run (%s) and keeps working', async (_name, server, mode) => {
    const config = join(dir, 'long.json');
    writeFileSync(config, JSON.stringify({ ...defaultConfig(), training: { epochs: 2_000_000, minGrad: 0 } }));
    const page = await open(server());
    expect(await page.getAttribute('html', 'data-cancel')).toBe(mode);
    await page.setInputFiles('[data-testid=data-input]', surveyCsv);
    await page.setInputFiles('[data-testid=config-input]', config);
    await page.click('[data-testid=train]');
    // Progress arrives while the run goes on, and the page still answers.
    await page.waitForFunction(() => /epoch \d+/.test(document.querySelector('[data-testid=status]')!.textContent!), undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    await page.click('[data-testid=cancel]');
    await status(page, 'cancelled');
    expect(await page.textContent('[data-testid=status]')).toMatch(mode === 'shared-flag' ? /^Training cancelled at epoch \d+\.$/ : /^Training cancelled\.$/);
    // The (new) worker scores as before.
    await page.setInputFiles('[data-testid=model-input]', surveyModel);
    await page.click('[data-testid=score]');
    await status(page, 'done');
    expect(Number(await page.textContent('[data-testid=class-count-A]'))).toBe(surveyCli.filter((r) => r.class === 'A').length);
    await page.close();
  });
});
