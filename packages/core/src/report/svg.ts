/**
 * Small inline-SVG charts drawn by hand, so the report needs no scripts,
 * fonts or network. Every label passes through escapeHtml.
 */
import { escapeHtml as esc, fmt, px } from './escape.js';

const W = 560;
const H = 260;
const M = { top: 16, right: 16, bottom: 40, left: 56 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

function frame(title: string, body: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${body}</svg>`;
}

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}" ${attrs}>${esc(s)}</text>`;
}

function axes(): string {
  const x0 = M.left;
  const y0 = M.top + PLOT_H;
  return `<line class="axis" x1="${x0}" y1="${M.top}" x2="${x0}" y2="${y0}"/><line class="axis" x1="${x0}" y1="${y0}" x2="${x0 + PLOT_W}" y2="${y0}"/>`;
}

/** Linear y ticks from 0 to max. */
function yTicks(max: number, toY: (v: number) => number, digits: number): string {
  let out = '';
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = toY(v);
    out += `<line class="grid" x1="${M.left}" y1="${px(y)}" x2="${M.left + PLOT_W}" y2="${px(y)}"/>`;
    out += text(M.left - 6, y + 4, fmt(v, digits), 'text-anchor="end"');
  }
  return out;
}

export interface Bar {
  label: string;
  value: number;
  /** CSS colour; @default the accent colour */
  color?: string;
}

/** Vertical bar chart with value labels. */
export function barChart(title: string, bars: readonly Bar[], yLabel: string, digits = 0): string {
  const max = Math.max(1e-12, ...bars.map((b) => b.value));
  const toY = (v: number): number => M.top + PLOT_H - (v / max) * PLOT_H;
  const slot = PLOT_W / Math.max(1, bars.length);
  let body = yTicks(max, toY, digits === 0 && max < 4 ? 2 : digits) + axes();
  bars.forEach((b, i) => {
    const x = M.left + i * slot + slot * 0.15;
    const y = toY(b.value);
    body += `<rect x="${px(x)}" y="${px(y)}" width="${px(slot * 0.7)}" height="${px(M.top + PLOT_H - y)}" fill="${esc(b.color ?? '#3a6ea5')}"><title>${esc(`${b.label}: ${fmt(b.value, digits)}`)}</title></rect>`;
    body += text(x + slot * 0.35, y - 4, fmt(b.value, digits), 'text-anchor="middle" class="val"');
    body += text(x + slot * 0.35, M.top + PLOT_H + 16, b.label, 'text-anchor="middle"');
  });
  body += text(14, M.top + PLOT_H / 2, yLabel, `transform="rotate(-90 14 ${px(M.top + PLOT_H / 2)})" text-anchor="middle"`);
  return frame(title, body);
}

