import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { networkToModel } from '../model/model.js';
import type { Model } from '../model/schema.js';
import { createNetwork } from '../network/init.js';
import { DEFAULT_STRATEGIES } from '../indicators/output-contract.js';
import { modelToSql } from './generate.js';

function model(ids: string[], idColumn = 'id'): Model {
  const network = createNetwork({ inputs: ids.length, sizes: [3, 1], transfers: ['tansig', 'logsig'] }, { seed: 1 });
  return networkToModel(network, {
    inputs: { names: ids, min: ids.map(() => 1), max: ids.map(() => 5) },
    outputs: { names: ['K'] },
    method: {
      system: {
        version: 1,
        idColumn,
        indicators: ids.map((id) => ({ id, name: id, dimension: 'd', source: id, from: 'likert' as const, rule: { type: 'likert' as const, missingScore: null } })),
      },
      weights: Object.fromEntries(ids.map((id) => [id, 1 / ids.length])),
      currentValue: ids.slice(0, 1),
      thresholds: { A: 0.75, B: 0.5, C: 0.25 },
      strategies: { ...DEFAULT_STRATEGIES, A: "Keep them: it's worth it" },
      target: { kind: 'comprehensive', source: 'weighted score' },
    },
  });
}

describe('modelToSql', () => {
  it('writes one CTE per stage, with comments, and returns id, scores, C, band, K, class, strategy', () => {
    const sql = modelToSql(model(['r', 'f']), { dialect: 'duckdb' });
    expect([...sql.matchAll(/^(cvnet_\w+) AS MATERIALIZED \($/gm)].map((m) => m[1])).toEqual([
      'cvnet_columns', 'cvnet_values', 'cvnet_scores', 'cvnet_inputs', 'cvnet_net1', 'cvnet_layer1', 'cvnet_net2', 'cvnet_layer2', 'cvnet_output',
    ]);
    expect(sql).toMatch(/^SELECT\n {2}"id",\n {2}"r",\n {2}"f",\n {2}"C",\n {2}CASE .* AS "band",\n {2}"K",\n {2}CASE .* AS "class",\n {2}CASE .* AS "strategy"\nFROM cvnet_output\n$/m);
    expect(sql).toContain("'Keep them: it''s worth it'");
    expect(sql).toContain('2 / (1 + EXP(-2 * cvnet_n1_1)) - 1');
  });

  it('refuses a model without a method and names that clash with the outputs', () => {
    const m = model(['r', 'f']);
    expect(() => modelToSql({ ...m, method: undefined }, { dialect: 'duckdb' })).toThrow(ModelError);
    expect(() => modelToSql(model(['r', 'k']), { dialect: 'duckdb' })).toThrow(/name "k" is used twice .* outputs C, band, K, class, strategy/);
    expect(() => modelToSql(model(['r', 'f'], 'R'), { dialect: 'duckdb' })).toThrow(/name "r" is used twice/);
    expect(() => modelToSql(model(['r', 'cvnet_x']), { dialect: 'duckdb' })).toThrow(/starts with "cvnet_"/);
  });

  it('quotes a dotted table name part by part and uses the given id column', () => {
    const sql = modelToSql(model(['r', 'f']), { dialect: 'bigquery', table: 'proj.shop.customers', idColumn: 'customer_id' });
    expect(sql).toContain('FROM `proj`.`shop`.`customers`');
    expect(sql).toContain('`customer_id`');
    expect(() => modelToSql(model(['r', 'f']), { dialect: 'bigquery', table: 'shop..customers' })).toThrow(/empty part/);
  });
});
