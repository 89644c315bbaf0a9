/**
 * The cvnet model file, version 1: plain JSON that a person can read and a
 * zod schema (published as JSON Schema in packages/core/schema/) can check.
 */
import { z } from 'zod';
import { traingdxParamsSchema } from '../network/traingdx-params.js';
import { modelMethodSchema } from '../method/model-method.js';
import { MODEL_FORMAT, MODEL_VERSION } from './format.js';

export { MODEL_FORMAT, MODEL_VERSION };

// zod 4's number() already refuses NaN and ±Infinity, which JSON cannot carry.
const finite = z.number();
const count = z.number().int().nonnegative();

export const transferSchema = z.enum(['tansig', 'logsig', 'purelin']);

export const layerSchema = z
  .object({
    transfer: transferSchema,
    /** S×R: `weights[i][j]` is the weight from input j to neuron i. */
    weights: z.array(z.array(finite).min(1)).min(1).describe('S×R matrix: weights[i][j] is the weight from input j to neuron i'),
    /** One bias per neuron (S). */
    biases: z.array(finite).min(1).describe('one bias per neuron (S)'),
  })
  .strict();

export const trainingSchema = z
  .object({
    params: traingdxParamsSchema,
    stop: z.enum(['goal', 'epochs', 'min_grad', 'validation', 'cancelled']),
    bestEpoch: count.describe('history index of the saved network'),
    epochs: count,
    /** Seed of the initial weights and of the validation split, if any. */
    seed: z.number().int().optional().describe('seed of the initial weights and of the validation split'),
    /** Fraction of the rows held out for validation (0 = none). */
    validation: z.number().min(0).lt(1).optional().describe('fraction of rows held out for validation'),
    /** Number of training and validation rows. */
    samples: z.object({ training: count, validation: count }).strict().optional(),
    /** Kernel arithmetic of training; absent means f64. */
    precision: z.enum(['f64', 'f32']).optional().describe('kernel arithmetic of training (absent: f64)'),
    /** Worker threads of training; absent means one (results are bit-identical only for the same count). */
    threads: z.number().int().min(1).max(256).optional().describe('worker threads of training (absent: 1)'),
    history: z
      .object({
        perf: z.array(finite),
        lr: z.array(finite),
        gradient: z.array(finite),
        vperf: z.array(finite),
        /** Test-set MSE per epoch; optional so version-1 files written before it existed stay valid. */
        tperf: z.array(finite).optional().describe('test-set MSE per epoch, recorded only (MATLAB tr.tperf)'),
      })
      .strict(),
  })
  .strict();

export const modelV1Schema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(MODEL_VERSION),
    /** ISO 8601 time the file was written. */
    createdAt: z.string().optional(),
    /** Version of cvnet that wrote the file. */
    cvnetVersion: z.string().optional(),
    /** Layers from the first hidden layer to the output layer. */
    layers: z.array(layerSchema).min(1).describe('first hidden layer to output layer'),
    /** Input columns and their training ranges for min–max scaling to [0, 1]. */
    inputs: z
      .object({
        names: z.array(z.string().min(1)).min(1).describe('input column names, in network input order'),
        min: z.array(finite).describe('training minimum per input (scaled to 0)'),
        max: z.array(finite).describe('training maximum per input (scaled to 1)'),
      })
      .strict(),
    /** Output column names, one per output neuron. */
    outputs: z.object({ names: z.array(z.string().min(1)).min(1) }).strict(),
    /** How the network was trained (absent for imported networks). */
    training: trainingSchema.optional(),
    /** The customer-value method: fitted indicator system, weights, classes (absent for plain networks). */
    method: modelMethodSchema.optional().describe('customer-value method: fitted indicators, weights, thresholds, strategies'),
  })
  .strict();

export type ModelV1 = z.infer<typeof modelV1Schema>;
/** The current model version; readers of older versions upgrade to this. */
export type Model = ModelV1;
export type ModelLayer = z.infer<typeof layerSchema>;
export type ModelTraining = z.infer<typeof trainingSchema>;

/** JSON Schema (draft 2020-12) of the current model file. */
export function modelJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(modelV1Schema, { target: 'draft-2020-12', io: 'input' }),
    title: 'cvnet model file, version 1',
  };
}
