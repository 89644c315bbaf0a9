/**
 * The one wording of "this file failed its schema", shared by every loader
 * that checks a user-written JSON file with zod (project config, segments,
 * quality policy, feature mapping, fitted indicators in a model). Users and
 * tests read these messages, so they must not drift apart loader by loader.
 */
import type { z } from 'zod';
import { ConfigError } from './errors.js';

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * A ConfigError naming `file` and listing every zod issue on its own line:
 *
 * ```text
 * segments.json is invalid:
 *   levels: Too small: expected array to have >=1 items
 *   (top level): Unrecognized key: "bogus"
 * ```
 *
 * The error's `path` is the first issue's, dotted (empty for the whole file).
 */
export function invalidConfigError(file: string, error: z.ZodError): ConfigError {
  const lines = error.issues.map((issue) => `  ${dotted(issue.path) || '(top level)'}: ${issue.message}`);
  const first = error.issues[0];
  return new ConfigError(`${file} is invalid:\n${lines.join('\n')}`, first === undefined ? {} : { path: dotted(first.path) });
}
