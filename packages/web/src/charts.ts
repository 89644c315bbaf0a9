/**
 * Inline-SVG charts for the page: no chart library, no canvas, so they scale,
 * print and stay a few hundred bytes of code. Every label passes through esc().
 */

const W = 560;
const H = 240;
const M = { top: 14, right: 14, bottom: 36, left: 54 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** Escapes text for element content and quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const r2 = (x: number): string => (Math.round(x * 100) / 100).toString();

function label(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${r2(x)}" y="${r2(y)}" ${attrs}>${esc(s)}</text>`;
}

function frame(title: string, body: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${body}` +
    `<line class="axis" x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + PH}"/>` +
    `<line class="axis" x1="${M.left}" y1="${M.top + PH}" x2="${M.left + PW}" y2="${M.top + PH}"/></svg>`;
}

/** A count axis top: a multiple of 4 so the five ticks are whole numbers. */
const countTop = (max: number): number => Math.max(4, Math.ceil(max / 4) * 4);

function countTicks(max: number, toY: (v: number) => number): string {
  let out = '';
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    out += `<line class="grid" x1="${M.left}" y1="${r2(toY(v))}" x2="${M.left + PW}" y2="${r2(toY(v))}"/>`;
    out += label(M.left - 6, toY(v) + 4, String(v), 'text-anchor="end"');
  }
  return out;
}

/** At most this many points are drawn; a million-epoch run still renders instantly. */
const MAX_POINTS = 800;

/**
 * MSE per epoch on a log₁₀ axis. Non-positive values (an MSE of exactly 0)
 * have no logarithm and are skipped.
 */
export function curveChart(epochs: readonly number[], perf: readonly number[]): string {
  const step = Math.max(1, Math.ceil(perf.length / MAX_POINTS));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < perf.length; i += step) {
    if (perf[i]! > 0 && Number.isFinite(perf[i]!)) { xs.push(epochs[i]!); ys.push(perf[i]!); }
  }
  const last = perf.length - 1;
  if (last >= 0 && (last % step !== 0) && perf[last]! > 0) { xs.push(epochs[last]!); ys.push(perf[last]!); }
  if (ys.length === 0) return frame('MSE per epoch', label(W / 2, H / 2, 'waiting for the first epoch…', 'text-anchor="middle"'));
  let lo = Math.floor(Math.log10(Math.min(...ys)));
  let hi = Math.ceil(Math.log10(Math.max(...ys)));
  if (hi === lo) { lo -= 1; hi += 1; }
  const maxX = Math.max(1, xs[xs.length - 1]!);
  const toX = (e: number): number => M.left + (e / maxX) * PW;
  const toY = (v: number): number => M.top + PH - ((Math.log10(v) - lo) / (hi - lo)) * PH;
  let body = '';
  for (let e = lo; e <= hi; e++) {
    body += `<line class="grid" x1="${M.left}" y1="${r2(toY(10 ** e))}" x2="${M.left + PW}" y2="${r2(toY(10 ** e))}"/>`;
    body += label(M.left - 6, toY(10 ** e) + 4, `1e${e}`, 'text-anchor="end"');
  }
  for (let i = 0; i <= 4; i++) body += label(toX((maxX * i) / 4), M.top + PH + 16, String(Math.round((maxX * i) / 4)), 'text-anchor="middle"');
  body += `<polyline class="curve" points="${xs.map((x, i) => `${r2(toX(x))},${r2(toY(ys[i]!))}`).join(' ')}"/>`;
  body += label(M.left + PW / 2, H - 4, 'epoch', 'text-anchor="middle"');
  body += label(12, M.top + PH / 2, 'training MSE', `transform="rotate(-90 12 ${r2(M.top + PH / 2)})" text-anchor="middle"`);
  return frame('Training MSE per epoch (log scale)', body);
}

export interface Bar {
  label: string;
  value: number;
  color: string;
}

