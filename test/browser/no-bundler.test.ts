/**
 * @cvnet/core as plain ESM in Chromium without a bundler (an import map and
 * relative paths from a static folder), with the Wasm compiled while it
 * streams when the server sends application/wasm and by the fallback when it
 * sends a wrong MIME type. Results equal Node's to the last digit.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultConfig, generateSurvey, loadEngine, scoreWithModel, serializeModel, trainCustomerValue,
} from '../../packages/core/src/index.node.js';
import { launch, requireBuild, root, serve, type Served } from './helpers.js';

requireBuild();

let browser: Browser;
let right: Served;
let wrong: Served;

beforeAll(async () => {
  [browser, right, wrong] = await Promise.all([
    launch(),
    serve({ root }),
    serve({ root, types: { '.wasm': 'application/octet-stream' } }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([right?.close(), wrong?.close()]);
});

/** Records whether the core compiled the Wasm by streaming or by the buffered fallback. */
function watchCompiles(): void {
  const log: string[] = [];
  (globalThis as unknown as { compiles: string[] }).compiles = log;
  const streaming = WebAssembly.compileStreaming.bind(WebAssembly);
  const buffered = WebAssembly.compile.bind(WebAssembly);
  WebAssembly.compileStreaming = (source) => streaming(source).then(
    (m) => (log.push('streaming'), m),
    (e: unknown) => (log.push(`streaming failed: ${(e as Error).name}`), Promise.reject(e)),
  );
  WebAssembly.compile = (bytes) => (log.push('buffered'), buffered(bytes));
}

async function runPage(server: Served): Promise<{ result: { model: string; customers: { id: string; K: number; class: string }[] }; compiles: string[]; wasmType: string }> {
  const page = await browser.newPage();
  await page.addInitScript(watchCompiles);
  let wasmType = '';
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmType = r.headers()['content-type'] ?? '';
  });
  await page.goto(`${server.url}test/browser/no-bundler/`);
  await page.waitForSelector('#out:not([data-state=running])', { timeout: 60_000 });
  const text = await page.textContent('#out');
  expect(await page.getAttribute('#out', 'data-state'), text ?? '').toBe('done');
  const compiles = await page.evaluate(() => (globalThis as unknown as { compiles: string[] }).compiles);
  await page.close();
  return { result: JSON.parse(text!), compiles, wasmType };
}

describe('@cvnet/core without a bundler', () => {
  let expected: { model: string; customers: { id: string; K: number; class: string }[] };

  beforeAll(async () => {
    const engine = await loadEngine();
    const rows = generateSurvey({ customers: 120, seed: 3 });
    const run = trainCustomerValue(engine, { ...defaultConfig(), seed: 5, training: { epochs: 300 } }, rows);
    const scored = scoreWithModel(engine, run.model, rows);
    expected = { model: serializeModel(run.model), customers: scored.customers.map((c) => ({ id: c.id, K: c.K, class: c.class })) };
  });

  it('trains and scores from <script type="module">, streaming the Wasm', async () => {
    const { result, compiles, wasmType } = await runPage(right);
    expect(wasmType).toBe('application/wasm');
    expect(compiles).toEqual(['streaming']);
    expect(result).toEqual(expected);
    expect(new Set(result.customers.map((c) => c.class)).size).toBeGreaterThan(1);
  });

  it('falls back to a buffered compile when the server sends the wrong MIME type', async () => {
    const { result, compiles, wasmType } = await runPage(wrong);
    expect(wasmType).toBe('application/octet-stream');
    expect(compiles).toEqual(['streaming failed: TypeError', 'buffered']);
    expect(result).toEqual(expected);
  });

  it('the browser entry reaches no Node built-in and no package but zod', () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      // Static `… from '…'`, side-effect `import '…'` and dynamic `import('…')`.
      for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
        else bare.add(spec);
      }
    };
    visit(join(root, 'packages/core/dist/index.browser.js'));
    expect(seen.size).toBeGreaterThan(20);
    expect([...bare]).toEqual(['zod']);
  });
});
