/**
 * Inputs of the customer-value commands: the project config (a file, the
 * `cvnet init` file in the working directory, or the study's defaults),
 * customer rows read from CSV, and the bundled synthetic survey.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, OptionsError, computeWeights, defaultConfig, parseConfig, type CustomerRow, type ProjectConfig } from '@cvnet/core';
import { DataError, openCsv, type CsvSource } from '@cvnet/core/data';
import { inFile, toRow } from './file-rows.js';

/** The file `cvnet init` writes and the other commands pick up when no --config is given. */
export const DEFAULT_CONFIG_FILE = 'cvnet.config.jsonc';

/**
 * The bundled survey: 548 customers from the project's own seeded generator
 * (`generateSurvey({ customers: 548, seed: 1 })`), not real people.
 */
export const BUNDLED_SURVEY = fileURLToPath(new URL('../../data/synthetic-survey-548.csv', import.meta.url));

/** Whether `path` is the bundled synthetic survey. */
export function isBundledSurvey(path: string): boolean {
  return resolve(path) === BUNDLED_SURVEY;
}

export interface LoadedConfig {
  config: ProjectConfig;
  /** The file it came from, or a description of the built-in default. */
  label: string;
}

/**
 * The project config: `path` when given, else ./cvnet.config.jsonc when it
 * exists, else the study's 14-indicator default. The weights are computed
 * once here so a bad weight set fails before any data is read.
 *
 * @param seed overrides the config's seed when given.
 * @throws ConfigError naming the file.
 */
export async function loadConfig(path: string | undefined, seed?: number): Promise<LoadedConfig> {
  const file = path ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  let loaded: LoadedConfig;
  if (file === undefined) {
    loaded = { config: defaultConfig(), label: 'built-in study config (14 indicators, 3 dimensions)' };
  } else {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError(error.code === 'ENOENT' ? `${file}: config file not found` : `${file}: cannot read (${error.message})`);
    });
    loaded = { config: parseConfig(text, file), label: file };
  }
  if (seed !== undefined) {
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new OptionsError(`--seed must be an integer from 0 to ${0xffffffff}, got ${seed}`);
    loaded.config = { ...loaded.config, seed };
  }
  inFile(loaded.label, ConfigError, () => computeWeights(loaded.config));
  return loaded;
}

/**
 * Runs `fn` on the data of `path`: core errors get the file name, and a
 * missing source column also points at the config that asks for it.
 */
export function onData<T>(path: string, config: string, fn: () => T): T {
  try {
    return inFile(path, DataError, fn);
  } catch (error) {
    if (error instanceof DataError && error.indicator !== undefined && / is not in the data/.test(error.message)) {
      throw new DataError(`${error.message} (config ${config}: fix the indicator's "source" or the data)`, {
        column: error.column,
        indicator: error.indicator,
      });
    }
    throw error;
  }
}

export interface CustomerTable {
  path: string;
  /** Short name for reports (file name). */
  name: string;
  header: readonly string[];
  rows: CustomerRow[];
  /** File line of each row (the header is line 1), for error messages. */
  lines: number[];
  synthetic: boolean;
}

/**
 * Reads a customer CSV file (header, then one customer per row) into memory,
 * or the rest of one already open.
 *
 * @throws DataError naming file and line; also for a file with no customers.
 */
export async function readCustomers(file: string | CsvSource): Promise<CustomerTable> {
  const source = typeof file === 'string' ? await openCsv(file) : file;
  const { path } = source;
  const rows: CustomerRow[] = [];
  const lines: number[] = [];
  for await (const record of source.records) {
    rows.push(toRow(source.header, record.fields));
    lines.push(record.line);
  }
  if (rows.length === 0) throw new DataError(`${path}: no customer rows below the header`);
  return { path, name: basename(path), header: source.header, rows, lines, synthetic: isBundledSurvey(path) };
}
