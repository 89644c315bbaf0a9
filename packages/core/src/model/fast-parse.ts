/**
 * The fast path of reading a model file, for start-up: ajv code generated
 * from the zod schema (scripts/model-validator.js) checks a model, method
 * section included, without the zod model schema, whose modules,
 * construction and first parse take ~55 ms. It only ever accepts. Whatever
 * it does not accept (a file that relies on zod's defaults or trimming, a bad
 * file) is for parseModel, which has the error messages. What it accepts,
 * zod accepts and returns unchanged (fast-parse.test.ts checks both ways).
 */
import { cutsAscending, scoresFitCuts, thresholdsOrdered } from '../indicators/rule-checks.js';
import type { ModelMethod } from '../method/model-method.js';
import { shapeProblem } from './convert.js';
import { validate } from './model-validator.generated.js';
import type { Model } from './schema.js';

/**
 * The model schema's refinements (rule-checks.ts) where it places them:
 * every fitted cuts rule, and the class thresholds. The generator allows
 * only these, each in one place (fast-parse.test.ts names them to it).
 */
function refinementsHold(method: ModelMethod): boolean {
  if (!thresholdsOrdered(method.thresholds)) return false;
  return method.system.indicators.every(({ rule }) => rule.type !== 'cuts' || (scoresFitCuts(rule) && cutsAscending(rule)));
}

/** The parsed JSON as a model if it is certainly a valid model, else undefined (ask parseModel). */
export function parseModelFast(json: unknown): Model | undefined {
  if (!validate(json)) return undefined;
  const model = json as Model;
  if (model.method !== undefined && !refinementsHold(model.method)) return undefined;
  return shapeProblem(model) === undefined ? model : undefined;
}
