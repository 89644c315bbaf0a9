/**
 * Trained models and their customers for the SQL tests: the main job (the
 * study's 14 Likert indicators on the synthetic survey) and the iFood example
 * (quantile cuts, sums, counts, days since, categorical and missing rules on
 * the real file). Few epochs: the network only has to be a real one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parseConfig } from '../../packages/core/src/indicators/config.js';
import { defaultConfig } from '../../packages/core/src/indicators/defaults.js';
import type { CustomerRow } from '../../packages/core/src/indicators/source.js';
import { scoreWithModel, type ScoredBatch } from '../../packages/core/src/method/score-model.js';
import { trainCustomerValue } from '../../packages/core/src/method/train-model.js';
import type { Model } from '../../packages/core/src/model/schema.js';
import { generateSurvey } from '../../packages/core/src/synthetic/survey.js';
import { loadEngine } from '../../packages/core/src/wasm/node.js';
import { sharedData } from '../shared-data.js';

export interface Case {
  name: string;
  model: Model;
  /** Rows as the core reads them (CSV text or numbers). */
  rows: Record<string, string | number>[];
  /** What the Wasm core says about every row: the reference for the SQL. */
  expected: ScoredBatch;
}

export async function mainJob(): Promise<Case> {
  const engine = await loadEngine();
  const rows = generateSurvey({ customers: 548, seed: 1 }) as unknown as Record<string, string | number>[];
  const { model } = trainCustomerValue(engine, { ...defaultConfig(), training: { epochs: 80 } }, rows);
  return { name: 'main job', model, rows, expected: scoreWithModel(engine, model, rows) };
}

export async function ifood(): Promise<Case> {
  const engine = await loadEngine();
  const configPath = fileURLToPath(new URL('../../examples/ifood/config.json', import.meta.url));
  const config = parseConfig(readFileSync(configPath, 'utf8'), 'examples/ifood/config.json');
  const rows = parse(readFileSync(sharedData('ifood_ml_project1_data.csv'), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const { model } = trainCustomerValue(engine, { ...config, training: { epochs: 80 } }, rows, { numbering: { firstLine: 2 } });
  return { name: 'iFood', model, rows, expected: scoreWithModel(engine, model, rows as CustomerRow[], { firstLine: 2 }) };
}

export type ColumnType = 'bigint' | 'double' | 'date' | 'text';

/** The type a warehouse would give each column: integers, floats, ISO dates, else text. */
export function warehouseTypes(rows: readonly Record<string, string | number>[]): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const column of Object.keys(rows[0]!)) {
    const values = rows.map((r) => r[column]).filter((v) => v !== '' && v !== undefined && v !== null).map(String);
    if (values.every((v) => /^-?\d+$/.test(v))) types[column] = 'bigint';
    else if (values.every((v) => Number.isFinite(Number(v)))) types[column] = 'double';
    else if (values.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v))) types[column] = 'date';
    else types[column] = 'text';
  }
  return types;
}

/** Every column as text, as a CSV file is loaded verbatim. */
export function textTypes(rows: readonly Record<string, string | number>[]): Record<string, ColumnType> {
  return Object.fromEntries(Object.keys(rows[0]!).map((c) => [c, 'text' as const]));
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * CREATE TABLE and INSERT statements (standard SQL read by DuckDB and
 * PostgreSQL alike). Empty cells are NULL in typed columns and stay '' in
 * text columns, as a CSV loader leaves them.
 */
export function tableStatements(table: string, rows: readonly Record<string, string | number>[], types: Record<string, ColumnType>, batch = 500): string[] {
  const columns = Object.keys(types);
  const sqlType = { bigint: 'BIGINT', double: 'DOUBLE PRECISION', date: 'DATE', text: 'TEXT' } as const;
  const literal = (v: string | number | undefined, type: ColumnType): string => {
    if (type === 'text') return `'${String(v ?? '').replace(/'/g, "''")}'`;
    if (v === undefined || String(v).trim() === '') return 'NULL';
    if (type === 'date') return `DATE '${String(v)}'`;
    return type === 'double' ? `CAST('${Number(v)}' AS DOUBLE PRECISION)` : String(Number(v));
  };
  const out = [`CREATE TABLE ${table} (${columns.map((c) => `${quoteIdent(c)} ${sqlType[types[c]!]}`).join(', ')})`];
  for (let i = 0; i < rows.length; i += batch) {
    const values = rows.slice(i, i + batch).map((r) => `(${columns.map((c) => literal(r[c], types[c]!)).join(', ')})`);
    out.push(`INSERT INTO ${table} VALUES ${values.join(',\n')}`);
  }
  return out;
}

export interface SqlRow {
  id: string;
  scores: number[];
  C: number | null;
  band: number | null;
  K: number | null;
  class: string | null;
  strategy: string | null;
}

/** Result rows keyed by lower-case column name (Snowflake-style names come back as written). */
export function toSqlRows(records: readonly Record<string, unknown>[], idColumn: string, indicators: readonly string[]): SqlRow[] {
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return records.map((raw) => {
    const r = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      id: String(r[idColumn.toLowerCase()]),
      scores: indicators.map((i) => num(r[i.toLowerCase()])!),
      C: num(r.c),
      band: num(r.band),
      K: num(r.k),
      class: (r.class as string | null) ?? null,
      strategy: (r.strategy as string | null) ?? null,
    };
  });
}

export interface Comparison {
  maxDeltaK: number;
  maxDeltaC: number;
  mismatches: string[];
}

/** Compares every SQL row with the core's scoring of the same customer. */
export function compare(expected: ScoredBatch, rows: readonly SqlRow[]): Comparison {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const mismatches: string[] = [];
  let maxDeltaK = 0;
  let maxDeltaC = 0;
  if (rows.length !== expected.customers.length) mismatches.push(`${rows.length} rows, expected ${expected.customers.length}`);
  for (const c of expected.customers) {
    const r = byId.get(c.id);
    if (!r) {
      mismatches.push(`customer ${c.id} missing`);
      continue;
    }
    // Math.max propagates NaN, so a NaN from the engine fails the comparison too.
    maxDeltaK = Math.max(maxDeltaK, r.K === null ? Infinity : Math.abs(r.K - c.K));
    maxDeltaC = Math.max(maxDeltaC, r.C === null ? Infinity : Math.abs(r.C - c.C));
    if (r.class !== c.class) mismatches.push(`customer ${c.id}: class ${r.class}, core ${c.class}`);
    if (r.band !== c.band) mismatches.push(`customer ${c.id}: band ${r.band}, core ${c.band}`);
    if (r.strategy !== c.strategy) mismatches.push(`customer ${c.id}: strategy differs`);
    if (r.scores.join() !== c.scores.join()) mismatches.push(`customer ${c.id}: scores ${r.scores.join()}, core ${c.scores.join()}`);
  }
  return { maxDeltaK, maxDeltaC, mismatches: mismatches.slice(0, 20) };
}
