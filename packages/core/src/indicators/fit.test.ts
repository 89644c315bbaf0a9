import { describe, expect, it } from 'vitest';
import { validateConfig, type ProjectConfigInput } from './config.js';
import { DataError } from '../errors.js';
import { fitIndicatorSystem, scoreCustomers, type ScoreMatrix } from './fit.js';
import { validateFittedSystem } from './fitted-schema.js';
import type { CustomerRow } from './source.js';

/** A one-dimension config around the given indicators (equal final weights). */
function config(indicators: ProjectConfigInput['indicators'], extra: Partial<ProjectConfigInput> = {}) {
  const ids = indicators.map((i) => i.id);
  return validateConfig({
    dimensions: [{ id: 'd', name: 'D' }],
    indicators,
    weights: { type: 'final', values: Object.fromEntries(ids.map((id) => [id, 1 / ids.length])) },
    currentValue: [ids[0]!],
    ...extra,
  });
}

const column = (m: ScoreMatrix, id: string): number[] => {
  const c = m.indicators.indexOf(id);
  return m.ids.map((_, r) => m.values[r * m.indicators.length + c]!);
};

function fitScore(indicators: ProjectConfigInput['indicators'], rows: CustomerRow[]) {
  const { system, warnings } = fitIndicatorSystem(config(indicators), rows);
  return { system, warnings, m: scoreCustomers(system, rows) };
}

const rowsOf = (col: string, values: (string | number | null)[]): CustomerRow[] => values.map((v, i) => ({ id: `c${i}`, [col]: v }));

function thrown(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}

describe('likert rule', () => {
  const ind = [{ id: 'q', name: 'Q', dimension: 'd', source: 'q1', rule: { type: 'likert' as const } }];
  it('passes 1–5 integers through, text or numbers', () => {
    expect(column(fitScore(ind, rowsOf('q1', ['1', 5, ' 3 '])).m, 'q')).toEqual([1, 5, 3]);
  });
  it.each([['6'], ['2.5'], ['0'], ['abc']])('refuses %s naming row, column and indicator', (bad) => {
    const e = thrown(() => fitScore(ind, rowsOf('q1', ['1', bad])));
    expect(e.row).toBe(2);
    expect(e.column).toBe('q1');
    expect(e.indicator).toBe('q');
    expect(e.message).toMatch(/row 2, column "q1" \(indicator "q"\)/);
  });
  it('numbers rows from firstLine (e.g. 2 for a CSV header)', () => {
    const { system } = fitIndicatorSystem(config(ind), rowsOf('q1', [1]));
    expect(thrown(() => scoreCustomers(system, rowsOf('q1', [1, 1, 9]), { firstLine: 2 })).row).toBe(4);
  });
  it('refuses an empty value unless a missing policy is set', () => {
    expect(thrown(() => fitScore(ind, rowsOf('q1', [1, '']))).message).toMatch(/empty value.*"missing"/);
    const withFixed = [{ ...ind[0]!, rule: { type: 'likert' as const, missing: 2 } }];
    const r = fitScore(withFixed, rowsOf('q1', [1, '', null]));
    expect(column(r.m, 'q')).toEqual([1, 2, 2]);
    expect(r.warnings.join()).toMatch(/2 empty value\(s\) scored 2/);
  });
});

