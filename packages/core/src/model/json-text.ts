/** JSON.parse for model text, without loading the model schema. */
import { ModelError } from '../errors.js';

/**
 * Parses a model's JSON text.
 *
 * @throws ModelError of one line: V8 quotes the text around a bad token, line
 *   breaks included, and a CLI error or a log entry must stay one line; they
 *   are shown as `\n`.
 */
export function parseModelJson(text: string, source: string): unknown {
  try {
    // A UTF-8 byte order mark (some Windows editors write one) is not JSON, but the file is.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new ModelError(`${source}: not valid JSON (${(error as Error).message.replace(/\r\n|\r|\n/g, '\\n')})`);
  }
}
