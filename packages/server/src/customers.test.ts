import { describe, expect, it } from 'vitest';
import type { Model } from '@cvnet/core';
import { customerIssues as listIssues } from './customers.js';
import { MAX_ISSUES } from './problem.js';

/** Only the method's indicator system matters to the checks. */
const model = {
  method: {
    system: {
      version: 1,
      idColumn: 'customer',
      indicators: [
        { id: 'tier', name: 'Tier', dimension: 'd', source: 'level', from: 'categorical', rule: { type: 'categorical', map: { gold: 5, silver: 3 }, default: null, missingScore: null } },
        { id: 'recency', name: 'Recency', dimension: 'd', source: { days_since: 'last', asOf: '2024-01-31' }, from: 'cuts', rule: { type: 'cuts', cuts: [30, 90], scores: [5, 3, 1], missingScore: 1 } },
        { id: 'spend', name: 'Spend', dimension: 'd', source: { sum: ['wine', 'meat'] }, from: 'quantile', rule: { type: 'cuts', cuts: [100], scores: [1, 5], missingScore: null } },
        { id: 'rating', name: 'Rating', dimension: 'd', source: 'stars', from: 'likert', rule: { type: 'likert', missingScore: 3 } },
      ],
    },
  },
} as unknown as Model;

const good = { customer: 'a', level: 'gold', last: '2024-01-02', wine: 10, meat: '20.5', stars: 4 };
const at = (i: number) => ({ path: [i] });
/** The listed issues (all, below MAX_ISSUES). */
const customerIssues = (...args: Parameters<typeof listIssues>) => listIssues(...args).listed;

