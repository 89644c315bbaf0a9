/**
 * The project config: which indicators exist, where their raw values come
 * from, how raw values become 1–5 scores, how the indicators are weighted and
 * how customers are sampled and classified. Validated with zod; cross
 * references (ids, dimensions, weights) are checked after the shape.
 */
import { z } from 'zod';
import { invalidConfigError } from '../config-issues.js';
import { ConfigError } from '../errors.js';
import { parseJsonc } from './jsonc.js';
import { CLASSIFIED_COLUMNS, DEFAULT_STRATEGIES } from './output-contract.js';
import { ascending, thresholdsOrdered } from './rule-checks.js';

const name = z.string().trim().min(1);
const id = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'ids are letters, digits and _, not starting with a digit');
/** A Likert score. */
const score = z.number().int().min(1).max(5);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/**
 * What to do with an empty value: `"error"` (refuse), `"median"` (the median
 * score of the customers the rule was fitted on) or a fixed score 1–5.
 */
const missing = z.union([z.literal('error'), z.literal('median'), score], {
  error: 'missing must be "error", "median" or a score 1–5',
});

const sourceSchema = z.union(
  [
    name,
    z.strictObject({ column: name }),
    z.strictObject({ sum: z.array(name).min(1) }),
    z.strictObject({ count_positive: z.array(name).min(1) }),
    z.strictObject({ days_since: name, asOf: isoDate }),
  ],
  {
    error:
      'source must be a column name, {"column": c}, {"sum": [c…]}, {"count_positive": [c…]} or {"days_since": c, "asOf": "YYYY-MM-DD"}',
  },
);

const direction = z.enum(['higher', 'lower']);

const ruleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('likert'), missing: missing.default('error') }),
  z.strictObject({
    type: z.literal('cuts'),
    cuts: z.array(z.number()).min(1).max(4).refine(ascending, 'cut points must be strictly ascending'),
    direction: direction.default('higher'),
    missing: missing.default('error'),
  }),
  z.strictObject({
    type: z.literal('quantile'),
    count: z.number().int().min(2).max(10).default(5),
    direction: direction.default('higher'),
    missing: missing.default('error'),
  }),
  z.strictObject({
    type: z.literal('categorical'),
    map: z.record(z.string(), score).refine((m) => Object.keys(m).length > 0, 'map needs at least one value'),
    default: score.optional(),
    missing: missing.default('error'),
  }),
]);

const indicatorSchema = z.strictObject({
  id,
  name,
  dimension: id,
  source: sourceSchema,
  rule: ruleSchema,
  /** Free text explaining the mapping (kept in the fitted model). */
  note: z.string().optional(),
});

const weightValues = z.record(z.string(), z.number().min(0));
/** A pairwise judgement: a number, or text "3" or "1/3" (JSON has no exact 1/3). */
const judgement = z.union(
  [
    z.number(),
    z
      .string()
      .regex(/^\s*\d+(\.\d+)?\s*(\/\s*\d+(\.\d+)?\s*)?$/)
      .transform((s) => {
        const [a, b = 1] = s.split('/').map(Number);
        return a! / b;
      }),
  ],
  { error: 'a pairwise judgement is a number or a fraction like "1/3"' },
);
const matrix = z.array(z.array(judgement)).min(1);

const weightsSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('final'), values: weightValues }),
  z.strictObject({
    type: z.literal('experts'),
    experts: z.array(z.strictObject({ name: z.string().optional(), values: weightValues })).min(1),
  }),
  z.strictObject({
    type: z.literal('ahp'),
    dimensions: matrix,
    within: z.record(z.string(), matrix),
  }),
]);

export const thresholdsSchema = z
  .strictObject({
    A: z.number().gt(0).lt(1).default(0.75),
    B: z.number().gt(0).lt(1).default(0.5),
    C: z.number().gt(0).lt(1).default(0.25),
  })
  .refine(thresholdsOrdered, 'thresholds must satisfy A > B > C');

export const strategiesSchema = z.strictObject({
  A: name.default(DEFAULT_STRATEGIES.A),
  B: name.default(DEFAULT_STRATEGIES.B),
  C: name.default(DEFAULT_STRATEGIES.C),
  D: name.default(DEFAULT_STRATEGIES.D),
});

/** Optional network/training settings, passed through to the engine. */
const trainingSchema = z.strictObject({
  /** Hidden neurons; absent → 2n + 1 for n indicators (14–29–1 in the study). */
  hidden: z.number().int().min(1).optional(),
  epochs: z.number().int().min(1).optional(),
  goal: z.number().min(0).optional(),
  lr: z.number().gt(0).optional(),
  lrInc: z.number().gt(1).optional(),
  lrDec: z.number().gt(0).lt(1).optional(),
  maxPerfInc: z.number().gt(1).optional(),
  mc: z.number().min(0).lt(1).optional(),
  minGrad: z.number().min(0).optional(),
  maxFail: z.number().int().min(1).optional(),
});

