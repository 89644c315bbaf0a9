/**
 * A small trained model and its classified customers, built with the core
 * API (not another command), written to a temporary directory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { defaultConfig } from '../../packages/core/src/indicators/defaults.js';
import { scoreWithModel } from '../../packages/core/src/method/score-model.js';
import { trainCustomerValue, type CustomerValueRun } from '../../packages/core/src/method/train-model.js';
import { serializeModel } from '../../packages/core/src/model/model.js';
import { generateSurvey } from '../../packages/core/src/synthetic/survey.js';
import { referenceEngine } from '../../packages/core/src/network/reference.js';

export interface Fixture {
  dir: string;
  run: CustomerValueRun;
  rows: Record<string, string | number>[];
  /** Raw survey CSV, model file, classified CSV. */
  raw: string;
  model: string;
  classified: string;
}

export async function fixture(customers = 300, epochs = 80): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'cvnet-beyond-'));
  const rows = generateSurvey({ customers, seed: 1 }) as unknown as Record<string, string | number>[];
  // The plain TS reference: these tests do not depend on the Wasm build.
  const engine = referenceEngine;
  const run = trainCustomerValue(engine, { ...defaultConfig(), training: { epochs } }, rows);
  const model = join(dir, 'model.json');
  writeFileSync(model, serializeModel(run.model));
  const header = Object.keys(rows[0]!);
  const raw = join(dir, 'raw.csv');
  writeFileSync(raw, stringify([header, ...rows.map((r) => header.map((h) => r[h]))]));
  const b = scoreWithModel(engine, run.model, rows);
  const classified = join(dir, 'classified.csv');
  writeFileSync(classified, stringify([['id', 'C', 'band', 'K', 'class', 'strategy', ...b.indicators], ...b.customers.map((c) => [c.id, c.C, c.band, c.K, c.class, c.strategy, ...c.scores])]));
  return { dir, run, rows, raw, model, classified };
}
