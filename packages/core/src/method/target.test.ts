import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import type { ScoreMatrix } from '../indicators/fit.js';
import { DEFAULT_THRESHOLDS, classify, classMidpoint, evaluate } from './classify.js';
import { comprehensiveScore, computeTarget } from './target.js';

const matrix: ScoreMatrix = { ids: ['a', 'b', 'c'], indicators: ['x', 'y'], values: Float64Array.from([1, 1, 5, 5, 2, 4]) };
const weights = { x: 0.25, y: 0.75 };

describe('target', () => {
  it('defaults to the comprehensive weighted score rescaled (S − 1)/4', () => {
    const t = computeTarget({ thresholds: DEFAULT_THRESHOLDS }, matrix, weights, []);
    expect(t.source).toBe('comprehensive weighted score');
    expect(t.kind).toBe('comprehensive');
    expect(t.values[0]).toBe(0);
    expect(t.values[1]).toBe(1);
    expect(t.values[2]).toBeCloseTo((0.25 * 2 + 0.75 * 4 - 1) / 4, 12);
    expect(comprehensiveScore(matrix, { x: 1, y: 3 })).toEqual(t.values);
  });
  it('reads an expert K column in [0, 1]', () => {
    const rows = [{ k: '0.9' }, { k: 0.1 }, { k: '0' }];
    const t = computeTarget({ target: { column: 'k', kind: 'value' }, thresholds: DEFAULT_THRESHOLDS }, matrix, weights, rows);
    expect(t).toEqual({ values: [0.9, 0.1, 0], source: 'expert column "k"', kind: 'expert-value' });
  });
  it('maps expert classes to the middle of their interval', () => {
    const rows = [{ cls: 'A' }, { cls: ' b ' }, { cls: 'D' }];
    const t = computeTarget({ target: { column: 'cls', kind: 'class' }, thresholds: DEFAULT_THRESHOLDS }, matrix, weights, rows);
    expect(t.values).toEqual([0.875, 0.625, 0.125]);
    expect(classMidpoint('C')).toBe(0.375);
  });
  it('refuses invalid targets naming row and column', () => {
    const cfg = { target: { column: 'k', kind: 'value' as const }, thresholds: DEFAULT_THRESHOLDS };
    expect(() => computeTarget(cfg, matrix, weights, [{ k: 0.5 }, { k: '1.2' }, { k: 0 }], { firstLine: 2 })).toThrow(
      /row 3, column "k" \(target\): expected a value K in \[0, 1\], got "1.2"/,
    );
    expect(() => computeTarget(cfg, matrix, weights, [{ k: 0.5 }, { k: '' }, { k: 0 }])).toThrow(DataError);
    expect(() => computeTarget({ ...cfg, target: { column: 'c', kind: 'class' } }, matrix, weights, [{ c: 'A' }, { c: 'E' }, { c: 'B' }])).toThrow(
      /expected a class A, B, C or D, got "E"/,
    );
    expect(() => computeTarget(cfg, matrix, weights, [{ z: 1 }, { z: 1 }, { z: 1 }])).toThrow(/target column "k"/);
  });
});

describe('classify and evaluate', () => {
  it('classifies on the thresholds, boundaries inclusive', () => {
    expect([0.75, 0.7499, 0.5, 0.25, 0.2499, 1.2, -0.1].map((k) => classify(k).class)).toEqual(['A', 'B', 'B', 'C', 'D', 'A', 'D']);
    expect(classify(0.9, DEFAULT_THRESHOLDS, { A: 'keep', B: 'b', C: 'c', D: 'd' }).strategy).toBe('keep');
    expect(classify(0.6, { A: 0.9, B: 0.6, C: 0.3 }).class).toBe('B');
  });
  it('builds MSE, accuracy and the confusion matrix (rows actual, columns predicted)', () => {
    const t = [0.9, 0.8, 0.6, 0.3, 0.1, 0.1];
    const p = [0.8, 0.6, 0.6, 0.1, 0.1, 0.3];
    const e = evaluate(t, p);
    expect(e.mse).toBeCloseTo((0.01 + 0.04 + 0 + 0.04 + 0 + 0.04) / 6, 12);
    expect(e.confusion).toEqual([
      [1, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 1],
    ]);
    expect(e.accuracy).toBeCloseTo(3 / 6, 12);
    expect(e.actual).toEqual({ A: 2, B: 1, C: 1, D: 2 });
    expect(e.predicted).toEqual({ A: 1, B: 2, C: 1, D: 2 });
    expect(e.correct).toEqual({ A: 1, B: 1, C: 0, D: 1 });
    expect(() => evaluate([0.1], [0.1, 0.2])).toThrow(/1 target values but 2 predictions/);
  });
});