export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  description: z.string().optional(),
  idColumn: name.default('id'),
  dimensions: z.array(z.strictObject({ id, name })).min(1),
  indicators: z.array(indicatorSchema).min(1),
  weights: weightsSchema,
  currentValue: z.array(id).min(1).default(['recency', 'frequency', 'monetary']),
  target: z
    .strictObject({ column: name, kind: z.enum(['value', 'class']).default('value') })
    .optional(),
  sampleFraction: z.number().gt(0).max(1).default(0.5),
  trainShare: z.number().gt(0).lt(1).default(229 / 274),
  /**
   * Shuffle the sample (seeded) before taking the training part; off because
   * the study trained on the first 229 of its 274 sampled customers in order.
   */
  shuffleSplit: z.boolean().default(false),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  thresholds: thresholdsSchema.default({ A: 0.75, B: 0.5, C: 0.25 }),
  strategies: strategiesSchema.default(DEFAULT_STRATEGIES),
  training: trainingSchema.optional(),
});

export type ProjectConfig = z.output<typeof configSchema>;
/** The config as written by a user (defaults not yet applied). */
export type ProjectConfigInput = z.input<typeof configSchema>;
export type IndicatorConfig = ProjectConfig['indicators'][number];
export type IndicatorSource = IndicatorConfig['source'];
export type ScoringRule = IndicatorConfig['rule'];
export type WeightsConfig = ProjectConfig['weights'];
export type ClassThresholds = ProjectConfig['thresholds'];
export type Strategies = ProjectConfig['strategies'];
export type Direction = z.infer<typeof direction>;
export type MissingPolicy = z.infer<typeof missing>;

/**
 * Validates an already-parsed config object and applies defaults.
 *
 * @param file name used in messages.
 * @throws ConfigError listing every problem with its path.
 */
export function validateConfig(value: unknown, file = 'config'): ProjectConfig {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    throw invalidConfigError(file, parsed.error);
  }
  checkReferences(parsed.data, file);
  return parsed.data;
}

/**
 * Parses config text (JSON, or JSONC with comments) and validates it.
 *
 * @throws ConfigError for syntax errors (with line:column) and invalid content.
 */
export function parseConfig(text: string, file = 'config'): ProjectConfig {
  return validateConfig(parseJsonc(text, file), file);
}

function duplicates(xs: readonly string[]): string[] {
  return [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
}

function checkReferences(c: ProjectConfig, file: string): void {
  const fail = (message: string, detail: { path?: string; indicator?: string } = {}): never => {
    throw new ConfigError(`${file}: ${message}`, detail);
  };
  const dimIds = c.dimensions.map((d) => d.id);
  const indIds = c.indicators.map((i) => i.id);
  const dupDims = duplicates(dimIds);
  if (dupDims.length) fail(`duplicate dimension id(s): ${dupDims.join(', ')}`, { path: 'dimensions' });
  const dupInds = duplicates(indIds);
  if (dupInds.length) fail(`duplicate indicator id(s): ${dupInds.join(', ')}`, { path: 'indicators' });
  c.indicators.forEach((ind, k) => {
    if ((CLASSIFIED_COLUMNS as readonly string[]).includes(ind.id)) {
      fail(`indicator id "${ind.id}" is reserved for an output column (${CLASSIFIED_COLUMNS.join(', ')}); rename the indicator`, {
        path: `indicators.${k}.id`,
        indicator: ind.id,
      });
    }
    if (!dimIds.includes(ind.dimension)) {
      fail(`indicator "${ind.id}" names dimension "${ind.dimension}", expected one of: ${dimIds.join(', ')}`, {
        path: `indicators.${k}.dimension`,
        indicator: ind.id,
      });
    }
    if (typeof ind.source !== 'string' && 'column' in ind.source && ind.source.column === c.idColumn) {
      fail(`indicator "${ind.id}" reads the id column "${c.idColumn}"`, { path: `indicators.${k}.source`, indicator: ind.id });
    }
  });
  for (const d of dimIds) {
    if (!c.indicators.some((i) => i.dimension === d)) {
      fail(`dimension "${d}" has no indicators: remove it or add one`, { path: 'dimensions' });
    }
  }
  const dupCv = duplicates(c.currentValue);
  if (dupCv.length) fail(`currentValue lists ${dupCv.join(', ')} twice`, { path: 'currentValue' });
  for (const cv of c.currentValue) {
    if (!indIds.includes(cv)) {
      fail(`currentValue names "${cv}", which is not an indicator (indicators: ${indIds.join(', ')})`, { path: 'currentValue' });
    }
  }
  if (c.target && c.target.column === c.idColumn) {
    fail(`target.column "${c.target.column}" is the id column`, { path: 'target.column' });
  }
  const w = c.weights;
  const checkKeys = (values: Record<string, number>, path: string): void => {
    const keys = Object.keys(values);
    const absent = indIds.filter((x) => !keys.includes(x));
    const unknown = keys.filter((x) => !indIds.includes(x));
    if (absent.length) fail(`${path} has no weight for indicator(s): ${absent.join(', ')}`, { path });
    if (unknown.length) fail(`${path} weights unknown indicator(s): ${unknown.join(', ')} (indicators: ${indIds.join(', ')})`, { path });
  };
  if (w.type === 'final') checkKeys(w.values, 'weights.values');
  if (w.type === 'experts') w.experts.forEach((e, k) => checkKeys(e.values, `weights.experts.${k}.values`));
  if (w.type === 'ahp') {
    const keys = Object.keys(w.within);
    const unknown = keys.filter((x) => !dimIds.includes(x));
    if (unknown.length) fail(`weights.within names unknown dimension(s): ${unknown.join(', ')}`, { path: 'weights.within' });
  }
}
