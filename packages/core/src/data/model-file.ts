/** Reading and writing model files (Node only). */
import { readFile } from 'node:fs/promises';
import { ModelError } from '../errors.js';
import { serializeModel } from '../model/convert.js';
import { parseModelFast } from '../model/fast-parse.js';
import { parseModelJson } from '../model/json-text.js';
import type { Model } from '../model/schema.js';
import { atomicWriteFile } from './atomic.js';

/**
 * Reads a model file's JSON. A UTF-8 byte order mark, which some Windows
 * editors write, is dropped, as the UTF-8 decoding of PUT /v1/model drops it:
 * a file loads alike however it is given.
 *
 * @throws ModelError when the file is missing or not JSON.
 */
export async function readModelJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ModelError(
      error.code === 'ENOENT' ? `${path}: model file not found` : `${path}: cannot read (${error.message})`,
    );
  });
  return parseModelJson(text, path);
}

/**
 * Reads and checks a model file.
 *
 * @throws ModelError when the file is missing, not JSON, or not a valid model.
 */
export async function readModelFile(path: string): Promise<Model> {
  const json = await readModelJson(path);
  // The zod model schema is loaded only for a file the generated validator
  // does not accept: loading, building and first use cost ~15 ms for a plain
  // model and ~55 ms for a method model.
  return parseModelFast(json) ?? (await import('../model/model.js')).parseModel(json, path);
}

/** Writes a model file atomically (temporary file, then rename). */
export async function writeModelFile(path: string, model: Model): Promise<void> {
  await atomicWriteFile(path, serializeModel(model));
}