describe('cuts rule', () => {
  const recency = (direction: 'higher' | 'lower') => [
    { id: 'recency', name: 'R', dimension: 'd', source: 'days', rule: { type: 'cuts' as const, cuts: [7, 30, 90, 180], direction } },
  ];
  it('cut points are inclusive upper bounds; lower is better reverses the scores', () => {
    const days = [0, 7, 8, 30, 31, 90, 91, 180, 181, 1000];
    expect(column(fitScore(recency('lower'), rowsOf('days', days)).m, 'recency')).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(column(fitScore(recency('higher'), rowsOf('days', days)).m, 'recency')).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
  it('fewer cut points spread their groups over 1–5', () => {
    const ind = [{ id: 'x', name: 'X', dimension: 'd', source: 'v', rule: { type: 'cuts' as const, cuts: [10] } }];
    expect(column(fitScore(ind, rowsOf('v', [5, 15])).m, 'x')).toEqual([1, 5]);
  });
});

describe('quantile rule', () => {
  const q = (direction: 'higher' | 'lower' = 'higher', count = 5) => [
    { id: 'm', name: 'M', dimension: 'd', source: 'spend', rule: { type: 'quantile' as const, direction, count } },
  ];
  it('gives quintiles of distinct values and returns the cut points', () => {
    const r = fitScore(q(), rowsOf('spend', [10, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(column(r.m, 'm')).toEqual([5, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    expect(r.system.indicators[0]!.rule).toEqual({ type: 'cuts', cuts: [2, 4, 6, 8], scores: [1, 2, 3, 4, 5], missingScore: null });
    expect(r.warnings).toEqual([]);
  });
  it('lower is better reverses the quintiles', () => {
    expect(column(fitScore(q('lower'), rowsOf('spend', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).m, 'm')).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });
  it('gives equal values the same score and warns when ties merge cut points', () => {
    const values = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5];
    const r = fitScore(q(), rowsOf('spend', values));
    const s = column(r.m, 'm');
    expect(new Set(s.slice(0, 6))).toEqual(new Set([1]));
    // Cuts 1,1,1,3 → 2 and 3 lie above three cuts (quintile 4), 4 and 5 above all four.
    expect(s.slice(6)).toEqual([4, 4, 5, 5]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/indicator "m" \(source spend\): ties leave 2 distinct cut point\(s\) instead of 4/);
  });
  it('a constant column scores everyone alike, with a warning, not an error', () => {
    const r = fitScore(q(), rowsOf('spend', [7, 7, 7]));
    expect(new Set(column(r.m, 'm')).size).toBe(1);
    expect(r.warnings[0]).toMatch(/1 distinct cut point/);
  });
  it('scores new customers on the fitted scale, not refitted', () => {
    const { system } = fitIndicatorSystem(config(q()), rowsOf('spend', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const roundTrip = validateFittedSystem(JSON.parse(JSON.stringify(system)));
    const m = scoreCustomers(roundTrip, rowsOf('spend', [100, 100, 0]));
    expect(column(m, 'm')).toEqual([5, 5, 1]);
  });
  it('terciles map onto 1, 3, 5', () => {
    expect(new Set(column(fitScore(q('higher', 3), rowsOf('spend', [1, 2, 3, 4, 5, 6])).m, 'm'))).toEqual(new Set([1, 3, 5]));
  });
  it('"median" scores empty values with the median score and says so', () => {
    const ind = [{ ...q()[0]!, rule: { type: 'quantile' as const, missing: 'median' as const } }];
    const r = fitScore(ind, rowsOf('spend', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, '', null]));
    const s = column(r.m, 'm');
    expect(s.slice(10)).toEqual([3, 3]);
    expect(r.system.indicators[0]!.rule.missingScore).toBe(3);
    expect(r.warnings.join()).toMatch(/2 empty value\(s\) scored 3 \(median score\)/);
  });
});

describe('categorical rule', () => {
  const ind = (extra: object = {}) => [
    { id: 'tier', name: 'T', dimension: 'd', source: 'level', rule: { type: 'categorical' as const, map: { gold: 5, silver: 3, '0': 2 }, ...extra } },
  ];
  it('maps values, numbers via their text', () => {
    expect(column(fitScore(ind(), rowsOf('level', ['gold', 'silver', 0])).m, 'tier')).toEqual([5, 3, 2]);
  });
  it('unknown values use the default or fail listing the known values', () => {
    expect(column(fitScore(ind({ default: 1 }), rowsOf('level', ['bronze'])).m, 'tier')).toEqual([1]);
    expect(thrown(() => fitScore(ind(), rowsOf('level', ['gold', 'bronze']))).message).toMatch(
      /row 2, column "level" \(indicator "tier"\): unknown value "bronze", expected one of "0", "gold", "silver"/,
    );
  });
});

describe('derived sources', () => {
  it('sum, count_positive and days_since', () => {
    const rows = [
      { id: 'a', x: 1, y: '2', z: 0, joined: '2014-06-20' },
      { id: 'b', x: 0, y: 0, z: 0, joined: '2013-06-30' },
    ];
    const cut0 = { type: 'cuts' as const, cuts: [0, 1, 2, 3] };
    const { m } = fitScore(
      [
        { id: 's', name: 'S', dimension: 'd', source: { sum: ['x', 'y', 'z'] }, rule: cut0 },
        { id: 'p', name: 'P', dimension: 'd', source: { count_positive: ['x', 'y', 'z'] }, rule: cut0 },
        { id: 'r', name: 'R', dimension: 'd', source: { days_since: 'joined', asOf: '2014-06-30' }, rule: { type: 'cuts' as const, cuts: [10, 100, 300, 364] } },
      ],
      rows,
    );
    expect(column(m, 's')).toEqual([4, 1]); // sums 3 (≤ cut 3 → 4th group) and 0
    expect(column(m, 'p')).toEqual([3, 1]); // 2 and 0 positive columns
    expect(column(m, 'r')).toEqual([1, 5]); // 10 and 365 days
  });
  it('refuses impossible dates and dates after asOf', () => {
    const ind = [{ id: 'r', name: 'R', dimension: 'd', source: { days_since: 'joined', asOf: '2014-06-30' }, rule: { type: 'quantile' as const } }];
    expect(thrown(() => fitScore(ind, rowsOf('joined', ['2014-02-30']))).message).toMatch(/expected a date as YYYY-MM-DD/);
    expect(thrown(() => fitScore(ind, rowsOf('joined', ['2014-07-01']))).message).toMatch(/after asOf 2014-06-30/);
  });
});

describe('data checks', () => {
  const ind = [{ id: 'q', name: 'Q', dimension: 'd', source: 'q1', rule: { type: 'likert' as const } }];
  it('a missing column names the column and the indicator', () => {
    const e = thrown(() => fitScore(ind, [{ id: 'a', other: 1 }]));
    expect(e.message).toMatch(/column "q1" needed by indicator "q".*not in the data; columns are: id, other/);
    expect(e.column).toBe('q1');
  });
  it('duplicate and empty customer ids are refused', () => {
    expect(thrown(() => fitScore(ind, [{ id: 'a', q1: 1 }, { id: 'b', q1: 1 }, { id: 'a', q1: 2 }])).message).toMatch(
      /row 3, column "id": duplicate customer id "a" \(first on row 1\)/,
    );
    expect(thrown(() => fitScore(ind, [{ id: ' ', q1: 1 }])).message).toMatch(/empty customer id/);
  });
});
