import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { toCsv } from '../../packages/core/src/synthetic/csv.js';
import { generateSurvey } from '../../packages/core/src/synthetic/survey.js';
import { bundled } from './helpers.js';

it('the bundled synthetic survey is exactly what the seeded generator produces', () => {
  expect(readFileSync(bundled, 'utf8')).toBe(toCsv(generateSurvey({ customers: 548, seed: 1 })));
  expect(bundled).toMatch(/synthetic/);
});
