/**
 * Per-customer explanations in the built web app (Chromium): clicking a
 * customer shows each indicator's contribution to K; they must add up to
 * K − K_base and equal what `cvnet classify --explain` writes for the model
 * the page trained.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSurvey, toCsv } from '../../packages/core/src/index.node.js';
import { artifacts, cvnet, launch, requireBuild, serve, webDist, type Served } from './helpers.js';

requireBuild();

let browser: Browser;
let server: Served;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvnet-web-explain-'));
  [browser, server] = await Promise.all([launch(), serve({ root: webDist })]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Shown {
  id: string;
  k: number;
  kBase: number;
  contributions: Record<string, number>;
}

it('clicking a customer shows contributions that sum to K − K_base, as cvnet classify --explain computes them', async () => {
  const data = join(dir, 'survey.csv');
  writeFileSync(data, toCsv(generateSurvey({ customers: 200, seed: 5 })));
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.setInputFiles('[data-testid=data-input]', data);
  await page.fill('[data-testid=seed]', '5');
  await page.click('[data-testid=train]');
  await page.waitForSelector('[data-testid=status][data-state="done"]', { timeout: 60_000 });
  expect(await page.isHidden('[data-testid=explain]')).toBe(true);

  const read = (): Promise<Shown> => page.$eval('[data-testid=explain]', (card) => ({
    id: card.getAttribute('data-id')!,
    k: Number(card.getAttribute('data-k')),
    kBase: Number(card.getAttribute('data-kbase')),
    contributions: Object.fromEntries([...card.querySelectorAll('[data-testid=contribution]')].map((r) => [r.getAttribute('data-indicator')!, Number(r.getAttribute('data-value'))])),
  }));

  const shown: Shown[] = [];
  for (const row of [0, 3, 17]) {
    const rowK = Number(await page.locator('[data-testid=customer-row]').nth(row).getAttribute('data-k'));
    const rowId = await page.locator('[data-testid=customer-row]').nth(row).getAttribute('data-id');
    await page.locator('[data-testid=customer-row]').nth(row).click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=explain]')?.getAttribute('data-id') === id && !document.querySelector<HTMLElement>('[data-testid=explain]')!.hidden, rowId);
    const s = await read();
    expect(s.k).toBe(rowK);
    expect(Object.keys(s.contributions)).toHaveLength(14);
    const sum = Object.values(s.contributions).reduce((a, b) => a + b, 0);
    expect(Math.abs(s.k - s.kBase - sum)).toBeLessThan(1e-6);
    // The chart draws one bar per indicator.
    expect(await page.locator('#explain-chart rect').count()).toBe(14);
    shown.push(s);
  }
  expect(new Set(shown.map((s) => s.id)).size).toBe(3);
  await page.screenshot({ path: join(artifacts, 'web-explain.png'), fullPage: true });

  // The same numbers as the CLI's explanation of the model the page trained.
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-model]')]);
  const model = join(dir, 'model.json');
  await file.saveAs(model);
  const cli = cvnet(['classify', data, '--model', model, '--explain']);
  expect(cli.stderr).toBe('');
  const rows = parse(cli.stdout, { columns: true }) as Record<string, string>[];
  for (const s of shown) {
    const r = rows.find((x) => x.id === s.id)!;
    expect(Number(r.K)).toBe(s.k);
    expect(Number(r.K_base)).toBeCloseTo(s.kBase, 12);
    for (const [id, v] of Object.entries(s.contributions)) expect(Number(r[`contrib:${id}`])).toBeCloseTo(v, 12);
  }
  expect(errors).toEqual([]);
  await page.close();
});
