/** Segment sizes and value, and the report section that shows them with the playbooks. */
import { escapeHtml as esc, fmt } from '../report/escape.js';
import { hbarChart } from '../report/svg.js';
import type { SegmentEngine } from './engine.js';
import type { LevelDef, SegmentDef } from './schema.js';

export interface SegmentStats {
  segment: SegmentDef;
  level: LevelDef;
  count: number;
  /** Share of all customers (0–1). */
  share: number;
  /** Mean and total K of the segment (NaN / 0 when K is not known). */
  meanK: number;
  totalK: number;
  /** Share of the total K of all customers (0–1). */
  valueShare: number;
  meanC: number;
}

export interface SegmentSummary {
  name: string;
  customers: number;
  /** Every segment of the config, in config order, also the empty ones. */
  segments: SegmentStats[];
}

/**
 * Counts and value per segment.
 * @param customers one entry per customer: its segment id and, when known, K and C.
 */
export function summarizeSegments(engine: SegmentEngine, customers: readonly { segment: string; K?: number; C?: number }[]): SegmentSummary {
  const acc = new Map(engine.config.segments.map((s) => [s.id, { count: 0, k: 0, kn: 0, c: 0, cn: 0 }]));
  let allK = 0;
  for (const c of customers) {
    const a = acc.get(c.segment);
    if (!a) throw new RangeError(`segment "${c.segment}" is not in ${engine.config.name}`);
    a.count++;
    if (c.K !== undefined) {
      a.k += c.K;
      a.kn++;
      allK += c.K;
    }
    if (c.C !== undefined) {
      a.c += c.C;
      a.cn++;
    }
  }
  const n = customers.length;
  const levels = new Map(engine.config.levels.map((l) => [l.id, l]));
  return {
    name: engine.config.name,
    customers: n,
    segments: engine.config.segments.map((segment) => {
      const a = acc.get(segment.id)!;
      return {
        segment,
        level: levels.get(segment.level)!,
        count: a.count,
        share: n ? a.count / n : 0,
        meanK: a.kn ? a.k / a.kn : NaN,
        totalK: a.k,
        valueShare: allK > 0 ? a.k / allK : 0,
        meanC: a.cn ? a.c / a.cn : NaN,
      };
    }),
  };
}

const LEVEL_COLOURS = ['#1b7837', '#3a6ea5', '#f1a340', '#b2182b', '#762a83', '#555'];

/** `<section id="segments">` for the HTML report: chart of sizes, value per segment, playbooks by level. */
export function renderSegmentsSection(summary: SegmentSummary, levels: readonly LevelDef[]): string {
  const colour = new Map(levels.map((l, i) => [l.id, LEVEL_COLOURS[i % LEVEL_COLOURS.length]!]));
  const chart = hbarChart(
    'Customers per segment',
    summary.segments.map((s) => ({ label: s.segment.name, value: s.count, color: colour.get(s.level.id) ?? '#3a6ea5' })),
    0,
  );
  const legend = levels.map((l) => `<span style="color:${colour.get(l.id)};font-weight:600">■ ${esc(l.name)}</span>`).join(' &nbsp; ');
  const body = levels
    .map((l) => {
      const rows = summary.segments
        .filter((s) => s.level.id === l.id)
        .map(
          (s) =>
            `<tr><td class="l">${esc(s.segment.name)}</td><td>${s.count}</td><td>${fmt(100 * s.share, 1)} %</td><td>${Number.isNaN(s.meanK) ? '–' : fmt(s.meanK, 3)}</td><td>${fmt(100 * s.valueShare, 1)} %</td><td>${Number.isNaN(s.meanC) ? '–' : fmt(s.meanC, 2)}</td><td class="l">${esc(s.segment.description)}</td><td class="l">${esc(s.segment.playbook)}</td></tr>`,
        )
        .join('');
      return `<tr><th class="l" colspan="8" style="color:${colour.get(l.id)}">${esc(l.name)}${l.description ? ` — ${esc(l.description)}` : ''}</th></tr>${rows}`;
    })
    .join('');
  return (
    `<section id="segments"><h2>${esc(`Segments: ${summary.name}`)}</h2>${chart}<p>${legend}</p>` +
    `<table><tr><th class="l">Segment</th><th>Customers</th><th>Share</th><th>Mean K</th><th>Share of K</th><th>Mean C</th><th class="l">Who</th><th class="l">Playbook</th></tr>${body}</table></section>`
  );
}
