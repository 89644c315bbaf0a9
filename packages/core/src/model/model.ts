/**
 * Parsing model files with clear errors: the zod schema is the reference,
 * and every message a user sees about a bad model file comes from here.
 */
import type { z } from 'zod';
import { ModelError } from '../errors.js';
import { shapeProblem } from './convert.js';
import { parseModelJson } from './json-text.js';
import { MODEL_FORMAT, modelV1Schema, type Model } from './schema.js';

export { modelToNetwork, networkToModel, serializeModel, trainingRecord, type ModelInfo } from './convert.js';

/**
 * Readers by file version. Each takes the raw JSON and returns a model of the
 * current version, upgrading older layouts; add one per retired version.
 */
const readers: Readonly<Record<number, (json: unknown, source: string) => Model>> = {
  1: (json, source) => {
    const result = modelV1Schema.safeParse(json);
    if (!result.success) throw new ModelError(`${source}: ${describeIssue(result.error)}`);
    return result.data;
  },
};

/**
 * Checks a model file's parsed JSON and returns it as a current-version model.
 *
 * @param source name used in error messages, usually the file path.
 * @throws ModelError naming the problem: not a cvnet model, an unsupported
 *   version, the JSON path of a malformed value, or inconsistent shapes.
 */
export function parseModel(json: unknown, source = 'model'): Model {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelError(`${source}: not a cvnet model (expected a JSON object)`);
  }
  const { format, version } = json as { format?: unknown; version?: unknown };
  if (format !== MODEL_FORMAT) {
    throw new ModelError(
      `${source}: not a cvnet model (format is ${JSON.stringify(format) ?? 'missing'}, expected "${MODEL_FORMAT}")`,
    );
  }
  const reader = typeof version === 'number' ? readers[version] : undefined;
  if (reader === undefined) {
    throw new ModelError(
      `${source}: unsupported model version ${JSON.stringify(version) ?? '(missing)'} (this cvnet reads version ${Object.keys(readers).join(', ')})`,
    );
  }
  const model = reader(json, source);
  const problem = shapeProblem(model);
  if (problem !== undefined) throw new ModelError(`${source}: ${problem}`);
  return model;
}

/** parseModel on the text of a model file. */
export function parseModelText(text: string, source = 'model'): Model {
  return parseModel(parseModelJson(text, source), source);
}

/** `layers[0].weights[2][1]` from zod's path array. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  return `${formatPath(issue.path)}: ${issue.message}${more}`;
}

