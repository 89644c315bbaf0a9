/**
 * The zod schemas that validate requests and describe responses; the OpenAPI
 * document is generated from these same objects.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { modelV1Schema } from '@cvnet/core';
import { PROBLEMS } from './problem.js';

/** A field value: a score, a raw number, a category or date text, or empty. zod's number() refuses NaN and ±Infinity. */
const cell = z.union([z.number(), z.string(), z.null()], { error: 'expected a finite number, text or null' });

export const customerInputSchema = z
  .record(z.string(), cell, { error: 'expected a customer object' })
  .openapi('CustomerInput', {
    description:
      'One customer: the id field (the model\'s id column, or "id") and, for every indicator, either its raw source field(s) — which the model\'s fitted rules turn into scores — or a 1–5 score field named after the indicator. Other fields are ignored, so a row of `cvnet classify` output is valid input.',
    example: { id: 'c-1', profile: 3, visits: 4, time_online: 4, interaction: 3, recency: 5, frequency: 4, monetary: 4, repeat: 4, cross: 3, relationship: 3, brand: 4, recommend: 4, rating: 4, membership: 3 },
  });

const arraySchemas = new Map<number, z.ZodArray<typeof customerInputSchema>>();

/** A batch: at most `maxCustomers` customers (one schema per limit, built once). */
export function customerArraySchema(maxCustomers: number): z.ZodArray<typeof customerInputSchema> {
  let schema = arraySchemas.get(maxCustomers);
  if (schema === undefined) {
    schema = z.array(customerInputSchema, { error: 'expected an array of customer objects' }).max(maxCustomers);
    arraySchemas.set(maxCustomers, schema);
  }
  return schema;
}

/** One customer or a batch (validation picks the member by the body's shape, so issues keep their paths). */
export function scoreRequestSchema(maxCustomers: number) {
  return z
    .union([customerInputSchema, customerArraySchema(maxCustomers)])
    .openapi('ScoreRequest', { description: `One customer (answered with one result) or an array of at most ${maxCustomers} (answered with an array in the same order).` });
}

export const scoredCustomerSchema = z
  .object({
    id: z.string().openapi({ description: 'The customer id, as sent (numbers are echoed as text).' }),
    K: z.number().openapi({ description: 'The network\'s customer value K (about 0–1).' }),
    class: z.enum(['A', 'B', 'C', 'D']),
    strategy: z.string().openapi({ description: 'The marketing strategy of the class.' }),
    band: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).openapi({ description: 'Band of C: 1 = [1,2) … 4 = [4,5), 5 = 5.' }),
    C: z.number().openapi({ description: 'Current value: weighted mean of the current-value indicator scores (1–5).' }),
    scores: z.record(z.string(), z.number().int().min(1).max(5)).openapi({ description: 'The 1–5 score of every indicator, in model input order.' }),
    segment: z.string().nullable().openapi({ description: 'Id of the customer\'s segment in the served segment map (GET /v1/model lists them); null when the server has no map for this model.' }),
    level: z.string().nullable().openapi({ description: 'Id of the segment\'s level; null when the server has no map for this model.' }),
    K_base: z.number().optional().openapi({ description: 'With explain=true: K of the baseline customer (the lowest training score of every indicator).' }),
    contributions: z
      .record(z.string(), z.number())
      .optional()
      .openapi({ description: 'With explain=true: each indicator\'s contribution to K (integrated gradients from the baseline); they add up to K − K_base.' }),
  })
  .openapi('ScoredCustomer');

/** Query parameters of POST /v1/score. */
export const scoreQuerySchema = z.object({
  explain: z
    .enum(['true', 'false'], { error: 'expected "true" or "false"' })
    .optional()
    .openapi({
      param: { name: 'explain', in: 'query' },
      description: 'true adds K_base and per-indicator contributions to every customer (JSON: K_base, contributions; CSV: K_base, contrib:<id> columns).',
      example: 'true',
    }),
});

export const scoreResponseSchema = z.union([scoredCustomerSchema, z.array(scoredCustomerSchema)]).openapi('ScoreResponse');

export const problemSchema = z
  .object({
    type: z.string().openapi({ description: 'URI reference of the problem type: its section of /docs.' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ pointer: z.string().openapi({ example: '#/3/recency' }), detail: z.string(), line: z.number().int().optional() }))
      .optional()
      .openapi({ description: 'Every invalid value (up to 1000), by JSON Pointer into the request body; `line` for CSV bodies.' }),
  })
  .openapi('Problem');

export const segmentMapSchema = z
  .object({
    builtin: z.string().nullable().openapi({ description: 'The shipped map (value17, rfm), or null for a map of your own.' }),
    name: z.string(),
    description: z.string().optional(),
    levels: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().optional() })).openapi({ description: 'Levels in display order.' }),
    segments: z.array(z.object({
      id: z.string(), name: z.string(), level: z.string().openapi({ description: 'Level id.' }), description: z.string(),
      playbook: z.string().openapi({ description: 'What to do with the customers of this segment.' }),
    })),
  })
  .openapi('SegmentMap');

