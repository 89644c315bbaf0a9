/**
 * The customer-value method as stored in a model file (`model.method`): what
 * a scorer needs to turn a new customer into K, class and strategy on exactly
 * the scale the network was trained on — the fitted indicator system (cut
 * points), the weights, the current-value indicators, thresholds, strategies.
 */
import { z } from 'zod';
import { fittedSystemSchema } from '../indicators/fitted-schema.js';
import { strategiesSchema, thresholdsSchema } from '../indicators/config.js';

const bandRowSchema = z.strictObject({
  band: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
  lower: z.number(),
  upper: z.number(),
  count: z.number().int().nonnegative(),
  proportion: z.number().min(0).max(1),
});

export const modelMethodSchema = z.strictObject({
  /** Indicators in network input order, every rule made concrete (cut points, maps). */
  system: fittedSystemSchema,
  /** Final (global) weight of every indicator; they sum to 1. */
  weights: z.record(z.string(), z.number().min(0)),
  /** Indicator ids whose weighted sum is the current value C (R, F, M in the study). */
  currentValue: z.array(z.string().min(1)).min(1),
  thresholds: thresholdsSchema,
  strategies: strategiesSchema,
  /** What the network learned: an expert column or the comprehensive weighted score. */
  target: z.strictObject({ kind: z.enum(['expert-value', 'expert-class', 'comprehensive']), source: z.string() }),
  /** Pre-classification of the training data (the study's Table 2). */
  bands: z.array(bandRowSchema).length(5).optional(),
  /** Test-set evaluation at training time. */
  evaluation: z
    .strictObject({
      n: z.number().int().nonnegative(),
      mse: z.number(),
      accuracy: z.number().min(0).max(1),
      confusion: z.array(z.array(z.number().int().nonnegative()).length(4)).length(4),
    })
    .optional(),
});

export type ModelMethod = z.output<typeof modelMethodSchema>;
