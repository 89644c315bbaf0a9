/**
 * Start-up of the commands people run again and again on small files: which
 * modules a whole run loads, not how long it takes (timings are the bench's).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSurvey, serializeModel, toCsv, trainCustomerValue, defaultConfig, loadEngine } from '@cvnet/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cvnet, requireBuild, root, writeFixture } from './helpers.js';

// Registered before the CLI starts: prints every module URL it loads.
const LIST_MODULES = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent('export async function load(url, context, next) { console.error("LOADED " + url); return next(url, context); }')}`)});`)}`;

let dir: string;
beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'cvnet-start-up-'));
  const survey = generateSurvey({ customers: 40, seed: 3 });
  writeFileSync(join(dir, 'survey.csv'), toCsv(survey.slice(0, 10)));
  const { model } = trainCustomerValue(await loadEngine(), { ...defaultConfig(), training: { epochs: 2 } }, survey as never);
  writeFileSync(join(dir, 'method.json'), serializeModel(model));
  writeFixture(join(dir, 'plain.csv'), 40);
  const trained = cvnet(['train', join(dir, 'plain.csv'), '--target', 'K', '--features', 'a,b,c', '--epochs', '2', '--out', join(dir, 'plain.json')], dir);
  expect(trained.code, trained.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every module URL a whole `cvnet <args>` run loads; the run must succeed. */
function modulesOf(args: readonly string[]): string[] {
  const child = spawnSync(process.execPath, ['--import', LIST_MODULES, join(root, 'packages/cli/bin/run.js'), ...args], { encoding: 'utf8', cwd: dir });
  expect(child.status, child.stderr).toBe(0);
  return child.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice(7));
}

it('cvnet classify runs without the core index, the config parser or zod', () => {
  const loaded = modulesOf(['classify', 'survey.csv', '--model', 'method.json', '--out', 'classified.csv']);
  expect(readFileSync(join(dir, 'classified.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(11);
  expect(loaded.some((url) => url.endsWith('/core/dist/scoring.js'))).toBe(true);
  expect(loaded.filter((url) => /\/core\/dist\/(index\.node|index|indicators\/config|model\/schema)\.js$|\/core\/dist\/(report|sql|features)\/|\/node_modules\/zod\//.test(url))).toEqual([]);
});

it('cvnet predict runs without the scoring entry, the core index or zod', () => {
  const loaded = modulesOf(['predict', 'plain.csv', '--model', 'plain.json', '--out', 'predicted.csv']);
  expect(readFileSync(join(dir, 'predicted.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(41);
  expect(loaded.filter((url) => /\/core\/dist\/(index\.node|index|scoring)\.js$|\/node_modules\/zod\//.test(url))).toEqual([]);
});
