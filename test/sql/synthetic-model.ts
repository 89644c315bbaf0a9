/**
 * An untrained model of any size with a complete method section (Likert
 * indicators read from columns i1…in), for size limits and edge cases where
 * training a real network would only cost time.
 */
import { DEFAULT_STRATEGIES } from '../../packages/core/src/indicators/output-contract.js';
import { networkToModel } from '../../packages/core/src/model/model.js';
import type { Model } from '../../packages/core/src/model/schema.js';
import { createNetwork } from '../../packages/core/src/network/init.js';

export function syntheticModel(inputs: number, hidden: number, seed = 1): Model {
  const ids = Array.from({ length: inputs }, (_, i) => `i${i + 1}`);
  const network = createNetwork({ inputs, sizes: [hidden, 1], transfers: ['tansig', 'logsig'] }, { seed });
  const indicators = ids.map((id) => ({
    id, name: id, dimension: 'd', source: id, from: 'likert' as const, rule: { type: 'likert' as const, missingScore: null },
  }));
  return networkToModel(network, {
    inputs: { names: ids, min: ids.map(() => 1), max: ids.map(() => 5) },
    outputs: { names: ['K'] },
    method: {
      system: { version: 1, idColumn: 'id', indicators },
      weights: Object.fromEntries(ids.map((id) => [id, 1 / inputs])),
      currentValue: ids.slice(0, Math.min(3, inputs)),
      thresholds: { A: 0.75, B: 0.5, C: 0.25 },
      strategies: { ...DEFAULT_STRATEGIES },
      target: { kind: 'comprehensive', source: 'weighted score' },
    },
  });
}

/** Rows of Likert answers for a synthetic model's indicators. */
export function syntheticRows(inputs: number, count: number): Record<string, number | string>[] {
  return Array.from({ length: count }, (_, r) => ({
    id: `c${r + 1}`,
    ...Object.fromEntries(Array.from({ length: inputs }, (_, i) => [`i${i + 1}`, 1 + ((r * 7 + i * 3) % 5)])),
  }));
}
