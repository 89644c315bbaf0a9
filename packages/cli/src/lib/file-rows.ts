/**
 * Rows of a customer file: a CSV record as a row keyed by column name, and
 * core errors given the file's name. Apart from method-input.ts, which loads
 * the config parser, so that `cvnet classify` starts without it.
 */
import { ConfigError, DataError } from '@cvnet/core/lean';
import type { CustomerRow } from '@cvnet/core/scoring';

/**
 * Runs `fn`, prefixing the message of a thrown `type` error with `where`
 * (core errors name row, column and indicator but not the file).
 */
export function inFile<T>(where: string, type: typeof DataError | typeof ConfigError, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof type) || error.message.startsWith(where)) throw error;
    const prefixed = error instanceof DataError
      ? new DataError(`${where}: ${error.message}`, { row: error.row, column: error.column, indicator: error.indicator })
      : new ConfigError(`${where}: ${error.message}`, { path: (error as ConfigError).path, indicator: (error as ConfigError).indicator });
    throw prefixed;
  }
}

/** One CSV record as a row keyed by column name. */
export function toRow(header: readonly string[], fields: readonly string[]): CustomerRow {
  const row: Record<string, string> = {};
  header.forEach((name, i) => (row[name] = fields[i]!));
  return row;
}
