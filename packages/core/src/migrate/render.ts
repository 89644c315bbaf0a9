/** Migration as a terminal table, an HTML section with an SVG flow chart, and a whole HTML page. */
import { CLASSES, type CustomerClass } from '../method/classify.js';
import { escapeHtml as esc, fmt, heatCell, px, stripControl as clean } from '../report/escape.js';
import type { MigrationReport, TransitionMatrix } from './compare.js';

const CLASS_COLOURS: Record<CustomerClass, string> = { A: '#1b7837', B: '#5aae61', C: '#f1a340', D: '#b2182b' };

function textMatrix(t: TransitionMatrix, title: string): string[] {
  const w = Math.max(6, ...t.labels.map((l) => clean(l).length)) + 1;
  const cell = Math.max(6, ...t.counts.flat().map((v) => String(v).length)) + 1;
  const lines = [title, `${'before \\ after'.padEnd(w)}${t.labels.map((l) => clean(l).padStart(Math.max(cell, l.length + 1))).join('')}`];
  t.labels.forEach((l, i) => {
    lines.push(`${clean(l).padEnd(w)}${t.counts[i]!.map((v, j) => String(v).padStart(Math.max(cell, t.labels[j]!.length + 1))).join('')}`);
  });
  return lines;
}

export interface MigrationTextOptions {
  /** Moved-down customers listed. @default 20 */
  maxList?: number;
}

