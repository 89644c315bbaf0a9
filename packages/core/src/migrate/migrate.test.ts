import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { compareRuns, type RunCustomer } from './compare.js';
import { renderMigrationPage, renderMigrationSection, renderMigrationText } from './render.js';

const before: RunCustomer[] = [
  { id: 'a', class: 'A', K: 0.9, segment: 'champions' },
  { id: 'b', class: 'B', K: 0.6, segment: 'loyal' },
  { id: 'c', class: 'B', K: 0.55, segment: 'loyal' },
  { id: 'd', class: 'D', K: 0.1, segment: 'hibernating' },
  { id: 'gone', class: 'C', K: 0.3, segment: 'hibernating' },
];
const after: RunCustomer[] = [
  { id: 'a', class: 'C', K: 0.3, segment: 'at_risk' },
  { id: 'b', class: 'B', K: 0.7, segment: 'loyal' },
  { id: 'c', class: 'C', K: 0.45, segment: 'loyal' },
  { id: 'd', class: 'B', K: 0.5, segment: 'loyal' },
  { id: 'new', class: 'A', K: 0.8, segment: 'champions' },
];

describe('compareRuns', () => {
  const r = compareRuns(before, after);

  it('counts class transitions, value moved, entries and exits', () => {
    expect(r.value).toBe('K');
    expect(r.customers).toEqual({ before: 5, after: 5, both: 4, entered: 1, left: 1 });
    expect(r.entered.A).toBe(1);
    expect(r.left.C).toBe(1);
    expect(r.classes.counts).toEqual([
      [0, 0, 1, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    expect(r.classes.valueBefore[0]![2]).toBe(0.9);
    expect(r.classes.valueAfter[0]![2]).toBe(0.3);
    expect(r.classes.valueAfter[3]![1]).toBe(0.5);
    expect([r.up, r.stayed, r.down]).toEqual([1, 1, 2]);
  });

  it('lists who moved down, largest drop first', () => {
    expect(r.movedDown.map((m) => [m.id, m.from, m.to])).toEqual([
      ['a', 'A', 'C'],
      ['c', 'B', 'C'],
    ]);
  });

  it('adds a segment matrix when both runs have segments', () => {
    expect(r.segments!.labels).toEqual(['champions', 'loyal', 'hibernating', 'at_risk']);
    const i = r.segments!.labels.indexOf('hibernating');
    const j = r.segments!.labels.indexOf('loyal');
    expect(r.segments!.counts[i]![j]).toBe(1);
    expect(compareRuns(before.map(({ segment: _, ...c }) => c), after).segments).toBeUndefined();
  });

  it('falls back to C, or to no value, and rejects repeated ids', () => {
    const noK = (xs: RunCustomer[]): RunCustomer[] => xs.map(({ K: _, ...c }) => ({ ...c, C: 3 }));
    expect(compareRuns(noK(before), noK(after)).value).toBe('C');
    expect(compareRuns(before.map(({ K: _, ...c }) => c), after).value).toBeNull();
    expect(() => compareRuns([...before, before[0]!], after)).toThrow(DataError);
  });

  it('renders text, an SVG flow chart and a page without ids unless asked', () => {
    const text = renderMigrationText(r);
    expect(text).toContain('1 up, 1 same, 2 down');
    expect(text).toMatch(/A → C\s+1\s+0\.900\s+0\.300/);
    const page = renderMigrationPage(r);
    expect(page).toContain('<path d="M');
    expect(page).not.toMatch(/<script|https?:/);
    expect(renderMigrationSection({ ...r, movedDown: [{ id: '<x>', from: 'A', to: 'D' }] }, { showIds: true })).toContain('&lt;x&gt;');
    expect(renderMigrationSection(r)).not.toContain('>c<');
  });
});
