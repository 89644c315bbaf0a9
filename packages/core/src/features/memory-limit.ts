import { OptionsError } from '../errors.js';

/**
 * DuckDB's memory_limit syntax: a decimal number and a unit, spaces allowed
 * (2GB, 512MiB, 1.5 GB, 10 megabytes). DuckDB's own error for anything else
 * is only "Failed to set config", naming neither the setting nor the value.
 */
const SIZE = /^\s*(?:\d+(?:\.\d*)?|\.\d+)\s*(?:b|bytes?|[kmgt]|[kmgt]i?b|(?:kilo|mega|giga|tera)bytes?)\s*$/i;

/**
 * Checks a DuckDB memory limit before DuckDB sees it.
 *
 * @throws OptionsError naming `name` (a flag, say) and the value.
 */
export function checkMemoryLimit(limit: string, name = 'memory limit'): void {
  if (!SIZE.test(limit)) {
    throw new OptionsError(`${name} must be a size such as 2GB or 512MiB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got "${limit}"`);
  }
}
