import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from './config.js';
import { defaultConfig, initConfigText } from './defaults.js';
import { ConfigError } from '../errors.js';

function variant(edit: (c: any) => void): unknown {
  const c = JSON.parse(JSON.stringify(defaultConfig()));
  edit(c);
  return c;
}

describe('project config', () => {
  it('default config has the study’s 14 indicators in 3 dimensions and the study defaults', () => {
    const c = defaultConfig();
    expect(c.indicators.map((i) => i.id)).toEqual([
      'profile', 'visits', 'time_online', 'interaction', 'recency', 'frequency', 'monetary',
      'repeat', 'cross', 'relationship', 'brand', 'recommend', 'rating', 'membership',
    ]);
    expect(c.dimensions.map((d) => d.id)).toEqual(['online', 'current', 'potential']);
    expect(c.sampleFraction).toBe(0.5);
    expect(c.trainShare).toBe(229 / 274);
    expect(c.thresholds).toEqual({ A: 0.75, B: 0.5, C: 0.25 });
    expect(c.currentValue).toEqual(['recency', 'frequency', 'monetary']);
  });

  it('the commented init text parses to exactly the default config', () => {
    const text = initConfigText();
    expect(text).toMatch(/^\/\/ /m);
    expect(parseConfig(text, 'cvnet.config.jsonc')).toEqual(defaultConfig());
  });

  it('reports JSON syntax errors with the line', () => {
    expect(() => parseConfig('{\n  "idColumn": "id",\n  oops\n}', 'my.json')).toThrow(/my\.json is not valid JSON at line 3/);
  });

  it('lists shape problems with their paths', () => {
    const bad = variant((c) => {
      c.indicators[4].rule = { type: 'cuts', cuts: [3, 2, 5, 9] };
      c.sampleFraction = 0;
    });
    let err: unknown;
    try {
      validateConfig(bad, 'p.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('indicators.4.rule.cuts: cut points must be strictly ascending');
    expect(msg).toContain('sampleFraction');
    expect((err as ConfigError).code).toBe('CONFIG');
  });

  it('explains an unrecognised source', () => {
    expect(() => validateConfig(variant((c) => (c.indicators[0].source = { columns: ['a'] })))).toThrow(/source must be a column name/);
  });

  it.each([
    ['unknown dimension', (c: any) => (c.indicators[0].dimension = 'nowhere'), /indicator "profile" names dimension "nowhere"/],
    ['duplicate indicator', (c: any) => (c.indicators[1].id = 'profile'), /duplicate indicator id\(s\): profile/],
    ['currentValue not an indicator', (c: any) => (c.currentValue = ['recency', 'spend']), /currentValue names "spend"/],
    ['expert misses a weight', (c: any) => delete c.weights.experts[1].values.rating, /weights\.experts\.1\.values has no weight for indicator\(s\): rating/],
    ['expert weights an unknown id', (c: any) => (c.weights.experts[0].values.nps = 0.1), /unknown indicator\(s\): nps/],
    ['thresholds out of order', (c: any) => (c.thresholds = { A: 0.5, B: 0.75, C: 0.25 }), /A > B > C/],
    ['empty dimension', (c: any) => c.dimensions.push({ id: 'extra', name: 'Extra' }), /dimension "extra" has no indicators/],
    ['indicator named like an output column', (c: any) => (c.indicators[2].id = 'K'), /indicator id "K" is reserved for an output column/],
  ])('refuses %s', (_name, edit, pattern) => {
    expect(() => validateConfig(variant(edit))).toThrow(pattern);
  });

  it('accepts AHP judgements written as fractions', () => {
    const c = validateConfig(
      variant((c) => {
        c.weights = { type: 'ahp', dimensions: [[1, '1/3', 2], ['3', 1, 4], ['1/2', '1/4', 1]], within: {} };
      }),
    );
    expect(c.weights.type === 'ahp' && c.weights.dimensions[0]).toEqual([1, 1 / 3, 2]);
  });
});