/** Horizontal bar chart (one row per item), e.g. indicator weights. */
export function hbarChart(title: string, bars: readonly Bar[], digits = 3): string {
  const rowH = 18;
  const h = M.top + bars.length * rowH + 24;
  const left = 220;
  // Long names would run off the left edge; the full name is in the tooltip and the table.
  const short = (s: string): string => (s.length > 34 ? `${s.slice(0, 33)}…` : s);
  const width = W - left - 70;
  const max = Math.max(1e-12, ...bars.map((b) => b.value));
  let body = '';
  bars.forEach((b, i) => {
    const y = M.top + i * rowH;
    const bw = (b.value / max) * width;
    body += text(left - 6, y + 13, short(b.label), 'text-anchor="end"');
    body += `<rect x="${left}" y="${y + 3}" width="${px(bw)}" height="${rowH - 6}" fill="${esc(b.color ?? '#3a6ea5')}"><title>${esc(b.label)}</title></rect>`;
    body += text(left + bw + 4, y + 13, fmt(b.value, digits), 'class="val"');
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(title)}">${body}</svg>`;
}

export interface Series {
  name: string;
  values: readonly number[];
  color: string;
}

export interface Level {
  name: string;
  value: number;
  color: string;
}

/**
 * Line chart of values per epoch on a log₁₀ y axis. Non-positive values
 * (an MSE of exactly 0) cannot be drawn on a log scale and are skipped.
 * `levels` are single values drawn as dashed horizontal lines (e.g. the
 * final test MSE when there is no per-epoch test curve).
 */
export function logLineChart(title: string, series: readonly Series[], xLabel: string, yLabel: string, levels: readonly Level[] = []): string {
  const drawn = levels.filter((l) => l.value > 0 && Number.isFinite(l.value));
  const positive = [...series.flatMap((s) => s.values.filter((v) => v > 0 && Number.isFinite(v))), ...drawn.map((l) => l.value)];
  if (positive.length === 0) return frame(title, text(W / 2, H / 2, 'no positive values to plot', 'text-anchor="middle"'));
  let lo = Math.floor(Math.log10(Math.min(...positive)));
  let hi = Math.ceil(Math.log10(Math.max(...positive)));
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const toX = (i: number): number => M.left + (i / (n - 1)) * PLOT_W;
  const toY = (v: number): number => M.top + PLOT_H - ((Math.log10(v) - lo) / (hi - lo)) * PLOT_H;
  let body = '';
  for (let e = lo; e <= hi; e++) {
    const y = toY(10 ** e);
    body += `<line class="grid" x1="${M.left}" y1="${px(y)}" x2="${M.left + PLOT_W}" y2="${px(y)}"/>`;
    body += text(M.left - 6, y + 4, `1e${e}`, 'text-anchor="end"');
  }
  body += axes();
  for (let i = 0; i <= 4; i++) {
    const epoch = Math.round(((n - 1) * i) / 4);
    body += text(toX(epoch), M.top + PLOT_H + 16, String(epoch), 'text-anchor="middle"');
  }
  series.forEach((s, k) => {
    const pts = s.values.flatMap((v, i) => (v > 0 && Number.isFinite(v) ? [`${px(toX(i))},${px(toY(v))}`] : []));
    body += `<polyline fill="none" stroke="${esc(s.color)}" stroke-width="1.5" points="${pts.join(' ')}"/>`;
    body += `<rect x="${W - 150}" y="${M.top + 4 + k * 16}" width="10" height="10" fill="${esc(s.color)}"/>`;
    body += text(W - 134, M.top + 13 + k * 16, s.name);
  });
  drawn.forEach((l, k) => {
    const y = px(toY(l.value));
    const row = series.length + k;
    body += `<line class="level" stroke="${esc(l.color)}" stroke-dasharray="6 4" stroke-width="1.5" x1="${M.left}" y1="${y}" x2="${M.left + PLOT_W}" y2="${y}"><title>${esc(`${l.name}: ${fmt(l.value, 6)}`)}</title></line>`;
    body += `<line stroke="${esc(l.color)}" stroke-dasharray="3 2" stroke-width="1.5" x1="${W - 150}" y1="${M.top + 9 + row * 16}" x2="${W - 140}" y2="${M.top + 9 + row * 16}"/>`;
    body += text(W - 134, M.top + 13 + row * 16, l.name);
  });
  body += text(M.left + PLOT_W / 2, H - 6, xLabel, 'text-anchor="middle"');
  body += text(14, M.top + PLOT_H / 2, yLabel, `transform="rotate(-90 14 ${px(M.top + PLOT_H / 2)})" text-anchor="middle"`);
  return frame(title, body);
}

/**
 * Histogram of values on [0, 1] with labelled vertical lines (class
 * thresholds). Values outside [0, 1] fall into the end bins.
 */
export function histogram(title: string, values: readonly number[], lines: readonly { x: number; label: string }[], bins = 20): string {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]!++;
  const max = Math.max(1, ...counts);
  const toX = (v: number): number => M.left + v * PLOT_W;
  const toY = (c: number): number => M.top + PLOT_H - (c / max) * PLOT_H;
  let body = yTicks(max, toY, max < 4 ? 2 : 0) + axes();
  counts.forEach((c, i) => {
    const x = toX(i / bins);
    const y = toY(c);
    body += `<rect x="${px(x + 0.5)}" y="${px(y)}" width="${px(PLOT_W / bins - 1)}" height="${px(M.top + PLOT_H - y)}" fill="#3a6ea5"><title>${esc(`[${fmt(i / bins, 2)}, ${fmt((i + 1) / bins, 2)}): ${c}`)}</title></rect>`;
  });
  for (const l of lines) {
    const x = toX(l.x);
    body += `<line class="threshold" x1="${px(x)}" y1="${M.top}" x2="${px(x)}" y2="${M.top + PLOT_H}"/>`;
    body += text(x + 3, M.top + 10, l.label, 'class="val"');
  }
  for (let i = 0; i <= 4; i++) body += text(toX(i / 4), M.top + PLOT_H + 16, fmt(i / 4, 2), 'text-anchor="middle"');
  body += text(M.left + PLOT_W / 2, H - 6, 'K', 'text-anchor="middle"');
  return frame(title, body);
}
