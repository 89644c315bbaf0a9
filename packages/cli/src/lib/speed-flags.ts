/**
 * --precision and --threads: plain string flags checked here rather than
 * with oclif's `options`/`min`, whose errors span several lines; these
 * become one-line OptionsErrors (exit 2) like every other bad input.
 */
import { Flags } from '@oclif/core';
import { OptionsError, type Precision } from '@cvnet/core/lean';

/** --precision with a command's own account of what f32 trades (the value is checked by resolvePrecision). */
// The return type is inferred: oclif's Flags.string overloads make it hard to spell.
export const precisionFlag = (f32: string) =>
  Flags.string({ description: `arithmetic: f64, or f32 (the engine's fast mode), which ${f32} [default: f64]` });

export const threadsFlag = Flags.string({
  description: 'worker threads for training (Node worker_threads; the result is bit-identical for a given thread count, and within 1e-10 of one thread); pays off only for large training sets [default: 1]',
});

/** The --precision value. @throws OptionsError for anything but f64 or f32. */
export function resolvePrecision(value: string | undefined): Precision {
  if (value === undefined || value === 'f64') return 'f64';
  if (value === 'f32') return 'f32';
  throw new OptionsError(`--precision must be f64 or f32, got "${value}"`);
}

/** The --threads value. @throws OptionsError unless an integer from 1 to 256. */
export function resolveThreads(value: string | undefined): number {
  if (value === undefined) return 1;
  const threads = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(threads >= 1 && threads <= 256)) throw new OptionsError(`--threads must be an integer from 1 to 256, got "${value}"`);
  return threads;
}
