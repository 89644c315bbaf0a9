/** Reading and writing model files (Node only). */
import { readFile } from 'node:fs/promises';
import { ModelError } from '../errors.js';
import { parseModelText, serializeModel } from '../model/model.js';
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
  return parseModelText(text, path);
}

/** Writes a model file atomically (temporary file, then rename). */
export async function writeModelFile(path: string, model: Model): Promise<void> {
  await atomicWriteFile(path, serializeModel(model));
}