/** The terminal summary: counts, the class (and segment) matrix, value moved, who moved down. */
export function renderMigrationText(r: MigrationReport, options: MigrationTextOptions = {}): string {
  const max = options.maxList ?? 20;
  const c = r.customers;
  const lines = [
    `Customers: ${c.before} before, ${c.after} after, ${c.both} in both (${c.entered} new, ${c.left} gone).`,
    `Class moves: ${r.up} up, ${r.stayed} same, ${r.down} down.`,
    '',
    ...textMatrix(r.classes, 'Class transitions (rows: before, columns: after):'),
  ];
  if (r.value) {
    const before = r.classes.valueBefore.flat().reduce((s, x) => s + x, 0);
    const after = r.classes.valueAfter.flat().reduce((s, x) => s + x, 0);
    lines.push('', `Value (Σ${r.value}) of customers in both runs: ${fmt(before, 3)} before, ${fmt(after, 3)} after (${after >= before ? '+' : ''}${fmt(after - before, 3)}).`);
    lines.push(`${'from → to'.padEnd(10)}${'customers'.padStart(10)}${`Σ${r.value} before`.padStart(14)}${`Σ${r.value} after`.padStart(14)}`);
    CLASSES.forEach((a, i) =>
      CLASSES.forEach((b, j) => {
        const n = r.classes.counts[i]![j]!;
        if (n > 0) lines.push(`${`${a} → ${b}`.padEnd(10)}${String(n).padStart(10)}${fmt(r.classes.valueBefore[i]![j]!, 3).padStart(14)}${fmt(r.classes.valueAfter[i]![j]!, 3).padStart(14)}`);
      }),
    );
  }
  if (r.segments) lines.push('', ...textMatrix(r.segments, 'Segment transitions (rows: before, columns: after):'));
  if (r.movedDown.length) {
    lines.push('', `Moved down (${r.movedDown.length}${r.movedDown.length > max ? `, first ${max}` : ''}):`);
    for (const m of r.movedDown.slice(0, max)) {
      lines.push(`  ${clean(m.id)}  ${m.from} → ${m.to}${m.valueBefore !== undefined ? `  ${r.value} ${fmt(m.valueBefore, 3)} → ${fmt(m.valueAfter!, 3)}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Flow chart: classes before (left) to classes after (right), ribbon width ∝ customers. */
export function migrationFlowChart(r: MigrationReport): string {
  const W = 560;
  const H = 300;
  const top = 24;
  const gap = 10;
  const nodeW = 18;
  const [xl, xr] = [90, W - 90 - nodeW];
  const total = r.customers.both;
  if (total === 0) return `<svg class="chart" viewBox="0 0 ${W} 60" width="${W}" height="60" role="img" aria-label="Class migration"><text x="${W / 2}" y="30" text-anchor="middle">no customers in both runs</text></svg>`;
  const scale = (H - top - 10 - gap * 3) / total;
  const rowSum = CLASSES.map((_, i) => r.classes.counts[i]!.reduce((s, x) => s + x, 0));
  const colSum = CLASSES.map((_, j) => r.classes.counts.reduce((s, row) => s + row[j]!, 0));
  const place = (sums: number[]): number[] => {
    const ys: number[] = [];
    let y = top;
    for (const s of sums) {
      ys.push(y);
      y += s * scale + gap;
    }
    return ys;
  };
  const yl = place(rowSum);
  const yr = place(colSum);
  const outOff = [...yl];
  const inOff = [...yr];
  let body = `<text x="${xl + nodeW / 2}" y="14" text-anchor="middle">before</text><text x="${xr + nodeW / 2}" y="14" text-anchor="middle">after</text>`;
  const mid = (xl + nodeW + xr) / 2;
  CLASSES.forEach((a, i) =>
    CLASSES.forEach((b, j) => {
      const n = r.classes.counts[i]![j]!;
      if (n === 0) return;
      const h = n * scale;
      const y0 = outOff[i]!;
      const y1 = inOff[j]!;
      outOff[i] = y0 + h;
      inOff[j] = y1 + h;
      const x0 = xl + nodeW;
      body += `<path d="M${px(x0)},${px(y0)} C${px(mid)},${px(y0)} ${px(mid)},${px(y1)} ${px(xr)},${px(y1)} L${px(xr)},${px(y1 + h)} C${px(mid)},${px(y1 + h)} ${px(mid)},${px(y0 + h)} ${px(x0)},${px(y0 + h)} Z" fill="${CLASS_COLOURS[a]}" fill-opacity="${a === b ? 0.35 : 0.6}"><title>${esc(`${a} → ${b}: ${n}`)}</title></path>`;
    }),
  );
  CLASSES.forEach((c, i) => {
    body += `<rect x="${xl}" y="${px(yl[i]!)}" width="${nodeW}" height="${px(Math.max(1, rowSum[i]! * scale))}" fill="${CLASS_COLOURS[c]}"/>`;
    body += `<text x="${xl - 6}" y="${px(yl[i]! + (rowSum[i]! * scale) / 2 + 4)}" text-anchor="end">${c} (${rowSum[i]})</text>`;
    body += `<rect x="${xr}" y="${px(yr[i]!)}" width="${nodeW}" height="${px(Math.max(1, colSum[i]! * scale))}" fill="${CLASS_COLOURS[c]}"/>`;
    body += `<text x="${xr + nodeW + 6}" y="${px(yr[i]! + (colSum[i]! * scale) / 2 + 4)}">${c} (${colSum[i]})</text>`;
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Class migration">${body}</svg>`;
}

function htmlMatrix(t: TransitionMatrix, value: string | null): string {
  const max = Math.max(1, ...t.counts.flat());
  const head = t.labels.map((l) => `<th>${esc(l)}</th>`).join('');
  const rows = t.labels
    .map((l, i) => {
      const cells = t.labels
        .map((_, j) => {
          const tip = value ? ` title="${esc(`Σ${value} ${fmt(t.valueBefore[i]![j]!, 3)} → ${fmt(t.valueAfter[i]![j]!, 3)}`)}"` : '';
          return heatCell(t.counts[i]![j]!, max, tip);
        })
        .join('');
      return `<tr><th>${esc(l)}</th>${cells}</tr>`;
    })
    .join('');
  return `<table><tr><th>before \\ after</th>${head}</tr>${rows}</table>`;
}

export interface MigrationHtmlOptions {
  /** List moved-down customers by id (reports show no ids unless asked). @default false */
  showIds?: boolean;
  /** Moved-down customers listed. @default 50 */
  maxList?: number;
}

/** `<section id="migration">`: flow chart, class (and segment) matrices, value moved, who moved down. */
export function renderMigrationSection(r: MigrationReport, options: MigrationHtmlOptions = {}): string {
  const max = options.maxList ?? 50;
  const c = r.customers;
  let valueTable = '';
  if (r.value) {
    const rows = CLASSES.flatMap((a, i) =>
      CLASSES.flatMap((b, j) => {
        const n = r.classes.counts[i]![j]!;
        return n ? [`<tr><td class="l">${a} → ${b}</td><td>${n}</td><td>${fmt(r.classes.valueBefore[i]![j]!, 3)}</td><td>${fmt(r.classes.valueAfter[i]![j]!, 3)}</td></tr>`] : [];
      }),
    ).join('');
    valueTable = `<table><tr><th class="l">Transition</th><th>Customers</th><th>Σ${r.value} before</th><th>Σ${r.value} after</th></tr>${rows}</table>`;
  }
  const down = options.showIds
    ? `<table><tr><th class="l">Customer</th><th>From</th><th>To</th>${r.value ? `<th>${r.value} before</th><th>${r.value} after</th>` : ''}</tr>${r.movedDown
        .slice(0, max)
        .map((m) => `<tr><td class="l">${esc(m.id)}</td><td>${m.from}</td><td>${m.to}</td>${m.valueBefore !== undefined ? `<td>${fmt(m.valueBefore, 3)}</td><td>${fmt(m.valueAfter!, 3)}</td>` : ''}</tr>`)
        .join('')}</table>${r.movedDown.length > max ? `<p>… and ${r.movedDown.length - max} more.</p>` : ''}`
    : '';
  return (
    `<section id="migration"><h2>Class migration</h2>` +
    `<p>${c.before} customers before, ${c.after} after, ${c.both} in both (${c.entered} new, ${c.left} gone). ${r.up} moved up, ${r.stayed} stayed, ${r.down} moved down.</p>` +
    `${migrationFlowChart(r)}${htmlMatrix(r.classes, r.value)}${valueTable}` +
    (r.segments ? `<h3>Segment transitions</h3>${htmlMatrix(r.segments, r.value)}` : '') +
    (r.down ? `<h3>Moved down</h3>${down || `<p>${r.down} customers (ids not shown).</p>`}` : '') +
    `</section>`
  );
}

/** A self-contained HTML page (inline CSS and SVG, no scripts) with the migration section. */
export function renderMigrationPage(r: MigrationReport, options: MigrationHtmlOptions & { title?: string } = {}): string {
  const title = options.title ?? 'cvnet class migration';
  const css =
    'body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:16px 24px;color:#222}table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}.chart{max-width:100%;height:auto;font-size:11px}';
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${css}</style></head><body><h1>${esc(title)}</h1>${renderMigrationSection(r, options)}</body></html>\n`;
}
