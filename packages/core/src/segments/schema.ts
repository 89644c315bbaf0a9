/**
 * The segment configuration: labels (named rules on indicator scores, raw
 * fields, K, C, band or class) and segments (combinations of labels) grouped
 * into levels, each with a name, a description and a playbook.
 *
 * A condition is written as JSON:
 * - `"recent"` / `"!recent"`: a label, or its negation;
 * - `{ "all": [...] }`, `{ "any": [...] }`, `{ "not": c }`;
 * - `{ "score": "recency", "gte": 4 }`, `{ "score": "recency", "in": [4, 5] }`: an indicator score 1–5;
 * - `{ "class": ["A", "B"] }`, `{ "band": [4, 5] }`;
 * - `{ "value": "K", "gte": 0.5, "lt": 0.75 }` (K in [0, 1]) or `{ "value": "C", ... }` (C in [1, 5]);
 * - `{ "field": "Income", "gt": 50000 }`: a raw numeric column (empty → false),
 *   `{ "field": "Income", "missing": true }`: the column is empty.
 */
import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'ids are letters, digits, _ and -, starting with a letter or _');
const text = z.string().trim().min(1);

const bounds = {
  gte: z.number().optional(),
  gt: z.number().optional(),
  lte: z.number().optional(),
  lt: z.number().optional(),
  eq: z.number().optional(),
};

const hasBound = (c: { gte?: number; gt?: number; lte?: number; lt?: number; eq?: number; in?: unknown }): boolean =>
  [c.gte, c.gt, c.lte, c.lt, c.eq, c.in].some((v) => v !== undefined);

export type Condition =
  | string
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { score: string; gte?: number; gt?: number; lte?: number; lt?: number; eq?: number; in?: number[] }
  | { class: ('A' | 'B' | 'C' | 'D')[] }
  | { band: number[] }
  | { value: 'K' | 'C'; gte?: number; gt?: number; lte?: number; lt?: number; eq?: number }
  | { field: string; gte?: number; gt?: number; lte?: number; lt?: number; eq?: number; missing?: boolean };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union(
    [
      z.string().regex(/^!?[A-Za-z_][A-Za-z0-9_-]*$/, 'a label reference is a label id, optionally preceded by "!"'),
      z.strictObject({ all: z.array(conditionSchema).min(1) }),
      z.strictObject({ any: z.array(conditionSchema).min(1) }),
      z.strictObject({ not: conditionSchema }),
      z
        .strictObject({ score: text, ...bounds, in: z.array(z.number().int().min(1).max(5)).min(1).optional() })
        .refine(hasBound, 'a score condition needs gte, gt, lte, lt, eq or in'),
      z.strictObject({ class: z.array(z.enum(['A', 'B', 'C', 'D'])).min(1) }),
      z.strictObject({ band: z.array(z.number().int().min(1).max(5)).min(1) }),
      z.strictObject({ value: z.enum(['K', 'C']), ...bounds }).refine(hasBound, 'a value condition needs gte, gt, lte, lt or eq'),
      z
        .strictObject({ field: text, ...bounds, missing: z.boolean().optional() })
        .refine((c) => hasBound(c) !== (c.missing !== undefined), 'a field condition needs either bounds (gte, gt, lte, lt, eq) or "missing", not both'),
    ],
    { error: 'expected a label reference ("id" or "!id"), {all}, {any}, {not}, {score}, {class}, {band}, {value} or {field}' },
  ),
);

export const segmentConfigSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: text,
  description: z.string().optional(),
  /** Levels in display order (e.g. most valuable first). */
  levels: z.array(z.strictObject({ id, name: text, description: z.string().optional() })).min(1),
  labels: z.array(z.strictObject({ id, name: text, description: z.string().optional(), when: conditionSchema })).default([]),
  segments: z
    .array(
      z.strictObject({
        id,
        name: text,
        level: id,
        description: text,
        /** What to do with the customers of this segment. */
        playbook: text,
        when: conditionSchema,
      }),
    )
    .min(1),
});

export type SegmentConfig = z.output<typeof segmentConfigSchema>;
export type SegmentConfigInput = z.input<typeof segmentConfigSchema>;
export type SegmentDef = SegmentConfig['segments'][number];
export type LevelDef = SegmentConfig['levels'][number];
export type LabelDef = SegmentConfig['labels'][number];
