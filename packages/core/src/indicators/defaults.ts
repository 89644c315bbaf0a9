/**
 * The study's 14-indicator system as a ready-made config, and the commented
 * starting file that `cvnet init` writes.
 */
import { validateConfig, type ProjectConfig } from './config.js';
import { DEFAULT_STRATEGIES as DEFAULT_TEXT } from './output-contract.js';

/** [id, name, dimension] of the study's indicators, in the study's order. */
const STUDY_INDICATORS: ReadonlyArray<readonly [string, string, string]> = [
  ['profile', 'Basic profile', 'online'],
  ['visits', 'Site visits', 'online'],
  ['time_online', 'Time logged in and staying', 'online'],
  ['interaction', 'Interaction value', 'online'],
  ['recency', 'Recency (R)', 'current'],
  ['frequency', 'Frequency (F)', 'current'],
  ['monetary', 'Monetary (M)', 'current'],
  ['repeat', 'Repeat purchases', 'potential'],
  ['cross', 'Cross purchases', 'potential'],
  ['relationship', 'Relationship length', 'potential'],
  ['brand', 'Brand perception', 'potential'],
  ['recommend', 'Willingness to recommend', 'potential'],
  ['rating', 'Customer rating', 'potential'],
  ['membership', 'Willingness to register as a member', 'potential'],
];

const DIMENSIONS = [
  { id: 'online', name: 'Online behaviour (Internet+)' },
  { id: 'current', name: 'Current value' },
  { id: 'potential', name: 'Potential value' },
];

/**
 * Three experts' weight vectors (each sums to 1). Illustrative, not the
 * study's published numbers: current value weighs most, as in the study.
 */
const EXPERTS: ReadonlyArray<{ name: string; values: readonly number[] }> = [
  { name: 'expert 1', values: [0.05, 0.06, 0.05, 0.07, 0.10, 0.12, 0.14, 0.08, 0.06, 0.06, 0.05, 0.06, 0.05, 0.05] },
  { name: 'expert 2', values: [0.04, 0.07, 0.05, 0.06, 0.11, 0.12, 0.15, 0.08, 0.05, 0.07, 0.04, 0.06, 0.05, 0.05] },
  { name: 'expert 3', values: [0.06, 0.05, 0.06, 0.07, 0.09, 0.13, 0.13, 0.09, 0.06, 0.05, 0.06, 0.05, 0.05, 0.05] },
];

function expertValues(values: readonly number[]): Record<string, number> {
  return Object.fromEntries(STUDY_INDICATORS.map(([id], k) => [id, values[k]!]));
}

/**
 * The study's system: 14 indicators in 3 dimensions, each read from a survey
 * column of the same name that already holds a 1–5 Likert score.
 */
export function defaultConfig(): ProjectConfig {
  return validateConfig(
    {
      idColumn: 'id',
      dimensions: DIMENSIONS,
      indicators: STUDY_INDICATORS.map(([id, name, dimension]) => ({
        id,
        name,
        dimension,
        source: id,
        rule: { type: 'likert' },
      })),
      weights: { type: 'experts', experts: EXPERTS.map((e) => ({ name: e.name, values: expertValues(e.values) })) },
      currentValue: ['recency', 'frequency', 'monetary'],
    },
    'default config',
  );
}

const json = (v: unknown): string => JSON.stringify(v);

/** A commented (JSONC) config equal to {@link defaultConfig}, for `cvnet init`. */
export function initConfigText(): string {
  const indicators = STUDY_INDICATORS.map(
    ([id, name, dimension]) =>
      `    { "id": ${json(id)}, "name": ${json(name)}, "dimension": ${json(dimension)}, "source": ${json(id)}, "rule": { "type": "likert" } }`,
  ).join(',\n');
  const experts = EXPERTS.map(
    (e) => `      { "name": ${json(e.name)}, "values": ${JSON.stringify(expertValues(e.values))} }`,
  ).join(',\n');
  return `// cvnet project config (JSON with // comments).
// Customer-value classification: 14 indicators scored 1-5, expert weights,
// current value C = weighted R, F, M; a BP network learns the value K in [0, 1].
{
  "version": 1,
  // Column holding the customer id (must be unique).
  "idColumn": "id",

  // Dimensions group the indicators (AHP weights are given per dimension).
  "dimensions": ${JSON.stringify(DIMENSIONS, null, 2).replace(/\n/g, '\n  ')},

  // Each indicator: "source" is a column name, or {"column": c}, {"sum": [c, ...]},
  // {"count_positive": [c, ...]} (how many columns are > 0) or
  // {"days_since": c, "asOf": "YYYY-MM-DD"} (days from the date in c to asOf).
  // "rule" turns the raw value into a 1-5 score:
  //   {"type": "likert"}                                  already 1-5 integers
  //   {"type": "cuts", "cuts": [a, b, c, d], "direction": "higher"}
  //        value <= a -> 1, <= b -> 2, <= c -> 3, <= d -> 4, else 5
  //        ("lower": reversed, e.g. recency in days: fewer days scores higher)
  //   {"type": "quantile", "count": 5, "direction": "higher"}  quintiles fitted on the data
  //   {"type": "categorical", "map": {"gold": 5, "silver": 3}, "default": 1}
  // Every rule takes "missing": "error" (default), "median" or a fixed score 1-5
  // for empty values.
  "indicators": [
${indicators}
  ],

  // Weights: {"type": "final", "values": {id: w}} (must sum to 1),
  // {"type": "experts", "experts": [{"values": {id: w}}, ...]} (averaged, then normalised), or
  // {"type": "ahp", "dimensions": [[...]], "within": {"dimId": [[...]]}} (Saaty pairwise
  // matrices in the order of "dimensions"/"indicators"; consistency ratio must be <= 0.1).
  "weights": {
    "type": "experts",
    "experts": [
${experts}
    ]
  },

  // Indicators of current value C (R, F, M); their weights are renormalised to sum 1.
  "currentValue": ["recency", "frequency", "monetary"],

  // Optional target: {"column": "expert_k", "kind": "value"} (K in [0, 1]) or
  // {"kind": "class"} (A-D). Without it the weighted score of all indicators is used.
  // "target": { "column": "expert_k", "kind": "value" },

  // Stratified sample: this share of every band of C (the study: 50 %).
  "sampleFraction": 0.5,
  // Share of the sample used for training, in order (the study: first 229 of 274).
  "trainShare": ${229 / 274},
  // true: shuffle the sample (seeded) before taking the training part.
  "shuffleSplit": false,
  // Seed for every random choice (sampling, network initialisation).
  "seed": 1,

  // K >= A -> class A, >= B -> B, >= C -> C, else D.
  "thresholds": { "A": 0.75, "B": 0.5, "C": 0.25 },
  "strategies": ${JSON.stringify(
    { A: DEFAULT_TEXT.A, B: DEFAULT_TEXT.B, C: DEFAULT_TEXT.C, D: DEFAULT_TEXT.D },
    null,
    2,
  ).replace(/\n/g, '\n  ')}

  // Optional network settings; hidden defaults to 2n + 1 (14-29-1 in the study).
  // "training": { "hidden": 29, "epochs": 1000, "lr": 0.01, "mc": 0.9 }
}
`;
}
