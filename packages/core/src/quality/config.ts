/**
 * Data-quality policy for raw customer rows, applied before fitting and
 * scoring: duplicated ids, missing values per column, outliers per column.
 *
 * ```json
 * {
 *   "idColumn": "ID",
 *   "duplicates": "merge",
 *   "missing": { "Income": "median", "Recency": "drop" },
 *   "outliers": { "Income": { "method": "iqr", "action": "winsorise" },
 *                 "Year_Birth": { "method": "zscore", "threshold": 3, "action": "flag" } }
 * }
 * ```
 */
import { z } from 'zod';
import { invalidConfigError } from '../config-issues.js';
import { parseJsonc } from '../indicators/jsonc.js';

const column = z.string().trim().min(1);

export const qualityConfigSchema = z.strictObject({
  /** @default "id" */
  idColumn: column.default('id'),
  /**
   * Two rows with the same id: `fail`, or `merge` them into the first
   * (its empty fields filled from the later rows; conflicting values keep the
   * first and are counted). Merging never adds numbers up: columns are often
   * already per-customer aggregates, and a sum would double them.
   * @default "fail"
   */
  duplicates: z.enum(['fail', 'merge']).default('fail'),
  /** Per column: `drop` the row, impute `mean` / `median` / `mode` of the present values, or `fail`. */
  missing: z.record(column, z.enum(['drop', 'mean', 'median', 'mode', 'fail'])).default({}),
  /**
   * Per numeric column: values beyond mean ± threshold·sd (`zscore`, default
   * threshold 3) or beyond Q1 − threshold·IQR / Q3 + threshold·IQR (`iqr`,
   * default 1.5) are `flag`ged (reported only), `winsorise`d (clipped to the
   * bound) or `fail` the run.
   */
  outliers: z
    .record(
      column,
      z.strictObject({
        method: z.enum(['zscore', 'iqr']),
        threshold: z.number().gt(0).optional(),
        action: z.enum(['flag', 'winsorise', 'winsorize', 'fail']).transform((a) => (a === 'winsorize' ? 'winsorise' : a)),
      }),
    )
    .default({}),
});

export type QualityConfig = z.output<typeof qualityConfigSchema>;
export type QualityConfigInput = z.input<typeof qualityConfigSchema>;
export type QualityMissingPolicy = QualityConfig['missing'][string];
export type OutlierRule = QualityConfig['outliers'][string];

/**
 * Validates a parsed quality policy (JSON object), applying defaults.
 * @throws ConfigError listing every problem with its path.
 */
export function validateQualityConfig(value: unknown, file = 'quality policy'): QualityConfig {
  const parsed = qualityConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw invalidConfigError(file, parsed.error);
  }
  return parsed.data;
}

/** Parses a quality policy from JSON / JSONC text. */
export function parseQualityConfig(text: string, file = 'quality policy'): QualityConfig {
  return validateQualityConfig(parseJsonc(text, file), file);
}
