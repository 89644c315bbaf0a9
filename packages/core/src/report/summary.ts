/** A short plain-text summary of a run for the terminal. */
import { CLASSES, type CustomerClass } from '../method/classify.js';
import { fmt, stripControl as clean } from './escape.js';
import type { ReportData } from './types.js';

export function renderSummary(data: ReportData): string {
  const lines: string[] = [];
  if (data.synthetic) lines.push('SYNTHETIC DATA (generated customers, not real)');
  if (data.dataset) lines.push(`Data: ${clean(data.dataset)}`);
  const total = data.bands.bands.reduce((s, b) => s + b.count, 0);
  lines.push(`Bands of current value C (${total} customers):`);
  for (const b of data.bands.bands) {
    const range = b.band === 5 ? 'C = 5    ' : `[${b.lower}, ${b.upper})   `;
    lines.push(`  band ${b.band} ${range} ${String(b.count).padStart(6)}  ${fmt(100 * b.proportion, 1).padStart(5)} %`);
  }
  if (data.sample) lines.push(`Sample: ${data.sample.size} (train ${data.sample.train}, test ${data.sample.test})`);
  if (data.network) {
    const n = data.network;
    lines.push(`Network: ${n.inputs}-${n.hidden}-${n.outputs}${n.epochs !== undefined ? `, ${n.epochs} epochs` : ''}${n.stop ? ` (stop: ${clean(n.stop)})` : ''}`);
  }
  const last = data.training?.train.at(-1);
  if (last !== undefined) lines.push(`Training MSE: ${fmt(last, 6)}`);
  if (data.evaluation) {
    lines.push(`Test MSE: ${fmt(data.evaluation.mse, 6)}, class accuracy ${fmt(100 * data.evaluation.accuracy, 1)} % (${data.evaluation.n} customers)`);
  }
  lines.push(`Target: ${clean(data.target)}`);
  const counts: Record<CustomerClass, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const c of data.customers) counts[c.class]++;
  lines.push(`Classes: ${CLASSES.map((c) => `${c} ${counts[c]}`).join(', ')}`);
  if (data.warnings.length) {
    lines.push(`Warnings (${data.warnings.length}):`);
    for (const w of data.warnings) lines.push(`  - ${clean(w)}`);
  }
  return lines.join('\n') + '\n';
}
