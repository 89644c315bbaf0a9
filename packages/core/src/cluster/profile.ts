/**
 * The unsupervised view beside the supervised one: K-means on the normalised
 * indicator scores, each cluster's profile (mean score per indicator, mean K)
 * and a cross-tab of clusters against the A–D classes.
 */
import { OptionsError } from '../errors.js';
import { CLASSES, type CustomerClass } from '../method/classify.js';
import { applyMinMax, fitMinMax, type MinMax } from '../model/normalize.js';
import { escapeHtml as esc, fmt, heatCell } from '../report/escape.js';
import { kmeans, type KMeansOptions } from './kmeans.js';

export interface ClusterInput {
  /** Indicator scores (1–5) in `indicators` order. */
  scores: readonly number[];
  K: number;
  class: CustomerClass;
}

export interface ClusterProfile {
  /** 1-based; clusters are numbered by descending mean K, so the numbering is stable and meaningful. */
  cluster: number;
  size: number;
  meanK: number;
  /** Mean score per indicator (1–5 scale). */
  means: number[];
  /** Customers of each class in this cluster. */
  classes: Record<CustomerClass, number>;
}

export interface ClusterAnalysis {
  k: number;
  seed: number;
  indicators: string[];
  /** Cluster (1 … k) of every customer, input order. */
  assignment: number[];
  profiles: ClusterProfile[];
  /** Within-cluster sum of squares on the normalised scores. */
  inertia: number;
  converged: boolean;
  /**
   * Adjusted Rand index of clusters against classes: 1 = the same partition,
   * ≈ 0 = no more agreement than chance.
   */
  adjustedRand: number;
}

export interface ClusterOptions extends Omit<KMeansOptions, 'k'> {
  k: number;
  /**
   * Ranges that scale each indicator to [0, 1] (the model's training ranges,
   * `model.inputs`), so clusters see the same inputs the network saw.
   * @default the ranges of the customers clustered
   */
  ranges?: MinMax;
}

const choose2 = (n: number): number => (n * (n - 1)) / 2;

/** Adjusted Rand index (Hubert & Arabie, 1985) from a contingency table. */
export function adjustedRandIndex(table: readonly (readonly number[])[]): number {
  const n = table.flat().reduce((s, x) => s + x, 0);
  const rows = table.map((r) => r.reduce((s, x) => s + x, 0));
  const cols = table[0]!.map((_, j) => table.reduce((s, r) => s + r[j]!, 0));
  const index = table.flat().reduce((s, x) => s + choose2(x), 0);
  const a = rows.reduce((s, x) => s + choose2(x), 0);
  const b = cols.reduce((s, x) => s + choose2(x), 0);
  const expected = (a * b) / choose2(n);
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/**
 * Clusters customers by their indicator scores.
 * @throws OptionsError for an empty batch, ragged scores or a bad k.
 */
export function clusterCustomers(indicators: readonly string[], customers: readonly ClusterInput[], options: ClusterOptions): ClusterAnalysis {
  const n = indicators.length;
  const rows = customers.length;
  if (rows === 0) throw new OptionsError('no customers to cluster');
  const raw = new Float64Array(rows * n);
  customers.forEach((c, r) => {
    if (c.scores.length !== n) throw new OptionsError(`customer ${r + 1} has ${c.scores.length} scores, expected ${n}`);
    raw.set(c.scores, r * n);
  });
  const x = applyMinMax(raw, options.ranges ?? fitMinMax(raw, rows, n));
  const seed = options.seed ?? 1;
  const result = kmeans(x, rows, n, { ...options, seed });

  const meanK = Array.from({ length: options.k }, (_, c) => {
    let s = 0;
    customers.forEach((cu, r) => {
      if (result.assignment[r] === c) s += cu.K;
    });
    return s / result.sizes[c]!;
  });
  // Renumber by descending mean K (ties: original order).
  const order = meanK.map((_, c) => c).sort((a, b) => meanK[b]! - meanK[a]! || a - b);
  const rank = new Array<number>(options.k);
  order.forEach((c, i) => {
    rank[c] = i + 1;
  });
  const assignment = Array.from(result.assignment, (c) => rank[c]!);
  const profiles: ClusterProfile[] = order.map((c, i) => {
    const members = customers.filter((_, r) => result.assignment[r] === c);
    const classes = Object.fromEntries(CLASSES.map((k) => [k, members.filter((m) => m.class === k).length])) as Record<CustomerClass, number>;
    return {
      cluster: i + 1,
      size: members.length,
      meanK: meanK[c]!,
      means: indicators.map((_, j) => members.reduce((s, m) => s + m.scores[j]!, 0) / members.length),
      classes,
    };
  });
  const table = profiles.map((p) => CLASSES.map((k) => p.classes[k]));
  return {
    k: options.k,
    seed,
    indicators: [...indicators],
    assignment,
    profiles,
    inertia: result.inertia,
    converged: result.converged,
    adjustedRand: rows > 1 ? adjustedRandIndex(table) : 1,
  };
}

/**
 * `<section id="clusters">` for the HTML report: the clusters × classes
 * cross-tab with each cluster's mean K, and the cluster profiles.
 * @param names display name per indicator id @default the ids
 */
export function renderClusterSection(a: ClusterAnalysis, names: Readonly<Record<string, string>> = {}): string {
  const max = Math.max(1, ...a.profiles.flatMap((p) => CLASSES.map((c) => p.classes[c])));
  const head = CLASSES.map((c) => `<th>${c}</th>`).join('');
  const rows = a.profiles
    .map((p) => {
      const cells = CLASSES.map((c) => heatCell(p.classes[c], max)).join('');
      return `<tr><th>cluster ${p.cluster}</th>${cells}<td>${p.size}</td><td>${fmt(p.meanK, 3)}</td></tr>`;
    })
    .join('');
  const profileHead = a.indicators.map((id) => `<th>${esc(names[id] ?? id)}</th>`).join('');
  const profileRows = a.profiles.map((p) => `<tr><th>cluster ${p.cluster}</th>${p.means.map((m) => `<td>${fmt(m, 2)}</td>`).join('')}</tr>`).join('');
  return (
    `<section id="clusters"><h2>K-means clusters beside the A–D classes</h2>` +
    `<p>K-means (k = ${a.k}, k-means++ seeding, seed ${a.seed}) on the normalised indicator scores, clusters numbered by descending mean K. ` +
    `Adjusted Rand index against the classes: ${fmt(a.adjustedRand, 3)} (1 = same grouping, 0 = chance).</p>` +
    `<table><tr><th>cluster \\ class</th>${head}<th>size</th><th>mean K</th></tr>${rows}</table>` +
    `<p>Mean score per indicator:</p><table><tr><th></th>${profileHead}</tr>${profileRows}</table></section>`
  );
}
