import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../errors.js';
import type { CustomerClass } from '../method/classify.js';
import { BUILTIN_SEGMENTS, RFM_SEGMENTS, VALUE17_SEGMENTS } from './builtin.js';
import { compileSegments, parseSegments } from './engine.js';
import type { SegmentConfigInput } from './schema.js';
import { renderSegmentsSection, summarizeSegments } from './summary.js';

const STUDY = ['profile', 'visits', 'time_online', 'interaction', 'recency', 'frequency', 'monetary', 'repeat', 'cross', 'relationship', 'brand', 'recommend', 'rating', 'membership'];

/** Every combination of values of the given score variables and classes. */
function* grid(names: readonly string[], classes: readonly CustomerClass[]): Generator<{ scores: Record<string, number>; class: CustomerClass }> {
  const total = 5 ** names.length;
  for (const cls of classes) {
    for (let code = 0; code < total; code++) {
      const scores: Record<string, number> = {};
      let c = code;
      for (const n of names) {
        scores[n] = (c % 5) + 1;
        c = Math.floor(c / 5);
      }
      yield { scores, class: cls };
    }
  }
}

describe('shipped segment maps', () => {
  it('RFM map is proven a partition and matches the classic R×F grid cell by cell', () => {
    const e = compileSegments(RFM_SEGMENTS, { indicators: STUDY });
    expect(e.proof.ok).toBe(true);
    expect(e.config.segments).toHaveLength(10);
    expect([...e.indicators].sort()).toEqual(['frequency', 'recency']);
    // The widely used grid, written as R then F (rows R = 1..5, columns F = 1..5).
    const grid5 = [
      ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose'],
      ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose'],
      ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
      ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
      ['new', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
    ];
    for (let R = 1; R <= 5; R++) {
      for (let F = 1; F <= 5; F++) {
        expect(e.assign({ scores: { recency: R, frequency: F } }).segment.id, `R=${R} F=${F}`).toBe(grid5[R - 1]![F - 1]);
      }
    }
  });

  it('value17 map: 3 levels, 17 segments, proven; brute force over its variables agrees', () => {
    const e = compileSegments(VALUE17_SEGMENTS, { indicators: STUDY });
    expect(e.proof.ok).toBe(true);
    expect(e.config.levels).toHaveLength(3);
    expect(e.config.segments).toHaveLength(17);
    expect(e.warnings).toEqual([]);
    // Independent check on a slice: every combination of the 6 scores that
    // decide class-A and class-D customers lands in exactly one segment.
    const names = ['recency', 'rating', 'recommend', 'brand', 'visits', 'interaction'];
    const fixed = Object.fromEntries(STUDY.map((s) => [s, 3]));
    const seen = new Set<string>();
    for (const c of grid(names, ['A', 'D'])) {
      const { segment, level } = e.assign({ scores: { ...fixed, ...c.scores }, class: c.class });
      expect(level.id).toBe(c.class === 'A' ? 'key' : 'marginal');
      seen.add(segment.id);
    }
    expect([...seen].sort()).toEqual(['a_active', 'a_ambassadors', 'a_dormant', 'a_grievance', 'd_active', 'd_lapsed', 'd_unhappy']);
  });

  it('builtins are listed by name', () => {
    expect(Object.keys(BUILTIN_SEGMENTS).sort()).toEqual(['rfm', 'value17']);
  });
});

const base = (segments: SegmentConfigInput['segments'], labels: SegmentConfigInput['labels'] = []): SegmentConfigInput => ({
  name: 'test',
  levels: [{ id: 'all', name: 'All' }],
  labels,
  segments,
});
const seg = (id: string, when: SegmentConfigInput['segments'][number]['when']): SegmentConfigInput['segments'][number] => ({
  id, name: id, level: 'all', description: id, playbook: id, when,
});

describe('partition proof', () => {
  it('names the overlap and the gap of a broken config, each with an example customer', () => {
    const broken = base(
      [
        seg('hi', { all: ['recent', { score: 'frequency', gte: 3 }] }),
        seg('mid', { all: ['recent', { score: 'frequency', gte: 2, lte: 4 }] }),
        seg('old', '!recent'),
      ],
      [{ id: 'recent', name: 'Recent', when: { score: 'recency', gte: 4 } }],
    );
    const e = compileSegments(broken, { requirePartition: false });
    expect(e.proof.ok).toBe(false);
    expect(e.proof.overlaps.map((o) => o.segments)).toEqual([['hi', 'mid']]);
    const overlap = Object.fromEntries(e.proof.overlaps[0]!.example);
    expect(overlap['score:recency']).toBeGreaterThanOrEqual(4);
    expect(overlap['score:frequency']).toBeGreaterThanOrEqual(3);
    expect(overlap['score:frequency']).toBeLessThanOrEqual(4);
    const gap = Object.fromEntries(e.proof.gaps[0]!.example);
    expect(gap).toEqual({ 'score:recency': 4, 'score:frequency': 1 });
    expect(() => compileSegments(broken)).toThrow(ConfigError);
    expect(() => compileSegments(broken)).toThrow(/overlap: "hi" and "mid" all contain e\.g\. .*\n.*gap: no segment contains e\.g\. recency = 4, frequency = 1/);
  });

  it('handles real-valued K, C and raw fields, including empty fields and boundary points', () => {
    const ok = base([
      seg('low', { value: 'K', lt: 0.5 }),
      seg('high_rich', { all: [{ value: 'K', gte: 0.5 }, { field: 'Income', gte: 50000 }] }),
      seg('high_other', { all: [{ value: 'K', gte: 0.5 }, { not: { field: 'Income', gte: 50000 } }] }),
    ]);
    expect(compileSegments(ok).proof.ok).toBe(true);
    const e = compileSegments(ok);
    expect(e.assign({ K: 0.5, fields: { Income: '50000' } }).segment.id).toBe('high_rich');
    expect(e.assign({ K: 0.5, fields: { Income: '' } }).segment.id).toBe('high_other');
    expect(e.assign({ K: 0.4999, fields: { Income: 1 } }).segment.id).toBe('low');

    // gt/lt on the same cut point leave exactly the point uncovered; an empty field is a gap too.
    const pointGap = base([seg('a', { field: 'Income', lt: 100 }), seg('b', { field: 'Income', gt: 100 })]);
    const p = compileSegments(pointGap, { requirePartition: false }).proof;
    expect(p.gaps.map((g) => g.example[0]![1])).toEqual([100, null]);
    expect(() => compileSegments(pointGap)).toThrow(/Income = 100[\s\S]*Income empty/);
  });

  it('rejects unknown labels, label cycles, unknown levels and indicators the model lacks', () => {
    expect(() => compileSegments(base([seg('a', 'nope')]))).toThrow(/refers to label "nope"/);
    expect(() =>
      compileSegments(base([seg('a', 'x')], [{ id: 'x', name: 'x', when: 'y' }, { id: 'y', name: 'y', when: '!x' }])),
    ).toThrow(/cycle: x → y → x/);
    expect(() => compileSegments({ ...base([seg('a', { class: ['A', 'B', 'C', 'D'] })]), levels: [{ id: 'other', name: 'o' }] })).toThrow(/level "all", which is not defined/);
    expect(() => compileSegments(base([seg('a', { score: 'nps', gte: 1 })]), { indicators: STUDY })).toThrow(/"nps", which the model does not have/);
    expect(() => parseSegments('{ "name": "x", "levels": [], "segments": [] }', { file: 's.json' })).toThrow(/s\.json is invalid/);
  });

  it('refuses values outside the domain and missing inputs at assignment time', () => {
    const e = compileSegments(RFM_SEGMENTS);
    expect(() => e.assign({ scores: { recency: 7, frequency: 1 } }, 'row 3')).toThrow(/row 3: no segment/);
    expect(() => e.assign({ scores: { recency: 5 } }, 'row 4')).toThrow(DataError);
  });
});

describe('segment summary and report section', () => {
  it('counts customers and value per segment and escapes text', () => {
    const e = compileSegments(RFM_SEGMENTS);
    const s = summarizeSegments(e, [
      { segment: 'champions', K: 0.9, C: 4.8 },
      { segment: 'champions', K: 0.7, C: 4.4 },
      { segment: 'hibernating', K: 0.4, C: 1.5 },
    ]);
    const champions = s.segments.find((x) => x.segment.id === 'champions')!;
    expect(champions.count).toBe(2);
    expect(champions.meanK).toBeCloseTo(0.8, 12);
    expect(champions.valueShare).toBeCloseTo(1.6 / 2, 12);
    expect(s.segments.find((x) => x.segment.id === 'new')!.count).toBe(0);
    const html = renderSegmentsSection(s, e.config.levels);
    expect(html).toContain('<section id="segments">');
    expect(html).toContain('Can&#39;t Lose Them');
    expect(html).not.toMatch(/<script/);
  });
});
