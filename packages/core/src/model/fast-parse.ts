/**
 * The fast path of reading a model file, for start-up: ajv code generated
 * from the zod schema (scripts/model-validator.js) checks a plain network
 * model without the zod model schema, whose modules, construction and first
 * parse take ~15 ms. It only ever accepts. Whatever it does not accept (a method
 * model, a file that relies on zod's defaults, a bad file) is for
 * parseModel, which has the error messages. What it accepts, zod accepts
 * and returns unchanged (fast-parse.test.ts checks both ways).
 */
import { shapeProblem } from './convert.js';
import { validate } from './plain-model-validator.generated.js';
import type { Model } from './schema.js';

/** The parsed JSON as a model if it is certainly a valid plain-network model, else undefined (ask parseModel). */
export function parsePlainModel(json: unknown): Model | undefined {
  if (!validate(json)) return undefined;
  const model = json as Model;
  return shapeProblem(model) === undefined ? model : undefined;
}
