/**
 * The fixed texts of a classified customer (`cvnet classify` output): its
 * leading columns and the default strategy per class. Kept apart from the
 * config schema so that scoring, which needs only these, does not load zod.
 */

/**
 * Column names of a classified customer (`cvnet classify` output) that come
 * before the indicator score columns; an indicator id equal to one of them
 * would give the output two columns of the same name.
 */
export const CLASSIFIED_COLUMNS = ['id', 'C', 'band', 'K', 'class', 'strategy'] as const;

/** The strategy per class when a config names none. */
export const DEFAULT_STRATEGIES = {
  A: 'Most important customers: keep them and serve them first, with dedicated service and priority offers.',
  B: 'Major profit contributors: invest in them (personalised offers, loyalty benefits) to turn them into A customers.',
  C: 'Maintain selectively: low-cost standard service, targeted campaigns only where the response justifies them.',
  D: 'Minimal cost: no active investment; let them go if serving them costs more than they bring.',
} as const;

/**
 * Whether data with these columns is `cvnet classify` output, whole or
 * trimmed to the columns that make it one: an id, K and a class. Its columns
 * named after indicators hold scores.
 */
export function isClassifiedOutput(columns: Iterable<string>): boolean {
  const set = new Set(columns);
  return set.has('id') && set.has('K') && set.has('class');
}
