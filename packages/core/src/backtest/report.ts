/**
 * The backtest report: one self-contained HTML file (inline CSS and SVG, no
 * scripts): the figures table, the cumulative revenue capture curves and the
 * calibration of the purchase probability.
 */
import { escapeHtml as esc, fmt, px } from '../report/escape.js';
import type { BacktestFigures, BacktestResult } from './backtest.js';

const W = 560;
const H = 300;
const M = { top: 16, right: 150, bottom: 44, left: 56 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const toX = (v: number): number => M.left + v * PW;
const toY = (v: number): number => M.top + PH - v * PH;

interface Line {
  name: string;
  color: string;
  points: readonly (readonly [number, number])[];
  dashed?: boolean;
  markers?: boolean;
}

/** A chart on [0, 1] × [0, 1] with a legend on the right. */
function unitChart(title: string, lines: readonly Line[], xLabel: string, yLabel: string): string {
  let body = '';
  for (let i = 0; i <= 4; i++) {
    const v = i / 4;
    body += `<line class="grid" x1="${M.left}" y1="${px(toY(v))}" x2="${M.left + PW}" y2="${px(toY(v))}"/>`;
    body += `<text x="${M.left - 6}" y="${px(toY(v) + 4)}" text-anchor="end">${fmt(v, 2)}</text>`;
    body += `<text x="${px(toX(v))}" y="${M.top + PH + 16}" text-anchor="middle">${fmt(v, 2)}</text>`;
  }
  body += `<line class="axis" x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + PH}"/><line class="axis" x1="${M.left}" y1="${M.top + PH}" x2="${M.left + PW}" y2="${M.top + PH}"/>`;
  lines.forEach((l, k) => {
    const pts = l.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => `${px(toX(x))},${px(toY(y))}`);
    body += `<polyline fill="none" stroke="${esc(l.color)}" stroke-width="1.6"${l.dashed ? ' stroke-dasharray="5 4"' : ''} points="${pts.join(' ')}"><title>${esc(l.name)}</title></polyline>`;
    if (l.markers) for (const p of pts) body += `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${esc(l.color)}"/>`;
    body += `<rect x="${W - M.right + 12}" y="${M.top + 4 + k * 18}" width="12" height="4" fill="${esc(l.color)}"/>`;
    body += `<text x="${W - M.right + 30}" y="${M.top + 10 + k * 18}">${esc(l.name)}</text>`;
  });
  body += `<text x="${M.left + PW / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`;
  body += `<text x="14" y="${M.top + PH / 2}" transform="rotate(-90 14 ${px(M.top + PH / 2)})" text-anchor="middle">${esc(yLabel)}</text>`;
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${body}</svg>`;
}

const curve = (ys: readonly number[]): [number, number][] => ys.map((y, i) => [i / (ys.length - 1), y]);

/** Capture curves of the model, RFM, C, random selection and the oracle (customers sorted by actual spend). */
export function captureChart(r: BacktestResult): string {
  const c = r.charts.capture;
  return unitChart('Cumulative future revenue captured', [
    { name: 'model K', color: '#1b7837', points: curve(c.model) },
    { name: 'RFM score', color: '#3a6ea5', points: curve(c.rfm) },
    { name: 'current value C', color: '#f1a340', points: curve(c.current) },
    { name: 'random', color: '#888', points: [[0, 0], [1, 1]], dashed: true },
    { name: 'oracle', color: '#b2182b', points: curve(c.oracle), dashed: true },
  ], 'share of customers, best scored first', 'share of future revenue');
}

/** Mean predicted purchase probability against the observed purchase rate, per decile. */
export function calibrationChart(r: BacktestResult): string {
  return unitChart('Calibration of the purchase probability', [
    { name: 'deciles', color: '#1b7837', points: r.charts.calibration.map((b) => [b.predicted, b.observed] as const), markers: true },
    { name: 'perfect', color: '#888', points: [[0, 0], [1, 1]], dashed: true },
  ], 'predicted purchase probability (decile mean)', 'observed purchase rate');
}

const pct = (x: number): string => (Number.isFinite(x) ? `${fmt(100 * x, 1)} %` : '–');

function row(name: string, f: BacktestFigures): string {
  return `<tr><td class="l">${esc(name)}</td><td>${fmt(f.spearman, 3)}</td><td>${pct(f.captureA)}</td><td>${pct(f.top10)}</td><td>${pct(f.top25)}</td><td>${fmt(f.auc, 3)}</td></tr>`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1000px;padding:16px 24px;color:#222}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}
.chart{max-width:100%;height:auto;font-size:11px}.chart text{fill:#333}.axis{stroke:#333}.grid{stroke:#e6e6e6}.meta{color:#555}.warn li{color:#8a4b00}`;

/** What the run was, for the report header. */
export interface BacktestSetup {
  input: string;
  asOf: string;
  horizonDays: number;
  trainCut: string;
  trainHorizonDays: number;
}

/** The whole report as an HTML document. */
export function backtestHtml(r: BacktestResult, setup: BacktestSetup): string {
  const d = r.details;
  const warnings = d.warnings.length ? `<h2>Warnings</h2><ul class="warn">${d.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cvnet backtest: ${esc(setup.input)}</title><style>${CSS}</style></head><body>
<h1>Backtest: ${esc(setup.input)}</h1>
<p class="meta">As-of ${esc(setup.asOf)}, horizon ${setup.horizonDays} days. The network was trained on the features at ${esc(setup.trainCut)} and what those ${d.trainCustomers} customers did in the next ${setup.trainHorizonDays} days (nothing after as-of), ${d.epochs} traingdx epochs (${esc(d.stop)}), MSE ${fmt(d.mse, 5)}. ${esc(d.k)}.</p>
<p>${r.customers} customers scored; ${pct(d.purchaseRate)} bought in the horizon, bringing ${fmt(d.futureRevenue, 2)} of revenue.</p>
<h2>Figures</h2>
<table><tr><th class="l">Score</th><th>Spearman ρ (score, future spend)</th><th>Class A capture</th><th>Top 10 % capture</th><th>Top 25 % capture</th><th>AUC (bought)</th></tr>
${row('model K (AUC: purchase output)', r.model)}${row('RFM score (sum of quintiles)', r.rfm)}${row('current value C', r.current)}</table>
<p class="meta">Class A customers: model ${d.classA.model}, RFM ${d.classA.rfm}, C ${d.classA.current}. Captures are shares of the future revenue of the scored customers; ties in a score are broken by customer id.</p>
<h2>Cumulative revenue capture</h2>${captureChart(r)}
<h2>Calibration of the purchase probability (deciles)</h2>${calibrationChart(r)}
${warnings}
</body></html>
`;
}
