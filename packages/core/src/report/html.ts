/**
 * The run report: one self-contained HTML file (inline CSS and SVG, no
 * scripts, no external resources), safe to open from disk or serve.
 */
import { CLASSES, type CustomerClass } from '../method/classify.js';
import { escapeHtml as esc, fmt, heatCell } from './escape.js';
import { barChart, hbarChart, histogram, logLineChart } from './svg.js';
import type { ReportData } from './types.js';

const CLASS_COLOURS: Record<CustomerClass, string> = { A: '#1b7837', B: '#5aae61', C: '#f1a340', D: '#b2182b' };

/** How many customers the top-customers table lists. */
const TOP_CUSTOMERS = 25;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1000px;padding:16px 24px;color:#222}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}
.chart{max-width:100%;height:auto;font-size:11px}.chart text{fill:#333}.chart .val{fill:#555;font-size:10px}
.axis{stroke:#333}.grid{stroke:#e6e6e6}.threshold{stroke:#b2182b;stroke-dasharray:4 3}
.synthetic{background:#fff3cd;border:1px solid #e0b000;padding:8px 12px;font-weight:600}
.warn li{color:#8a4b00}.meta{color:#555}
`;

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
}

function bandsSection(d: ReportData): string {
  const rows = d.bands.bands
    .map((b) => `<tr><td>${b.band}</td><td>${b.band === 5 ? 'C = 5' : `${b.lower} ≤ C &lt; ${b.upper}`}</td><td>${b.count}</td><td>${fmt(100 * b.proportion, 1)} %</td></tr>`)
    .join('');
  const total = d.bands.bands.reduce((s, b) => s + b.count, 0);
  const chart = barChart('Customers per band of current value C', d.bands.bands.map((b) => ({ label: `band ${b.band}`, value: b.count })), 'customers');
  const sample = d.sample ? `<p>Stratified sample: ${d.sample.size} customers; ${d.sample.train} for training, ${d.sample.test} for testing.</p>` : '';
  return section(
    'bands',
    'Pre-classification by current value C',
    `${chart}<table><tr><th>Band</th><th>Range of C</th><th>Customers</th><th>Proportion</th></tr>${rows}<tr><th>Total</th><th></th><th>${total}</th><th>100 %</th></tr></table>${sample}`,
  );
}

function trainingSection(d: ReportData): string {
  if (!d.training) return section('training', 'Training error', '<p>No training history.</p>');
  const series = [{ name: 'training MSE', values: d.training.train, color: '#3a6ea5' }];
  if (d.training.test?.length) series.push({ name: 'test MSE', values: d.training.test, color: '#b2182b' });
  if (d.training.validation?.length) series.push({ name: 'validation MSE', values: d.training.validation, color: '#f1a340' });
  const n = d.network;
  const meta = n
    ? `<p class="meta">Network ${n.inputs}–${n.hidden}–${n.outputs}${n.epochs !== undefined ? `, ${n.epochs} epochs` : ''}${n.bestEpoch !== undefined ? `, best epoch ${n.bestEpoch}` : ''}${n.stop ? `, stopped: ${esc(n.stop)}` : ''}.</p>`
    : '';
  // Without a per-epoch test curve, the saved network's test MSE is a level line.
  const finalTest = d.training.test?.length ? undefined : d.training.finalTest;
  const levels = finalTest === undefined ? [] : [{ name: 'test MSE (final)', value: finalTest, color: '#b2182b' }];
  const last = (xs: readonly number[] | undefined): string => (xs?.length ? fmt(xs[xs.length - 1]!, 6) : finalTest === undefined ? '–' : fmt(finalTest, 6));
  return section(
    'training',
    'Training error (MSE per epoch, log scale)',
    `${logLineChart('MSE per epoch', series, 'epoch', 'MSE', levels)}${meta}<p>Final training MSE ${last(d.training.train)}, test MSE ${last(d.training.test)}.</p>`,
  );
}

function kSection(d: ReportData): string {
  const t = d.thresholds;
  const lines = [
    { x: t.C, label: `C ${fmt(t.C, 2)}` },
    { x: t.B, label: `B ${fmt(t.B, 2)}` },
    { x: t.A, label: `A ${fmt(t.A, 2)}` },
  ];
  return section('k-distribution', 'Distribution of customer value K', histogram('Histogram of K', d.customers.map((c) => c.k), lines));
}

function classSection(d: ReportData): string {
  const counts: Record<CustomerClass, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const c of d.customers) counts[c.class]++;
  const n = d.customers.length;
  const chart = barChart('Customers per class', CLASSES.map((c) => ({ label: c, value: counts[c], color: CLASS_COLOURS[c] })), 'customers');
  const t = d.thresholds;
  const range: Record<CustomerClass, string> = { A: `K ≥ ${t.A}`, B: `${t.B} ≤ K &lt; ${t.A}`, C: `${t.C} ≤ K &lt; ${t.B}`, D: `K &lt; ${t.C}` };
  const rows = CLASSES.map((c) => `<tr><td class="l">${c}</td><td class="l">${range[c]}</td><td>${counts[c]}</td><td>${fmt(n ? (100 * counts[c]) / n : 0, 1)} %</td></tr>`).join('');
  return section('classes', 'Class distribution', `${chart}<table><tr><th class="l">Class</th><th class="l">K</th><th>Customers</th><th>Share</th></tr>${rows}</table>`);
}

function confusionSection(d: ReportData): string {
  const e = d.evaluation;
  if (!e) return section('confusion', 'Confusion matrix (test set)', '<p>No evaluation.</p>');
  const max = Math.max(1, ...e.confusion.flat());
  const head = CLASSES.map((c) => `<th>${c}</th>`).join('');
  const rows = CLASSES.map((a, i) => {
    const cells = CLASSES.map((_, j) => heatCell(e.confusion[i]![j]!, max)).join('');
    return `<tr><th>${a}</th>${cells}<td>${e.actual[a]}</td></tr>`;
  }).join('');
  const predicted = CLASSES.map((c) => `<td>${e.predicted[c]}</td>`).join('');
  return section(
    'confusion',
    'Confusion matrix (test set)',
    `<p>Rows: actual class (from the target K); columns: predicted class. ${e.n} customers, MSE ${fmt(e.mse, 6)}, class accuracy ${fmt(100 * e.accuracy, 1)} %.</p>` +
      `<table><tr><th>actual \\ predicted</th>${head}<th>total</th></tr>${rows}<tr><th>total</th>${predicted}<td>${e.n}</td></tr></table>`,
  );
}

function weightsSection(d: ReportData): string {
  const chart = hbarChart('Indicator weights', d.weights.map((w) => ({ label: w.name, value: w.weight })));
  const rows = d.weights.map((w) => `<tr><td class="l">${esc(w.id)}</td><td class="l">${esc(w.name)}</td><td class="l">${esc(w.dimension)}</td><td>${fmt(w.weight, 4)}</td></tr>`).join('');
  const ahp = d.matrices?.length
    ? `<table><tr><th class="l">AHP matrix</th><th>λmax</th><th>CI</th><th>CR</th></tr>${d.matrices
        .map((m) => `<tr><td class="l">${esc(m.name)}</td><td>${fmt(m.lambdaMax, 4)}</td><td>${fmt(m.ci, 4)}</td><td>${fmt(m.cr, 4)}</td></tr>`)
        .join('')}</table>`
    : '';
  return section('weights', 'Indicator weights', `${chart}<table><tr><th class="l">Id</th><th class="l">Indicator</th><th class="l">Dimension</th><th>Weight</th></tr>${rows}</table>${ahp}`);
}

function strategySection(d: ReportData): string {
  const rows = CLASSES.map((c) => `<tr><td class="l" style="color:${CLASS_COLOURS[c]};font-weight:600">${c}</td><td class="l">${esc(d.strategies[c])}</td></tr>`).join('');
  return section('strategies', 'Marketing strategy per class', `<table><tr><th class="l">Class</th><th class="l">Strategy</th></tr>${rows}</table>`);
}

function customersSection(d: ReportData): string {
  const top = [...d.customers].sort((a, b) => b.k - a.k).slice(0, TOP_CUSTOMERS);
  // Without showIds the table keeps the ranking but names nobody.
  const who = (c: (typeof top)[number], rank: number): string => (d.showIds ? esc(c.id) : `#${rank + 1}`);
  const rows = top.map((c, i) => `<tr><td class="l">${who(c, i)}</td><td>${fmt(c.k, 4)}</td><td class="l">${c.class}</td></tr>`).join('');
  const note = d.showIds ? '' : '<p class="meta">Customer ids are left out of the report; ask for them (cvnet run/report --show-ids) or pseudonymise them (--pseudonymize).</p>';
  return section('customers', `Highest-value customers (top ${top.length} of ${d.customers.length})`, `${note}<table><tr><th class="l">${d.showIds ? 'Customer' : 'Rank'}</th><th>K</th><th class="l">Class</th></tr>${rows}</table>`);
}

function notesSection(d: ReportData): string {
  const warnings = d.warnings.length ? `<ul class="warn">${d.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '<p>No warnings.</p>';
  return section('target', 'Target and warnings', `<p>Target value K learnt by the network: <strong>${esc(d.target)}</strong>.</p>${warnings}`);
}

/** The full report as one self-contained HTML document. */
export function renderReport(data: ReportData): string {
  const title = data.title ?? 'cvnet customer-value report';
  const meta = [data.dataset ? `Data: ${esc(data.dataset)}` : '', data.generatedAt ? `Generated: ${esc(data.generatedAt)}` : '', `${data.customers.length} customers classified`]
    .filter(Boolean)
    .join(' · ');
  const banner = data.synthetic ? '<p class="synthetic">Synthetic data: these customers are generated, not real.</p>' : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>${banner}<p class="meta">${meta}</p>
${bandsSection(data)}
${trainingSection(data)}
${kSection(data)}
${classSection(data)}
${confusionSection(data)}
${weightsSection(data)}
${strategySection(data)}
${customersSection(data)}
${(data.sections ?? []).join('\n')}
${notesSection(data)}
</body></html>
`;
}
