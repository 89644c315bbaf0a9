/**
 * Validation of a fitted indicator system read back from a saved model, so a
 * hand-edited or corrupted model fails with a clear message, not NaN scores.
 */
import { z } from 'zod';
import { configSchema } from './config.js';
import { invalidConfigError } from '../config-issues.js';
import type { FittedIndicatorSystem } from './fit.js';
import { cutsAscending, scoresFitCuts } from './rule-checks.js';

const score = z.number().int().min(1).max(5);
const missingScore = score.nullable();
const sourceSchema = configSchema.shape.indicators.element.shape.source;

const ruleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('likert'), missingScore }),
  z
    .strictObject({ type: z.literal('cuts'), cuts: z.array(z.number()), scores: z.array(score), missingScore })
    .refine(scoresFitCuts, 'scores must have one more entry than cuts')
    .refine(cutsAscending, 'cuts must be strictly ascending'),
  z.strictObject({ type: z.literal('categorical'), map: z.record(z.string(), score), default: score.nullable(), missingScore }),
]);

export const fittedSystemSchema = z.strictObject({
  version: z.literal(1),
  idColumn: z.string().min(1),
  indicators: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        name: z.string(),
        dimension: z.string().min(1),
        source: sourceSchema,
        from: z.enum(['likert', 'cuts', 'quantile', 'categorical']),
        rule: ruleSchema,
      }),
    )
    .min(1),
});

/**
 * Checks that `value` is a fitted indicator system (as produced by
 * fitIndicatorSystem and stored in a model).
 *
 * @throws ConfigError listing the problems.
 */
export function validateFittedSystem(value: unknown, what = 'fitted indicator system'): FittedIndicatorSystem {
  const parsed = fittedSystemSchema.safeParse(value);
  if (!parsed.success) {
    throw invalidConfigError(what, parsed.error);
  }
  return parsed.data;
}
