/**
 * Shared set-up for the customer-value CLI tests: the built CLI (see
 * test/cli/helpers.ts), the bundled survey, and config variants built from
 * the study's default config.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { defaultConfig } from '../../packages/core/src/indicators/defaults.js';
import { generateSurvey, trainCustomerValue, defaultConfig as builtDefaultConfig, type Engine, type Model } from '@cvnet/core';
import { cvnet, requireBuild, root, type Run } from '../cli/helpers.js';

export { cvnet, root, type Run };

export const bundled = join(root, 'packages/cli/data/synthetic-survey-548.csv');
export const ifoodConfig = join(root, 'examples/ifood/config.json');

/**
 * The model the in-process streaming tests share: the study's config, 20
 * epochs, on the generator's 548-customer survey (the built core, as the
 * CLI library under test uses it).
 */
export function surveyModel(engine: Engine): Model {
  return trainCustomerValue(engine, { ...builtDefaultConfig(), training: { epochs: 20 } }, generateSurvey({ customers: 548, seed: 1 }) as never).model;
}

/**
 * Temp directories made by setup, removed after the test file that made
 * them: this hook is registered when a test file imports this module (each
 * file has its own module graph), since setup itself runs inside hooks.
 */
const made = new Set<string>();
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
});

/** A fresh temp directory after checking the CLI is built; removed after the test file. */
export function setup(prefix: string): string {
  requireBuild();
  if (!existsSync(join(root, 'packages/cli/dist/commands/run.js'))) throw new Error('packages/cli/dist/commands/run.js is missing: run `npm run build:ts`');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** The study's config as JSON with `edit` applied, written to dir/name. */
export function writeConfig(dir: string, name: string, edit: (c: any) => void = () => {}): string {
  const c = JSON.parse(JSON.stringify(defaultConfig()));
  edit(c);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(c, null, 2));
  return path;
}

/** The bundled survey's lines (header first), without line ends. */
export function surveyLines(): string[] {
  return readFileSync(bundled, 'utf8').trimEnd().split('\r\n');
}

/** Asserts a refused command: exit 2, exactly one line on stderr matching `message`, nothing on stdout. */
export function expectRefused(run: Run, message: RegExp): void {
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^Error: /);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
}