export const modelInfoSchema = z
  .object({
    hash: z.string().openapi({ example: 'sha256:…', description: 'SHA-256 of the model\'s canonical text; also the ETag.' }),
    format: z.literal('cvnet-model'),
    version: z.number().int(),
    cvnetVersion: z.string().optional(),
    createdAt: z.string().optional(),
    idColumn: z.string(),
    indicators: z.array(z.object({
      id: z.string(), name: z.string(), dimension: z.string(), source: z.unknown(), rule: z.unknown(), weight: z.number().nullable(),
    })),
    currentValue: z.array(z.string()),
    thresholds: z.object({ A: z.number(), B: z.number(), C: z.number() }),
    strategies: z.object({ A: z.string(), B: z.string(), C: z.string(), D: z.string() }),
    target: z.object({ kind: z.string(), source: z.string() }),
    network: z.object({ inputs: z.number().int(), sizes: z.array(z.number().int()), transfers: z.array(z.string()) }),
    training: z.object({
      epochs: z.number().int(), bestEpoch: z.number().int(), stop: z.string(), performance: z.number().nullable(),
      params: z.record(z.string(), z.number()), seed: z.number().int().optional(),
      samples: z.object({ training: z.number().int(), validation: z.number().int() }).optional(),
    }).nullable(),
    evaluation: z.object({ n: z.number().int(), mse: z.number(), accuracy: z.number(), confusion: z.array(z.array(z.number().int())) }).nullable(),
    segments: segmentMapSchema.nullable().openapi({ description: 'The segment map that places every scored customer; null when none is configured and no shipped map fits the indicators.' }),
  })
  .openapi('ModelInfo');

const health = z.object({ status: z.literal('ok') });
const ready = z.object({ status: z.literal('ready'), model: z.string().openapi({ description: 'hash of the served model' }) });

const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: Object.values(PROBLEMS).filter((p) => p.status === status).map((p) => p.title).join('; '),
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  );

const bearer = [{ bearer: [] }];

/** Every route, for the OpenAPI document (the app registers the handlers). */
export function routes(maxCustomers: number, bodyLimit: number) {
  return [
    createRoute({
      method: 'get', path: '/healthz', summary: 'Liveness', description: 'Answers while the process runs.',
      responses: { 200: { description: 'alive', content: { 'application/json': { schema: health } } } },
    }),
    createRoute({
      method: 'get', path: '/readyz', summary: 'Readiness', description: 'Ready when a model is loaded.',
      responses: { 200: { description: 'a model is loaded', content: { 'application/json': { schema: ready } } }, ...problems(503) },
    }),
    createRoute({
      method: 'get', path: '/v1/model', summary: 'Model metadata', security: bearer,
      description: 'Indicator system, thresholds, strategies, version, content hash and training summary of the served model. Needs the API token when CVNET_API_TOKEN is set.',
      responses: { 200: { description: 'the served model', content: { 'application/json': { schema: modelInfoSchema } } }, ...problems(401, 503) },
    }),
    createRoute({
      method: 'put', path: '/v1/model', summary: 'Replace the model', security: bearer,
      description: 'Checks the model file and swaps it in atomically; requests in flight finish on the old model. Only when CVNET_ADMIN_TOKEN is set (405 otherwise), with that token.',
      request: { body: { required: true, content: { 'application/json': { schema: modelV1Schema } } } },
      responses: { 200: { description: 'the new model', content: { 'application/json': { schema: modelInfoSchema } } }, ...problems(400, 401, 405, 413, 415, 422) },
    }),
    createRoute({
      method: 'post', path: '/v1/score', summary: 'Score customers', security: bearer,
      description: `K, class, strategy, band, C, segment and level of one customer or an array of up to ${maxCustomers}, in input order; with explain=true also K_base and each indicator's contribution to K. A text/csv body (header row, one customer per line) is answered with CSV, streamed, in the columns of "cvnet classify" (id, C, band, K, class, strategy, one score per indicator; with explain=true then K_base and contrib:<id> per indicator, as "cvnet classify --explain"), then segment and level. Bodies over ${bodyLimit} bytes are refused. Needs the API token when CVNET_API_TOKEN is set.`,
      request: {
        query: scoreQuerySchema,
        body: {
          required: true,
          content: {
            'application/json': { schema: scoreRequestSchema(maxCustomers) },
            'text/csv': { schema: z.string().openapi({ example: 'id,profile,visits,…\nc-1,3,4,…\n' }) },
          },
        },
      },
      responses: {
        200: {
          description: 'scored customers, in input order',
          content: { 'application/json': { schema: scoreResponseSchema }, 'text/csv': { schema: z.string() } },
        },
        ...problems(400, 401, 413, 415, 422, 503),
      },
    }),
    createRoute({
      method: 'get', path: '/openapi.json', summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
    }),
    createRoute({
      method: 'get', path: '/docs', summary: 'Human-readable API documentation',
      responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
    }),
  ];
}
