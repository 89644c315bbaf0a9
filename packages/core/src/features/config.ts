/**
 * A project config for the columns `cvnet features` writes, used when the
 * user gives none: quintile scores for every raw indicator, fixed weights
 * that favour current value as the study does, R, F, M as current value.
 */
import { validateConfig, type ProjectConfig } from '../indicators/config.js';

/** name, dimension, base weight, rule of each transaction indicator. */
const INDICATORS: Record<string, { name: string; dimension: 'current' | 'potential' | 'online'; weight: number; rule: Record<string, unknown> }> = {
  recency: { name: 'Recency (R): days since the last purchase', dimension: 'current', weight: 0.25, rule: { type: 'quantile', count: 5, direction: 'lower' } },
  frequency: { name: 'Frequency (F): orders in the window', dimension: 'current', weight: 0.2, rule: { type: 'quantile', count: 5, direction: 'higher' } },
  monetary: { name: 'Monetary (M): net spend in the window', dimension: 'current', weight: 0.25, rule: { type: 'quantile', count: 5, direction: 'higher' } },
  repeat: { name: 'Repeat purchases: products bought in more than one order', dimension: 'potential', weight: 0.1, rule: { type: 'quantile', count: 5, direction: 'higher' } },
  cross: { name: 'Cross purchases: distinct categories (or products)', dimension: 'potential', weight: 0.1, rule: { type: 'quantile', count: 5, direction: 'higher' } },
  relationship: { name: 'Relationship length: days since the first purchase', dimension: 'potential', weight: 0.1, rule: { type: 'quantile', count: 5, direction: 'higher' } },
  rating: { name: 'Customer rating: mean review score', dimension: 'potential', weight: 0.1, rule: { type: 'cuts', cuts: [1.5, 2.5, 3.5, 4.5], direction: 'higher', missing: 'median' } },
  visits: { name: 'Site visits', dimension: 'online', weight: 0.05, rule: { type: 'quantile', count: 5, direction: 'higher', missing: 'median' } },
  time_online: { name: 'Time on site', dimension: 'online', weight: 0.05, rule: { type: 'quantile', count: 5, direction: 'higher', missing: 'median' } },
  membership: { name: 'Registered member', dimension: 'potential', weight: 0.05, rule: { type: 'cuts', cuts: [0], direction: 'higher', missing: 1 } },
};

const DIMENSIONS = { online: 'Online behaviour (Internet+)', current: 'Current value', potential: 'Potential value' } as const;

/**
 * The default config for feature columns `indicators` (as written by
 * `cvnet features`); weights are the base weights renormalised over the
 * indicators present.
 */
export function transactionConfig(indicators: readonly string[], seed = 1): ProjectConfig {
  const used = indicators.filter((id) => id in INDICATORS);
  const total = used.reduce((s, id) => s + INDICATORS[id]!.weight, 0);
  const dimensions = [...new Set(used.map((id) => INDICATORS[id]!.dimension))].map((id) => ({ id, name: DIMENSIONS[id] }));
  return validateConfig(
    {
      description: `default transaction config for ${used.join(', ')}`,
      idColumn: 'customer_id',
      dimensions,
      indicators: used.map((id) => ({ id, name: INDICATORS[id]!.name, dimension: INDICATORS[id]!.dimension, source: id, rule: INDICATORS[id]!.rule })),
      weights: { type: 'final', values: Object.fromEntries(used.map((id) => [id, INDICATORS[id]!.weight / total])) },
      currentValue: ['recency', 'frequency', 'monetary'],
      seed,
    },
    'default transaction config',
  );
}
