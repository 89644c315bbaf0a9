/**
 * The classified-customers CSV, byte for byte what `cvnet classify` writes:
 * columns id, C, band, K, class, strategy, then one score per indicator;
 * numbers in JavaScript's shortest round-trip form (K equals the model's to
 * the last digit); fields quoted like csv-stringify's defaults; LF line ends.
 * Written here instead of bundling csv-stringify and its Buffer polyfill.
 */
import { CLASSIFIED_COLUMNS, type ScoredBatch } from '@cvnet/core';

function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (values: readonly (string | number)[]): string => `${values.map(field).join(',')}\n`;

export function classifiedCsv(batch: ScoredBatch): string {
  let out = line([...CLASSIFIED_COLUMNS, ...batch.indicators]);
  for (const c of batch.customers) out += line([c.id, c.C, c.band, c.K, c.class, c.strategy, ...c.scores]);
  return out;
}