/** Vertical bars with their counts on top. */
export function barChart(title: string, bars: readonly Bar[]): string {
  const max = countTop(Math.max(...bars.map((b) => b.value)));
  const toY = (v: number): number => M.top + PH - (v / max) * PH;
  const slot = PW / Math.max(1, bars.length);
  let body = countTicks(max, toY);
  bars.forEach((b, i) => {
    const x = M.left + i * slot + slot * 0.15;
    body += `<rect x="${r2(x)}" y="${r2(toY(b.value))}" width="${r2(slot * 0.7)}" height="${r2(M.top + PH - toY(b.value))}" fill="${esc(b.color)}"><title>${esc(`${b.label}: ${b.value}`)}</title></rect>`;
    body += label(x + slot * 0.35, toY(b.value) - 4, String(b.value), 'text-anchor="middle" class="val"');
    body += label(x + slot * 0.35, M.top + PH + 16, b.label, 'text-anchor="middle"');
  });
  return frame(title, body);
}

/** Histogram of K on [0, 1] with the class thresholds as dashed lines. */
export function kHistogram(values: readonly number[], thresholds: Readonly<Record<'A' | 'B' | 'C', number>>, bins = 20): string {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]!++;
  const max = countTop(Math.max(...counts));
  const toX = (v: number): number => M.left + v * PW;
  const toY = (c: number): number => M.top + PH - (c / max) * PH;
  let body = countTicks(max, toY);
  counts.forEach((c, i) => {
    body += `<rect x="${r2(toX(i / bins) + 0.5)}" y="${r2(toY(c))}" width="${r2(PW / bins - 1)}" height="${r2(M.top + PH - toY(c))}" fill="#3a6ea5"><title>${esc(`K in [${(i / bins).toFixed(2)}, ${((i + 1) / bins).toFixed(2)}): ${c}`)}</title></rect>`;
  });
  for (const [cls, x] of Object.entries(thresholds)) {
    body += `<line class="threshold" x1="${r2(toX(x))}" y1="${M.top}" x2="${r2(toX(x))}" y2="${M.top + PH}"/>`;
    body += label(toX(x) + 3, M.top + 10, `${cls} ≥ ${x}`, 'class="val"');
  }
  for (let i = 0; i <= 4; i++) body += label(toX(i / 4), M.top + PH + 16, (i / 4).toFixed(2), 'text-anchor="middle"');
  body += label(M.left + PW / 2, H - 4, 'K', 'text-anchor="middle"');
  return frame('Histogram of K with class thresholds', body);
}

/**
 * Horizontal bars around a zero line: what each indicator adds to K (green)
 * or takes away (red), largest effect first, with the value at the bar's end.
 */
export function contributionChart(title: string, bars: readonly { label: string; value: number }[]): string {
  const sorted = [...bars].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const row = 20;
  const left = 190;
  const right = 70;
  const height = M.top + sorted.length * row + 24;
  const span = Math.max(1e-9, ...sorted.map((b) => Math.abs(b.value)));
  const hasNegative = sorted.some((b) => b.value < 0);
  const zero = hasNegative ? left + (W - left - right) / 2 : left;
  const scale = (hasNegative ? (W - left - right) / 2 : W - left - right) / span;
  let body = `<line class="axis" x1="${r2(zero)}" y1="${M.top - 4}" x2="${r2(zero)}" y2="${M.top + sorted.length * row}"/>`;
  sorted.forEach((b, i) => {
    const y = M.top + i * row;
    const x = b.value < 0 ? zero + b.value * scale : zero;
    // Long names are cut to fit the label column; the bar's tooltip has the full name.
    body += label(left - 8, y + 14, b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label, 'text-anchor="end"');
    body += `<rect x="${r2(x)}" y="${y + 3}" width="${r2(Math.max(0.5, Math.abs(b.value) * scale))}" height="${row - 6}" fill="${b.value < 0 ? '#b2182b' : '#1b7837'}"><title>${esc(`${b.label}: ${b.value}`)}</title></rect>`;
    const end = b.value < 0 ? x - 4 : zero + b.value * scale + 4;
    body += label(end, y + 14, `${b.value >= 0 ? '+' : ''}${b.value.toFixed(4)}`, `class="val" text-anchor="${b.value < 0 ? 'end' : 'start'}"`);
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-label="${esc(title)}">${body}</svg>`;
}