describe('customerIssues', () => {
  it('accepts raw values each rule can score, empties where the rule has a missing score, and the "id" alias', () => {
    expect(customerIssues(model, [good, { ...good, customer: 'b', last: '', stars: null }], at)).toEqual([]);
    const { customer, ...rest } = good;
    expect(customerIssues(model, [{ ...rest, id: customer }], at)).toEqual([]);
  });

  it('reads classify output\'s indicator-id columns as scores, even where an id is also a raw column', () => {
    // "tier" is both an indicator id and, here, the raw column of a categorical rule.
    const tiered = { ...model, method: { system: { ...model.method!.system, indicators: model.method!.system.indicators.map((ind) => (ind.id === 'tier' ? { ...ind, source: 'tier' } : ind)) } } } as unknown as Model;
    const raw = { ...good, level: undefined, tier: 'gold' };
    expect(customerIssues(tiered, [raw], at)).toEqual([]);
    expect(customerIssues(tiered, [{ ...raw, tier: 3 }], at)).toEqual([{ pointer: '#/0/tier', detail: 'unknown value "3", expected one of "gold", "silver"' }]);
    const classified = { id: 'a', C: 3, band: 3, K: 0.5, class: 'B', strategy: 's', tier: 3, recency: 5, spend: 1, rating: 4 };
    expect(customerIssues(tiered, [classified], at)).toEqual([]);
    expect(customerIssues(tiered, [{ ...classified, tier: 'gold' }], at)).toEqual([{ pointer: '#/0/tier', detail: 'expected an integer score 1–5, got "gold"' }]);
  });

  it('reads numbers in decimal notation only, as the scorer does (no hexadecimal), and dates with a valid time', () => {
    expect(customerIssues(model, [{ ...good, wine: '0x10', stars: '0x3', last: '2024-01-02 garbage' }], at)).toEqual([
      { pointer: '#/0/last', detail: 'expected a date as YYYY-MM-DD, got "2024-01-02 garbage"' },
      { pointer: '#/0/wine', detail: 'expected a number, got "0x10"' },
      { pointer: '#/0/stars', detail: 'expected an integer score 1–5, got "0x3"' },
    ]);
    expect(customerIssues(model, [{ ...good, wine: '1e1', last: '2024-01-02T09:30:00Z' }], at)).toEqual([]);
  });

  it('reports every bad raw value by pointer', () => {
    const bad = { customer: 'b', level: 'bronze', last: '2024-02-30', wine: 'lots', meat: '', stars: 6 };
    const later = { ...good, customer: 'c', last: '2024-03-01' };
    expect(customerIssues(model, [good, bad, later, { ...good }], at)).toEqual([
      { pointer: '#/1/level', detail: 'unknown value "bronze", expected one of "gold", "silver"' },
      { pointer: '#/1/last', detail: 'expected a date as YYYY-MM-DD, got "2024-02-30"' },
      { pointer: '#/1/wine', detail: 'expected a number, got "lots"' },
      { pointer: '#/1/meat', detail: 'missing value; expected a number' },
      { pointer: '#/1/stars', detail: 'out of range: expected an integer score 1–5, got 6' },
      { pointer: '#/2/last', detail: "date 2024-03-01 is after the model's asOf date 2024-01-31" },
      { pointer: '#/3/customer', detail: 'duplicate customer id "a" (first at #/0)' },
    ]);
  });

  it('refuses numeric ids that are not safe integers (they lose digits), without a false duplicate', () => {
    // Two distinct ids in the body text that JSON.parse reads as one number.
    const rows = JSON.parse('[{"customer": 9007199254740993}, {"customer": 9007199254740992}, {"customer": 1.5}, {"customer": -9007199254740991}]') as { customer: number }[];
    const detail = 'a numeric customer id must be an integer within ±9007199254740991 (2^53 − 1), as larger JSON numbers lose digits when read; send ids as strings';
    expect(customerIssues(model, rows.map((r) => ({ ...good, ...r })), at)).toEqual([
      { pointer: '#/0/customer', detail },
      { pointer: '#/1/customer', detail },
      { pointer: '#/2/customer', detail },
    ]);
  });

  it('takes score fields named after the indicators when the raw fields are absent (decided on the first row)', () => {
    const scores = { customer: 'a', tier: 5, recency: 3, spend: 1, rating: 2 };
    expect(customerIssues(model, [scores], at)).toEqual([]);
    expect(customerIssues(model, [scores, { ...scores, customer: 'b', recency: 0, spend: '' }], at)).toEqual([
      { pointer: '#/1/recency', detail: 'out of range: expected an integer score 1–5, got 0' },
      { pointer: '#/1/spend', detail: 'missing value; expected an integer score 1–5' },
    ]);
  });

  it('names the fields an indicator lacks on the first row, after the bad values of the fields it has, with CSV lines', () => {
    // "wine" is one of the two fields "spend" sums: checked although "meat" is missing.
    expect(customerIssues(model, [{ level: 'bronze', wine: 'lots' }, { level: 'gold', wine: 'x' }], (i) => ({ path: [i], line: i + 2 }))).toEqual([
      { pointer: '#/0/level', detail: 'unknown value "bronze", expected one of "gold", "silver"', line: 2 },
      { pointer: '#/0/wine', detail: 'expected a number, got "lots"', line: 2 },
      { pointer: '#/0/customer', detail: 'missing the customer id field "customer"', line: 2 },
      { pointer: '#/0/recency', detail: 'indicator "recency" needs field(s) "last" (raw value) or a score field "recency"; neither is given', line: 2 },
      { pointer: '#/0/spend', detail: 'indicator "spend" needs field(s) "meat" (raw value) or a score field "spend"; neither is given', line: 2 },
      { pointer: '#/0/rating', detail: 'indicator "rating" needs field(s) "stars" (raw value) or a score field "rating"; neither is given', line: 2 },
      { pointer: '#/1/wine', detail: 'expected a number, got "x"', line: 3 },
    ]);
  });

  it('lists issues in body order: row by row, earlier issues of a row (its shape) merged in, fields in the row\'s order', () => {
    const shape = new Map([[1, [{ field: 'meat', detail: 'expected a finite number, text or null' }]], [2, [{ detail: 'expected a customer object' }]]]);
    const reordered = { stars: 9, meat: true, customer: 'c', level: 'x', last: '2024-01-02', wine: 1 };
    expect(customerIssues(model, [{ ...good, stars: 0 }, reordered, 'not a row', { ...good, customer: 'c', level: 'x' }], at, shape)).toEqual([
      { pointer: '#/0/stars', detail: 'out of range: expected an integer score 1–5, got 0' },
      { pointer: '#/1/stars', detail: 'out of range: expected an integer score 1–5, got 9' },
      { pointer: '#/1/meat', detail: 'expected a finite number, text or null' },
      { pointer: '#/1/level', detail: 'unknown value "x", expected one of "gold", "silver"' },
      { pointer: '#/2', detail: 'expected a customer object' },
      { pointer: '#/3/customer', detail: 'duplicate customer id "c" (first at #/1)' },
      { pointer: '#/3/level', detail: 'unknown value "x", expected one of "gold", "silver"' },
    ]);
  });

  it(`lists the first ${MAX_ISSUES} issues and counts them all`, () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({ ...good, customer: `c${i}`, level: 'x', stars: 9 }));
    const issues = listIssues(model, rows, at);
    expect(issues.count).toBe(1200);
    expect(issues.listed).toHaveLength(MAX_ISSUES);
    expect(issues.listed.at(-1)!.pointer).toBe('#/499/stars');
  });
});
