/** Reading and writing model files (Node only). */
import { readFile } from 'node:fs/promises';
import { ModelError } from '../errors.js';
import { serializeModel } from '../model/convert.js';
import { parseModelFast } from '../model/fast-parse.js';
import type { Model } from '../model/schema.js';
import { atomicWriteFile } from './atomic.js';

/**
 * Reads and checks a model file.
 *
 * @throws ModelError when the file is missing, not JSON, or not a valid model.
 */
export async function readModelFile(path: string): Promise<Model> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ModelError(
      error.code === 'ENOENT' ? `${path}: model file not found` : `${path}: cannot read (${error.message})`,
    );
  });
  // The zod model schema is loaded only for a file the generated validator
  // does not accept: loading, building and first use cost ~15 ms for a plain
  // model and ~55 ms for a method model.
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return (await import('../model/model.js')).parseModelText(text, path); // its message for broken JSON
  }
  return parseModelFast(json) ?? (await import('../model/model.js')).parseModel(json, path);
}

/** Writes a model file atomically (temporary file, then rename). */
export async function writeModelFile(path: string, model: Model): Promise<void> {
  await atomicWriteFile(path, serializeModel(model));
}
