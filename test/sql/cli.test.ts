/** `cvnet export-sql` end to end (runs the built CLI: `npm run build` first). */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModelFile } from '../../packages/core/src/data/model-file.js';
import { modelToSql } from '../../packages/core/src/sql/index.js';
import { cvnet, requireBuild } from '../cli/helpers.js';
import { mainJob } from './fixtures.js';
import { syntheticModel } from './synthetic-model.js';

let dir: string;
beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'cvnet-export-sql-'));
  const { model } = await mainJob();
  await writeModelFile(join(dir, 'model.json'), model);
  await writeModelFile(join(dir, 'plain.json'), { ...model, method: undefined });
  await writeModelFile(join(dir, 'huge.json'), syntheticModel(2, 1200));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cvnet export-sql', () => {
  it('writes the query for the model and options to --out, or to standard output', async () => {
    const { model } = await mainJob();
    const run = cvnet(['export-sql', '--model', 'model.json', '--dialect', 'postgres', '--table', 'shop.customers', '--input', 'scores', '--out', 'score.sql'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'score.sql'), 'utf8')).toBe(modelToSql(model, { dialect: 'postgres', table: 'shop.customers', input: 'scores' }));
    const stdout = cvnet(['export-sql', '-m', 'model.json', '-d', 'bigquery', '--invalid', 'null', '--columns', 'text'], dir);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toBe(modelToSql(model, { dialect: 'bigquery', invalid: 'null', columns: 'text' }));
  });

  it('fails with one line and exit 2 for a model without a method, or a network past the engine limit, leaving no file', () => {
    const plain = cvnet(['export-sql', '--model', 'plain.json', '--dialect', 'duckdb', '--out', 'a.sql'], dir);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^Error: model has no customer-value method .*\n$/);
    const huge = cvnet(['export-sql', '--model', 'huge.json', '--dialect', 'duckdb', '--out', 'b.sql'], dir);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/^Error: network 2-1200-1 has neurons summing 1201 terms; DuckDB takes at most 990 .*\n$/);
    expect(existsSync(join(dir, 'a.sql')) || existsSync(join(dir, 'b.sql'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp') || f.startsWith('.'))).toEqual([]);
    // --ignore-limits writes it anyway, for an engine configured past its defaults.
    expect(cvnet(['export-sql', '--model', 'huge.json', '--dialect', 'duckdb', '--ignore-limits', '--out', 'b.sql'], dir).code).toBe(0);
  });
});
