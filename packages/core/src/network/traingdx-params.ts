/**
 * Validating traingdx parameters (zod). Kept apart from options.ts because
 * zod costs ~30 ms to import: scoring-only paths (createScorer, `cvnet
 * predict`) never load this module, and the engine loads it on creation.
 */
import { z } from 'zod';
import { OptionsError } from '../errors.js';
import { DEFAULT_TRAINGDX, MAX_EPOCHS } from './options.js';
import type { TraingdxParams } from './types.js';

/**
 * traingdx parameters; every field is optional on input and defaults to
 * DEFAULT_TRAINGDX. zod 4 numbers already reject NaN and ±Infinity.
 */
export const traingdxParamsSchema = z
  .object({
    epochs: z.number().int().min(0).max(MAX_EPOCHS).default(DEFAULT_TRAINGDX.epochs),
    goal: z.number().min(0).default(DEFAULT_TRAINGDX.goal),
    lr: z.number().positive().default(DEFAULT_TRAINGDX.lr),
    lrInc: z.number().min(1).default(DEFAULT_TRAINGDX.lrInc),
    lrDec: z.number().positive().lt(1).default(DEFAULT_TRAINGDX.lrDec),
    maxPerfInc: z.number().min(1).default(DEFAULT_TRAINGDX.maxPerfInc),
    mc: z.number().min(0).max(1).default(DEFAULT_TRAINGDX.mc),
    minGrad: z.number().min(0).default(DEFAULT_TRAINGDX.minGrad),
    maxFail: z.number().int().min(1).max(2 ** 31 - 1).default(DEFAULT_TRAINGDX.maxFail),
  })
  .strict();

/** Defaults merged with `params`; throws OptionsError naming every bad field. */
export function resolveTraingdxParams(params: Partial<TraingdxParams> = {}): TraingdxParams {
  const parsed = traingdxParamsSchema.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`);
    throw new OptionsError(`invalid traingdx parameters: ${problems.join('; ')}`);
  }
  return parsed.data;
}
